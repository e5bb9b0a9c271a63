"""Fixtures for the ontology tests: the ontology, the sample KG and their OWL RL closure."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import rdflib

REPO = Path(__file__).resolve().parents[2]
ONTOLOGY_TTL = REPO / "ontology" / "khyber.ttl"
SHAPES_TTL = REPO / "shapes" / "khyber-shapes.ttl"
SAMPLE_KG = Path(__file__).resolve().parent / "sample-kg.ttl"
KH = rdflib.Namespace("https://w3id.org/khyber/ontology#")
ID = rdflib.Namespace("https://w3id.org/khyber/id/")


@pytest.fixture(scope="session")
def ontology() -> rdflib.Graph:
    """The hand-edited ontology, parsed (treat as read-only)."""
    return rdflib.Graph().parse(ONTOLOGY_TTL)


@pytest.fixture(scope="session")
def sample_kg() -> rdflib.Graph:
    """The hand-written sample KG, parsed (treat as read-only)."""
    return rdflib.Graph().parse(SAMPLE_KG)


def owlrl_closure(*graphs: rdflib.Graph) -> tuple[rdflib.Graph, float]:
    """Merge graphs, expand them with owlrl's OWL RL semantics; return the closure and seconds taken."""
    import owlrl

    work = rdflib.Graph()
    for g in graphs:
        for t in g:
            work.add(t)
    start = time.perf_counter()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False,
                           datatype_axioms=False).expand(work)
    return work, time.perf_counter() - start


@pytest.fixture(scope="session")
def sample_closure(ontology, sample_kg) -> tuple[rdflib.Graph, float]:
    """The OWL RL closure of ontology + sample KG (computed once: it takes seconds)."""
    return owlrl_closure(ontology, sample_kg)
