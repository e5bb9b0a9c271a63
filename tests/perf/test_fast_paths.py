"""The build's fast reasoning and validation give exactly what owlrl and plain pyshacl give.

`loader.reasoner` (the ontology compiled once, articles closed semi-naively) and the fast SHACL
path in `loader.pipeline` (inoculated ontology and shapes prepared once, SPARQL constraints on
Oxigraph) are optimisations only: every test here compares them with the reference engines.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import OWL, RDF, RDFS, XSD

from loader import pipeline, reasoner
from loader.article_graph import article_to_graph
from loader.articles import Rejection, find_article_files, read_articles
from loader.resources import ontology_graph

REPO = Path(__file__).resolve().parents[2]
KH = "https://w3id.org/khyber/ontology#"
ID = "https://w3id.org/khyber/id/"
SHAPE_CASES = sorted((REPO / "tests" / "shapes").glob("*valid/*.ttl"))


def _articles():
    files = find_article_files([REPO / "data" / "articles"])
    return [a for f in files for a in read_articles(f) if not isinstance(a, Rejection)]


@pytest.fixture(scope="module")
def article_graphs():
    """(name, asserted graph, touched reference) for each bundled article."""
    return [(a.source_file, g, pipeline.touched_reference(g)) for a in _articles() for g in [article_to_graph(a)]]


def _same(left: Graph, right: Graph) -> bool:
    return isomorphic(left, right)


def _diff(left: Graph, right: Graph) -> str:
    only_left = set(to_isomorphic(left)) - set(to_isomorphic(right))
    only_right = set(to_isomorphic(right)) - set(to_isomorphic(left))
    return f"only compiled: {sorted(only_left)[:5]}; only owlrl: {sorted(only_right)[:5]}"


def test_compiled_reasoner_matches_owlrl_on_bundled_articles(article_graphs):
    """Each article's inferred graph is the same whichever engine computes it (owlrl is slow: three)."""
    assert article_graphs, "no bundled articles found"
    for name, graph, context in sorted(article_graphs, key=lambda item: -len(item[1]))[:3]:
        fast = pipeline.reason(graph, context)
        slow = pipeline.reason(graph, context, engine="owlrl")
        assert len(fast) > len(graph) // 4, f"{name}: suspiciously few inferences"
        assert _same(fast, slow), f"{name}: {_diff(fast, slow)}"


def _graph(*triples) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


PERSON = URIRef(ID + "person/test-person")
POSITION = URIRef(ID + "position/test-minister-of-pakistan")
HOLDING = URIRef(ID + "holding/test-person-test-minister-of-pakistan")
PAKISTAN = URIRef(ID + "state/pakistan")
QUETTA = URIRef(ID + "place/test-quetta")
ATTACK = URIRef(ID + "attack/test-attack")

EDGE_CASES = {
    # what the compiled rules do themselves
    "chain, inverse and defined class": _graph(
        (HOLDING, URIRef(KH + "holder"), PERSON), (HOLDING, URIRef(KH + "heldPosition"), POSITION),
        (POSITION, URIRef(KH + "positionOf"), PAKISTAN)),
    "transitive place chain": _graph(
        (ATTACK, URIRef(KH + "location"), QUETTA), (QUETTA, URIRef(KH + "locatedIn"), URIRef(ID + "place/test-bal")),
        (URIRef(ID + "place/test-bal"), URIRef(KH + "locatedIn"), PAKISTAN)),
    "literals of several datatypes": _graph(
        (ATTACK, URIRef(KH + "killed"), Literal(5)), (ATTACK, URIRef(KH + "date"), Literal("2024-05", datatype=XSD.gYearMonth)),
        (ATTACK, RDFS.label, Literal("x", lang="en"))),
    # what makes the compiled engine hand over to owlrl
    "disjoint classes (owlrl adds error triples)": _graph(
        (PERSON, RDF.type, URIRef(KH + "Person")), (PERSON, RDF.type, URIRef(KH + "Organization"))),
    "owl:sameAs": _graph((PERSON, OWL.sameAs, URIRef(ID + "person/other")),
                         (URIRef(ID + "person/other"), URIRef(KH + "holdsPosition"), POSITION)),
    "ill-typed literal": _graph((ATTACK, URIRef(KH + "killed"), Literal("many", datatype=XSD.integer))),
    "schema triple in the data": _graph((URIRef(KH + "Attack"), RDFS.subClassOf, URIRef(KH + "Meeting")),
                                        (ATTACK, RDF.type, URIRef(KH + "Attack"))),
}
HANDED_OVER = {"disjoint classes (owlrl adds error triples)", "owl:sameAs", "ill-typed literal", "schema triple in the data"}


def test_compiled_reasoner_matches_owlrl_on_hand_made_rules():
    """Chains, inverses, defined classes, transitivity and datatypes, all in one graph: same as owlrl."""
    graph = Graph()
    for case in sorted(EDGE_CASES.keys() - HANDED_OVER):
        graph += EDGE_CASES[case]
    assert reasoner.closure(ontology_graph(), graph) is not None
    fast = pipeline.reason(graph, Graph())
    slow = pipeline.reason(graph, Graph(), engine="owlrl")
    assert _same(fast, slow), _diff(fast, slow)


@pytest.mark.parametrize("case", sorted(HANDED_OVER))
def test_compiled_reasoner_hands_over_to_owlrl(case):
    """Inputs whose owlrl closure the compiled rules do not reproduce go to owlrl itself."""
    assert reasoner.closure(ontology_graph(), EDGE_CASES[case]) is None
    assert reasoner.closure(ontology_graph(), EDGE_CASES["transitive place chain"], EDGE_CASES[case]) is None


def test_compiled_reasoner_infers_the_chain_conclusions():
    """A guard against both engines agreeing on nothing: the chain case infers officialOf."""
    inferred = pipeline.reason(EDGE_CASES["chain, inverse and defined class"], Graph())
    assert (PERSON, URIRef(KH + "officialOf"), PAKISTAN) in inferred
    assert (PERSON, RDF.type, URIRef(KH + "Official")) in inferred


@pytest.mark.parametrize("case", SHAPE_CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fast_validation_matches_pyshacl_on_shape_cases(case):
    """Same verdict and same violation lines as pyshacl.validate(..., ont_graph=ontology)."""
    data = Graph().parse(case)
    assert pipeline.validate(data) == pipeline.validate(data, engine="pyshacl")


def test_fast_validation_matches_pyshacl_on_bundled_articles(article_graphs):
    """Every bundled article with its context and inferences validates the same both ways."""
    for name, graph, context in article_graphs[:4]:
        inferred = pipeline.reason(graph, context)
        fast = pipeline.validate(graph, context, inferred)
        assert fast == pipeline.validate(graph, context, inferred, engine="pyshacl"), name


def test_fast_validation_reports_a_broken_article():
    """A violation found by a SHACL-SPARQL constraint (answered by Oxigraph) is reported."""
    article = URIRef(ID + "article/test-article")
    graph = _graph(
        (article, RDF.type, URIRef(KH + "Article")), (article, URIRef("http://purl.org/dc/terms/date"), Literal("2024-01-01", datatype=XSD.date)),
        (ATTACK, RDF.type, URIRef(KH + "Attack")), (ATTACK, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), article),
        (ATTACK, URIRef(KH + "date"), Literal("2024-02-01", datatype=XSD.date)))
    inferred = pipeline.reason(graph, Graph())
    conforms, lines = pipeline.validate(graph, inferred)
    assert not conforms
    assert any("after the date" in line for line in lines), lines
    assert (conforms, lines) == pipeline.validate(graph, inferred, engine="pyshacl")
