"""Per-article processing: extract, reason (OWL RL) and validate (SHACL) one article on its own."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
import pyshacl
from pyshacl.errors import ValidationFailure
from pyshacl.graph_abstraction import DataGraph
from pyshacl.rdfutil.inoculate import inoculate
from pyshacl.shapes_graph import ShapesGraph
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.query import Result

from . import reasoner
from .article_graph import article_iri, article_to_graph
from .articles import Article
from .namespaces import ID_BASE
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
    index = _reference_index()
    touched = Graph()
    frontier = {t for t in graph.all_nodes() if isinstance(t, URIRef) and t in index}
    seen: set[URIRef] = set()
    while frontier:  # follow kh:locatedIn / governmentOf chains so places reach their state
        node = frontier.pop()
        seen.add(node)
        for triple in index[node]:
            touched.add(triple)
            if isinstance(triple[2], URIRef) and triple[1] != RDF.type and triple[2] not in seen:
                if triple[2] in index:
                    frontier.add(triple[2])
    return touched


@lru_cache(maxsize=1)
def _reference_index() -> dict:
    """The reference graph's triples by subject (built once per process)."""
    index: dict = {}
    for triple in reference_graph():
        index.setdefault(triple[0], []).append(triple)
    return index


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
    # Only statements about the data's own resources: ontology blank nodes in an article's graph would no
    # longer match the ontology's (27 OWL 2 DL violations on the built KG before this filter).
    if not (isinstance(s, URIRef) and str(s).startswith(ID_BASE)) or isinstance(o, BNode):
        return False
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


def validate(data: Graph, *more: Graph, engine: str = "fast") -> tuple[bool, list[str]]:
    """SHACL-validate data graphs (merged) against the shapes, with the ontology; the failures as readable lines.

    `engine="fast"` (the default) gives pyshacl the same graph its `ont_graph` option would build
    (the data plus the ontology's axioms, copied in once per process), reuses the parsed shapes,
    and answers the shapes' SPARQL constraints with Oxigraph; `engine="pyshacl"` is the plain call,
    the reference the fast one must match.
    """
    if engine == "pyshacl":
        merged = Graph()
        for source in (data, *more):
            for triple in source:
                merged.add(triple)
        conforms, report, _text = pyshacl.validate(
            merged, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none",
            advanced=True, allow_warnings=True,
        )
    else:
        conforms, report = _validate_fast((data, *more))
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


_VALIDATOR_OPTIONS = {"inference": "none", "inplace": True, "advanced": True, "allow_warnings": True}


def _validate_fast(graphs) -> tuple[bool, Graph]:
    """pyshacl's Validator over data + inoculated ontology, with the shapes parsed once per process."""
    work = _OxigraphQueryGraph()
    for source in (*graphs, _inoculated_ontology()):
        for triple in source:
            work.add(triple)
    options = dict(_VALIDATOR_OPTIONS, logger=logging.getLogger("pyshacl"))
    validator = pyshacl.Validator(DataGraph.from_rdflib(work), shacl_graph=shapes_graph(), options=options)
    validator.shacl_graph = _shapes()  # the same shapes, already harvested into Shape objects
    try:
        conforms, report, _text = validator.run()
    except ValidationFailure as err:  # what pyshacl.validate returns in that case
        return False, err
    return conforms, report


@lru_cache(maxsize=1)
def _shapes() -> ShapesGraph:
    """The shapes as pyshacl's ShapesGraph, its Shape objects built once."""
    shapes = ShapesGraph(shapes_graph())
    shapes.shapes  # noqa: B018 - harvest now, so forked workers inherit the result
    return shapes


@lru_cache(maxsize=1)
def _inoculated_ontology() -> Graph:
    """What pyshacl's `ont_graph` adds to a data graph: the ontology's RDFS/OWL axioms (computed once)."""
    return inoculate(Graph(), ontology_graph())


class _OxigraphQueryGraph(Graph):
    """An in-memory rdflib graph whose SPARQL SELECT queries run on an Oxigraph copy of it.

    pyshacl evaluates SHACL-SPARQL constraints with `graph.query(text, initBindings=...)`; rdflib's
    own engine takes ~1 s a query on an article, Oxigraph a millisecond. Pre-bound variables become
    Oxigraph substitutions (SHACL's pre-binding); anything else goes to rdflib.
    """

    _ox: ox.Store | None = None

    def query(self, query_object, processor="sparql", result="sparql", initNs=None,  # noqa: N803
              initBindings=None, use_store_provided=True, **kwargs):  # noqa: N803
        """Answer a SELECT string with Oxigraph; any other query with rdflib."""
        if isinstance(query_object, str) and not initNs and not kwargs:
            if self._ox is None:
                self._ox = ox.Store()
                ontology = _inoculated_ontology()
                self._ox.extend(_ox_ontology_quads())
                self._ox.extend([ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in self
                                 if (s, p, o) not in ontology])
            substitutions = {ox.Variable(str(k)): _to_ox(v) for k, v in (initBindings or {}).items()}
            try:
                solutions = self._ox.query(query_object, substitutions=substitutions)
            except (SyntaxError, ValueError, TypeError):
                solutions = None  # let rdflib parse it and report the error its usual way
            if isinstance(solutions, ox.QuerySolutions):
                names = [Variable(v.value) for v in solutions.variables]
                answer = Result("SELECT")
                answer.vars = names
                answer.bindings = [
                    {name: _from_ox(row[name]) for name in names if row[name] is not None} for row in solutions]
                return answer
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


@lru_cache(maxsize=1)
def _ox_ontology_quads() -> tuple:
    """The inoculated ontology as Oxigraph quads (converted once)."""
    return tuple(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in _inoculated_ontology())


@lru_cache(maxsize=200_000)
def _to_ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


_XSD_STRING = str(XSD.string)


def _from_ox(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def warm() -> None:
    """Parse and compile the ontology, shapes and reference data now (a worker's initializer)."""
    reasoner.compiled(ontology_graph())
    _tbox()
    _ontology_inferences()
    _reference_index()
    _shapes()
    _ox_ontology_quads()


def process_article(article: Article) -> ArticleResult:
    """Extract, reason over and validate one article; nothing here touches the store."""
    graph = article_to_graph(article)
    context = touched_reference(graph)
    inferred = reason(graph, context)
    conforms, violations = validate(graph, context, inferred)
    return ArticleResult(article, article_iri(article), graph, inferred, conforms, violations)
