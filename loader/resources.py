"""Where the ontology, shapes and reference data live, and cached parsed copies of them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph

_HERE = Path(__file__).resolve().parent
# In a checkout these are symlinks to the top-level folders; in a wheel, copies of them.
ONTOLOGY_DIR = _HERE / "_ontology"
SHAPES_DIR = _HERE / "_shapes"
REFERENCE_DIR = _HERE / "reference"
ONTOLOGY_TTL = ONTOLOGY_DIR / "khyber.ttl"


def _parse_all(paths) -> Graph:
    graph = Graph()
    for path in sorted(paths):
        graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology as an rdflib graph (parsed once per process; treat as read-only)."""
    return _parse_all([ONTOLOGY_TTL])


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """All SHACL shapes files merged into one graph (read-only)."""
    return _parse_all(SHAPES_DIR.glob("*.ttl"))


@lru_cache(maxsize=1)
def reference_graph() -> Graph:
    """Reference data (states, places, groups, bodies, organizations) as one graph (read-only)."""
    return _parse_all(REFERENCE_DIR.glob("*.ttl"))
