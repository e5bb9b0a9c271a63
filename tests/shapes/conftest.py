"""Fixtures for the SHACL tests: the shapes, the ontology and a validation helper."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SH

REPO = Path(__file__).resolve().parents[2]
SHAPES_TTL = REPO / "shapes" / "khyber-shapes.ttl"
ONTOLOGY_TTL = REPO / "ontology" / "khyber.ttl"
SAMPLE_KG = REPO / "tests" / "ontology" / "sample-kg.ttl"
PREFIXES = {
    "khsh": "https://w3id.org/khyber/shapes#",
    "kh": "https://w3id.org/khyber/ontology#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}


@lru_cache(maxsize=1)
def shapes_graph() -> rdflib.Graph:
    """The shapes, parsed once (read-only)."""
    return rdflib.Graph().parse(SHAPES_TTL)


@lru_cache(maxsize=1)
def ontology_graph() -> rdflib.Graph:
    """The ontology, parsed once (read-only)."""
    return rdflib.Graph().parse(ONTOLOGY_TTL)


def expand(curie: str) -> URIRef | None:
    """Expand a prefixed name from a test header ('none' means no path)."""
    if curie == "none":
        return None
    prefix, _, local = curie.partition(":")
    return URIRef(PREFIXES[prefix] + local)


def header(path: Path) -> dict[str, str]:
    """The '# key: value' lines at the top of a test file."""
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].strip().partition(": ")
        if sep and key in ("expect-shape", "expect-path", "expect-inferred", "mode", "pyrudof"):
            fields[key] = value.strip()
    return fields


def data_graph(path: Path, *, inferred: bool) -> rdflib.Graph:
    """The file merged with the ontology, optionally with its OWL RL closure (as the loader does)."""
    graph = rdflib.Graph().parse(path)
    graph += ontology_graph()
    if inferred:
        import owlrl

        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False,
                               datatype_axioms=False).expand(graph)
        # Triples with a literal subject cannot be stored; the loader drops them too.
        for triple in [t for t in graph if isinstance(t[0], Literal)]:
            graph.remove(triple)
    return graph


@dataclass(frozen=True)
class Result:
    """One SHACL validation result, reduced to what the tests compare."""

    shape: URIRef
    path: URIRef | None
    focus: str
    messages: tuple[str, ...]


@lru_cache(maxsize=None)
def validate_file(path: Path, *, inferred: bool) -> tuple[bool, tuple[Result, ...]]:
    """Validate a test file merged with the ontology (cached: several tests look at the same report)."""
    conforms, results = validate(data_graph(path, inferred=inferred))
    return conforms, tuple(results)


def validate(graph: rdflib.Graph) -> tuple[bool, list[Result]]:
    """Validate with pyshacl (SHACL-SPARQL on); return conformance and the results."""
    import pyshacl

    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes_graph(), advanced=True)
    results = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(r, SH.resultPath)
        results.append(Result(
            shape=report.value(r, SH.sourceShape),
            path=path if isinstance(path, URIRef) else None,
            focus=str(report.value(r, SH.focusNode)),
            messages=tuple(str(m) for m in report.objects(r, SH.resultMessage)),
        ))
    return conforms, results
