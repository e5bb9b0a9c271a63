"""SHACL validation of the whole stored KG (the `khyber validate` command)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from .pipeline import validate


def validate_store(store: ox.Store) -> tuple[bool, list[str]]:
    """Validate every graph of the store together against the shapes."""
    data = Graph()
    nt = ox.serialize(
        (ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, None)),
        format=ox.RdfFormat.N_TRIPLES,
    )
    data.parse(data=nt, format="nt")
    return validate(data)
