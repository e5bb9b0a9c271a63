"""Ontology QA: each named SPARQL rule in ontology/qa/*.rq returns no rows (run with pyoxigraph).

Each rule runs against the ontology plus tests/ontology/sample-kg.ttl, and against a built KG: the
bundled articles', or the dump the environment variable KHYBER_KG_DUMP names (any syntax pyoxigraph
reads: .ttl, .nt, .trig, .nq, .jsonld, optionally .gz). Each rule also has a deliberately broken
input in tests/ontology/qa-bad/<rule>.ttl on which it must report something, so no rule passes
vacuously.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest

from .conftest import ONTOLOGY_TTL, REPO, SAMPLE_KG

QA_DIR = REPO / "ontology" / "qa"
BAD_DIR = Path(__file__).resolve().parent / "qa-bad"
RULES = sorted(QA_DIR.glob("*.rq"))
FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS, ".jsonld": ox.RdfFormat.JSON_LD, ".owl": ox.RdfFormat.RDF_XML,
    ".rdf": ox.RdfFormat.RDF_XML,
}
SCRATCH_GRAPH = ox.NamedNode("urn:x-khyber:qa")


def load(store: ox.Store, path: Path) -> None:
    """Load an RDF file (optionally gzipped) into the store; triples go to a named scratch graph."""
    suffixes = path.suffixes
    data = path.read_bytes()
    if suffixes and suffixes[-1] == ".gz":
        data = gzip.decompress(data)
        suffixes = suffixes[:-1]
    fmt = FORMATS[suffixes[-1]]
    if fmt.supports_datasets:
        store.load(data, format=fmt)
    else:
        store.load(data, format=fmt, to_graph=SCRATCH_GRAPH)


def run(rule: Path, *paths: Path) -> list[str]:
    """Run a QA rule over the union of the given files; return the result rows as text."""
    store = ox.Store()
    for path in paths:
        load(store, path)
    results = store.query(rule.read_text(encoding="utf-8"), use_default_graph_as_union=True)
    names = [v.value for v in results.variables]
    return [" ".join(f"{n}={row[n]}" for n in names if row[n] is not None) for row in results]


def test_there_are_rules():
    """The QA folder holds the rules this suite promises."""
    names = {r.stem for r in RULES}
    assert {"missing-label", "missing-definition", "multiple-labels", "undeclared-property-used-in-data",
            "term-without-domain-or-range", "class-that-should-have-instances"} <= names


@pytest.mark.parametrize("rule", RULES, ids=[r.stem for r in RULES])
def test_rule_has_a_one_line_description(rule):
    """Each rule starts with a one-line '# rule:' comment saying what it checks."""
    first = rule.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# rule: ") and len(first) > len("# rule: ") + 10


@pytest.mark.parametrize("rule", RULES, ids=[r.stem for r in RULES])
def test_rule_passes_on_ontology_and_sample(rule):
    """No rule reports anything on the ontology plus the sample KG."""
    assert run(rule, ONTOLOGY_TTL, SAMPLE_KG) == []


@pytest.mark.parametrize("rule", RULES, ids=[r.stem for r in RULES])
def test_rule_passes_on_built_kg(rule, kg_dump_path):
    """No rule reports anything on a built KG (the bundled articles, or the dump KHYBER_KG_DUMP names)."""
    path = kg_dump_path
    assert path.exists(), f"{path} does not exist"
    # A dump includes the ontology; adding the source again is harmless and covers dumps without it.
    assert run(rule, path, ONTOLOGY_TTL) == []


@pytest.mark.parametrize("rule", RULES, ids=[r.stem for r in RULES])
def test_rule_catches_its_bad_example(rule):
    """On its broken example (plus the ontology) each rule reports at least one row."""
    bad = BAD_DIR / f"{rule.stem}.ttl"
    assert bad.exists(), f"write {bad.relative_to(REPO)}: an input the rule must flag"
    assert run(rule, ONTOLOGY_TTL, bad), f"{rule.name} found nothing wrong in {bad.name}"
