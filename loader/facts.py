"""Writing extracted facts into an article's graph, each with its provenance."""

from __future__ import annotations

from decimal import Decimal

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV, XSD

from .namespaces import KH
from .text import Sentence


class FactWriter:
    """Adds nodes and triples to one article's graph; every extracted node gets its article and evidence."""

    def __init__(self, graph: Graph, article_iri: URIRef):
        self.graph = graph
        self.article_iri = article_iri

    def node(
        self,
        iri: URIRef,
        rdf_type: URIRef,
        *,
        label: str | None = None,
        evidence: list[Sentence] | Sentence | None = None,
        rule: str | None = None,
        confidence: float | None = None,
    ) -> URIRef:
        """Declare an extracted node with its type, label and provenance; returns the IRI."""
        g = self.graph
        g.add((iri, RDF.type, rdf_type))
        if label and g.value(iri, RDFS.label) is None:
            g.add((iri, RDFS.label, Literal(label, lang="en")))
        g.add((iri, PROV.wasDerivedFrom, self.article_iri))
        sentences = [evidence] if isinstance(evidence, Sentence) else list(evidence or [])
        for sentence in sentences:
            g.add((iri, KH.evidence, Literal(sentence.text.strip())))
        if sentences and g.value(iri, KH.evidenceStart) is None:
            lead = len(sentences[0].text) - len(sentences[0].text.lstrip())  # a blanked dateline is not evidence
            g.add((iri, KH.evidenceStart, Literal(sentences[0].start + lead, datatype=XSD.integer)))
            g.add((iri, KH.evidenceEnd, Literal(sentences[0].end, datatype=XSD.integer)))
        if rule and g.value(iri, KH.extractionRule) is None:
            g.add((iri, KH.extractionRule, Literal(rule)))
        if confidence is not None and g.value(iri, KH.confidence) is None:
            g.add((iri, KH.confidence, Literal(Decimal(str(round(confidence, 2))), datatype=XSD.decimal)))
        return iri

    def add(self, subject, predicate, obj) -> None:
        """Add one triple."""
        self.graph.add((subject, predicate, obj))

    def integer(self, subject, predicate, value: int) -> None:
        """Add an xsd:integer value."""
        self.graph.add((subject, predicate, Literal(int(value), datatype=XSD.integer)))
