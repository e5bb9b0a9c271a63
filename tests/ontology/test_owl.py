"""OWL 2 DL profile (OWL API) and consistency (HermiT) of the ontology, alone and with data.

Needs Java, Debian's libowlapi-java and the owlready2 wheel (for HermiT.jar); skipped with the
reason when they are missing. The built-KG checks use the bundled articles (or the dump KHYBER_KG_DUMP names).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loader import owlcheck

from .conftest import ONTOLOGY_TTL, REPO, SAMPLE_KG

pytestmark = pytest.mark.java

MISSING = owlcheck.tools_missing()


@pytest.fixture(scope="module", autouse=True)
def _java_tools():
    if MISSING:
        pytest.skip(f"Java OWL tools unavailable: {MISSING}")


@pytest.fixture(scope="module")
def merged(tmp_path_factory) -> Path:
    """The ontology plus the sample KG in one Turtle file."""
    return owlcheck.merge_to_file([ONTOLOGY_TTL, SAMPLE_KG], tmp_path_factory.mktemp("owl") / "merged.ttl")


def write(tmp_path: Path, body: str) -> Path:
    """The ontology plus a Turtle snippet, as one file."""
    snippet = tmp_path / "snippet.ttl"
    snippet.write_text("@prefix kh: <https://w3id.org/khyber/ontology#> .\n"
                       "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" + body, encoding="utf-8")
    return owlcheck.merge_to_file([ONTOLOGY_TTL, snippet], tmp_path / "with-snippet.ttl")


def test_ontology_is_owl2_dl():
    """The ontology alone has no OWL 2 DL profile violation and no unparsed triple."""
    report = owlcheck.profile_report(ONTOLOGY_TTL, profile="DL")
    print(f"OWL API stats: {report.stats}")
    assert report.problems == []
    assert report.stats["classes"] >= 30 and report.stats["logicalAxioms"] >= 100


def test_ontology_axioms_are_owl2_rl():
    """Every axiom is inside OWL 2 RL, so owlrl can materialize all of it."""
    assert owlcheck.profile_report(ONTOLOGY_TTL, profile="RL").problems == []


def test_ontology_with_sample_kg_is_owl2_dl(merged):
    """The ontology plus data written the loader's way (xsd:date/gYear dates included) stays OWL 2 DL."""
    assert owlcheck.dl_violations(merged) == []


def test_generated_rdfxml_opens_in_owl_api():
    """ontology/khyber.owl (for Protégé) loads in the OWL API and is OWL 2 DL with the same axiom count."""
    owl = owlcheck.profile_report(REPO / "ontology" / "khyber.owl", profile="DL")
    ttl = owlcheck.profile_report(ONTOLOGY_TTL, profile="DL")
    assert owl.problems == []
    assert owl.stats["axioms"] == ttl.stats["axioms"]


def test_dl_check_catches_violations(tmp_path):
    """The checker reports an undeclared property and a non-OWL datatype in a data property assertion."""
    path = write(tmp_path, """
        <https://w3id.org/khyber/id/person/x> <https://w3id.org/khyber/ontology#nickname> "X" .
        <https://w3id.org/khyber/id/attack/x> kh:killed "2024-01-01"^^xsd:date .""")
    problems = "\n".join(owlcheck.dl_violations(path))
    assert "nickname" in problems
    assert "UseOfDefinedDatatypeInLiteral" in problems or "xsd:date" in problems


def test_hermit_ontology_consistent():
    """HermiT: the ontology is consistent and no named class is unsatisfiable."""
    result = owlcheck.hermit_check(ONTOLOGY_TTL)
    assert result.consistent, result.output
    assert result.unsatisfiable == []


def test_hermit_ontology_with_sample_kg_consistent(merged):
    """HermiT: the ontology plus the sample KG is consistent."""
    result = owlcheck.hermit_check(merged)
    assert result.ok, result.output


def test_hermit_catches_disjointness_violation(tmp_path):
    """HermiT finds data typing a node as both a person and a militant group inconsistent."""
    path = write(tmp_path, "<https://w3id.org/khyber/id/person/x> a kh:Person , kh:MilitantGroup .")
    assert not owlcheck.hermit_check(path).consistent


def test_hermit_reports_unsatisfiable_class(tmp_path):
    """A class under two disjoint classes is reported unsatisfiable (the check can fail)."""
    path = write(tmp_path, """
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        kh:Centaur a owl:Class ; rdfs:subClassOf kh:Person , kh:MilitantGroup .""")
    result = owlcheck.hermit_check(path)
    assert result.consistent and any("Centaur" in c for c in result.unsatisfiable), result.output


@pytest.fixture(scope="module")
def kg_dump(tmp_path_factory, kg_dump_path) -> Path:
    """A built KG (the bundled articles, or KHYBER_KG_DUMP), flattened to N-Triples for the Java tools."""
    import gzip

    import pyoxigraph as ox

    path = Path(kg_dump_path)
    data = path.read_bytes()
    suffixes = path.suffixes
    if suffixes[-1] == ".gz":
        data, suffixes = gzip.decompress(data), suffixes[:-1]
    fmt = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".trig": ox.RdfFormat.TRIG,
           ".nq": ox.RdfFormat.N_QUADS, ".jsonld": ox.RdfFormat.JSON_LD}[suffixes[-1]]
    store = ox.Store()
    store.load(data, format=fmt) if fmt.supports_datasets else store.load(data, format=fmt, to_graph=ox.DefaultGraph())
    store.load(ONTOLOGY_TTL.read_bytes(), format=ox.RdfFormat.TURTLE)  # harmless if the dump has it
    triples = {q.triple for q in store}
    out = tmp_path_factory.mktemp("dump") / "kg.nt"
    out.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    return out


def test_built_kg_is_owl2_dl(kg_dump):
    """The whole built KG (all graphs merged, ontology included) has no OWL 2 DL violation."""
    assert owlcheck.dl_violations(kg_dump) == []


def test_built_kg_hermit_consistent(kg_dump):
    """HermiT finds the whole built KG consistent with no unsatisfiable class."""
    result = owlcheck.hermit_check(kg_dump)
    assert result.ok, result.output
