"""Per-article processing: extract, reason (OWL RL) and validate (SHACL) one article on its own."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from . import reasoner
from .article_graph import article_iri, article_to_graph
from .articles import Article
from .resources import ontology_graph, reference_graph, shapes_graph


@dataclass
class ArticleResult:
    """The outcome for one article: its facts, their inferences, and the SHACL verdict."""

    article: Article
    iri: URIRef
    graph: Graph
    inferred: Graph
    conforms: bool
    violations: list[str]


def touched_reference(graph: Graph) -> Graph:
    """The reference triples about entities the article's graph mentions (types, labels, locatedIn ...)."""
    reference = reference_graph()
    touched = Graph()
    frontier = {t for t in graph.all_nodes() if isinstance(t, URIRef)}
    seen: set[URIRef] = set()
    while frontier:  # follow kh:locatedIn / governmentOf chains so places reach their state
        node = frontier.pop()
        seen.add(node)
        for triple in reference.triples((node, None, None)):
            touched.add(triple)
            if isinstance(triple[2], URIRef) and triple[1] != RDF.type and triple[2] not in seen:
                if (triple[2], None, None) in reference:
                    frontier.add(triple[2])
    return touched


def reason(graph: Graph, context: Graph, *, engine: str = "compiled") -> Graph:
    """The OWL RL inferences about the article's individuals (not the ontology's own closure).

    `engine="compiled"` (the default) closes the article against the ontology compiled once per
    process (`loader.reasoner`), falling back to owlrl for what it does not cover; `engine="owlrl"`
    runs owlrl over ontology + article + context, the reference the compiled engine must match.
    """
    ontology = ontology_graph()
    new = reasoner.closure(ontology, graph, context) if engine == "compiled" else None
    if new is None:
        work = Graph()
        for source in (graph, context, ontology):
            for triple in source:
                work.add(triple)
        candidates = [t for t in reasoner.owlrl_closure(work) if _is_inference(t)]
    else:  # the closure is T* + new; T*'s share of inferences is the same for every article
        candidates = [*_ontology_inferences(), *filter(_is_inference, new)]
    asserted = set(graph) | set(context)
    inferred = Graph()
    for triple in candidates:
        if triple not in asserted:
            inferred.add(triple)
    return inferred


def _is_inference(triple) -> bool:
    """Whether a triple of the closure is an article's inference (not asserted by the ontology, not trivial)."""
    s, p, o = triple
    tbox_subjects, ontology_triples = _tbox()
    if isinstance(s, Literal) or s in tbox_subjects or triple in ontology_triples:
        return False  # TBox inferences belong to the ontology, not to an article
    if p == OWL.sameAs and s == o:
        return False
    return not (p == RDF.type and o in (OWL.Thing, RDFS.Resource, OWL.NamedIndividual))


@lru_cache(maxsize=1)
def _ontology_inferences() -> tuple:
    """The inferences every article's closure shares: T*'s own, outside the ontology's terms."""
    return tuple(filter(_is_inference, reasoner.compiled(ontology_graph()).triples))


@lru_cache(maxsize=1)
def _tbox() -> tuple[frozenset, frozenset]:
    """The subjects the ontology types (its terms, individuals, the ontology itself), and its triples."""
    ontology = ontology_graph()
    return frozenset(ontology.subjects(RDF.type, None)), frozenset(ontology)


def validate(data: Graph) -> tuple[bool, list[str]]:
    """SHACL-validate a data graph against the shapes (with the ontology); the failures as readable lines."""
    conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none",
        advanced=True, allow_warnings=True,
    )
    if conforms:
        return True, []
    lines = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        if severity != SH.Violation:
            continue
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        shape = report.value(result, SH.sourceShape)
        message = report.value(result, SH.resultMessage)
        lines.append(f"{focus} {('path ' + str(path)) if path else ''}: {message} (shape {shape})".replace("  ", " "))
    return (not lines), sorted(lines)


def process_article(article: Article) -> ArticleResult:
    """Extract, reason over and validate one article; nothing here touches the store."""
    graph = article_to_graph(article)
    context = touched_reference(graph)
    inferred = reason(graph, context)
    data = Graph()
    for source in (graph, context, inferred):
        for triple in source:
            data.add(triple)
    conforms, violations = validate(data)
    return ArticleResult(article, article_iri(article), graph, inferred, conforms, violations)
