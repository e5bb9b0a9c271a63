"""The generated ontology artifacts (RDF/XML, JSON-LD, HTML) are fresh and faithful to the source."""

from __future__ import annotations

import html

import pytest
import rdflib
from rdflib.compare import isomorphic

from loader import ontology_artifacts as oa

from .conftest import ONTOLOGY_TTL, REPO


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """Artifacts regenerated from ontology/khyber.ttl into a temporary directory."""
    out = tmp_path_factory.mktemp("artifacts")
    paths = oa.generate(out)
    assert [p.name for p in paths] == list(oa.NAMES)
    return out


@pytest.mark.parametrize("name", ["khyber.owl", "khyber.jsonld"])
def test_rdf_artifact_is_not_stale(name, fresh):
    """The committed RDF artifact is the same graph as a fresh generation (run `khyber ontology` if not)."""
    committed = oa.parse_artifact(REPO / "ontology" / name)
    assert isomorphic(committed, oa.parse_artifact(fresh / name)), (
        f"ontology/{name} is stale: run `python -m loader.ontology_artifacts`")


@pytest.mark.parametrize("name", ["khyber.owl", "khyber.jsonld"])
def test_rdf_artifact_is_the_source_graph(name, fresh):
    """The generated RDF/XML and JSON-LD carry exactly the triples of the Turtle source."""
    source = rdflib.Graph().parse(ONTOLOGY_TTL)
    assert isomorphic(source, oa.parse_artifact(fresh / name))


def test_html_is_not_stale(fresh):
    """The committed HTML is byte-for-byte what the generator produces now."""
    generator = oa.html_generator()
    if not generator.startswith("pylode"):
        pytest.skip(f"pyLODE is not importable here (generator: {generator}); the committed HTML was made by pyLODE")
    committed = (REPO / "ontology" / "khyber.html").read_text(encoding="utf-8")
    assert committed == (fresh / "khyber.html").read_text(encoding="utf-8"), (
        "ontology/khyber.html is stale: run `python -m loader.ontology_artifacts`")


def test_html_documents_every_term(fresh):
    """Every kh: class and property appears in the HTML documentation by its label."""
    page = (fresh / "khyber.html").read_text(encoding="utf-8")
    source = rdflib.Graph().parse(ONTOLOGY_TTL)
    kh = "https://w3id.org/khyber/ontology#"
    missing = [str(t) for t in set(source.subjects(rdflib.RDFS.label, None))
               if str(t).startswith(kh) and html.escape(str(source.value(t, rdflib.RDFS.label))) not in page]
    assert missing == []


def test_plain_html_fallback_documents_every_term():
    """The built-in HTML renderer (used without pyLODE) also documents every kh: term."""
    graph = oa.load_source()
    page = oa._plain_html(graph)
    kh = "https://w3id.org/khyber/ontology#"
    missing = [str(t) for t in set(graph.subjects(rdflib.RDFS.label, None))
               if str(t).startswith(kh) and f'id="{str(t)[len(kh):]}"' not in page]
    assert missing == []


def test_stale_detects_an_edited_source(tmp_path, fresh):
    """The staleness check fails when the source changes after generation."""
    edited = tmp_path / "khyber.ttl"
    edited.write_text(ONTOLOGY_TTL.read_text(encoding="utf-8") +
                      '\n<https://w3id.org/khyber/ontology#Extra> a <http://www.w3.org/2002/07/owl#Class> .\n',
                      encoding="utf-8")
    problems = oa.stale(fresh, source=edited, compare_html=False)
    assert any(p.startswith("khyber.owl") for p in problems)
    assert any(p.startswith("khyber.jsonld") for p in problems)
