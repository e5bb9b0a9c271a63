"""One article in, one RDF graph of its facts out (pure: no store, no I/O)."""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD

from .articles import Article
from .dates import PartialDate
from .extract.context import ArticleContext
from .extract.events import event_iri, find_events
from .extract.people import find_people
from .facts import FactWriter
from .gazetteer import Gazetteer
from .namespaces import KH, mint


def article_iri(article: Article) -> URIRef:
    """The article's stable IRI, from its content."""
    return mint("article", article.slug)


def article_to_graph(article: Article, *, gazetteer: Gazetteer | None = None) -> Graph:
    """All facts extracted from one article, each linked to the article and its evidence sentence."""
    graph = Graph()
    iri = article_iri(article)
    _describe_article(graph, iri, article)
    context = ArticleContext.of(article, gazetteer)
    writer = FactWriter(graph, iri)
    _write_people(context, writer)
    _write_events(context, writer)
    return graph


def _describe_article(graph: Graph, iri: URIRef, article: Article) -> None:
    graph.add((iri, RDF.type, KH.Article))
    if article.title:
        graph.add((iri, DCTERMS.title, Literal(article.title)))
        graph.add((iri, RDFS.label, Literal(article.title, lang="en")))
    else:
        graph.add((iri, RDFS.label, Literal(f"Article {article.source_file}", lang="en")))
    if article.date:
        graph.add((iri, DCTERMS.date, Literal(article.date.isoformat(), datatype=XSD.date)))
    if article.url:
        graph.add((iri, DCTERMS.source, URIRef(article.url)))
    if article.publisher:
        graph.add((iri, DCTERMS.publisher, Literal(article.publisher)))
    graph.add((iri, KH.sourceFile, Literal(article.source_file)))
    graph.add((iri, KH.contentHash, Literal(article.content_hash)))


def _write_people(context: ArticleContext, writer: FactWriter) -> None:
    for finding in find_people(context):
        person = finding.person
        sentence = context.sentences[finding.sentence_index]
        writer.node(person.iri, KH.Person, label=person.name, evidence=person.sentence, rule="person-name")
        for post in finding.posts:
            if post.owner is None:
                continue
            label = f"{post.title} of {post.owner.label}"
            position = writer.node(mint("position", label), KH.Position, label=label, evidence=sentence,
                                   rule=post.rule, confidence=post.confidence)
            writer.add(position, KH.positionOf, post.owner.iri)
            writer.add(position, KH.positionTitle, Literal(post.title))
            holding = writer.node(mint("holding", f"{person.name} {label}"), KH.PositionHolding,
                                  label=f"{person.name}, {label}", evidence=sentence, rule=post.rule,
                                  confidence=post.confidence)
            writer.add(holding, KH.holder, person.iri)
            writer.add(holding, KH.heldPosition, position)
            if post.status != "former":
                writer.add(person.iri, KH.holdsPosition, position)


def _write_events(context: ArticleContext, writer: FactWriter) -> None:
    for finding in find_events(context):
        iri = event_iri(finding)
        sentence = context.sentences[finding.sentence_index]
        writer.node(iri, finding.rdf_type, label=_event_label(context, finding), evidence=sentence,
                    rule=finding.rule, confidence=finding.confidence)
        for participant in finding.participants:
            writer.add(iri, KH.participant, participant)
        if finding.location is not None:
            writer.add(iri, KH.location, finding.location)
        for visitor in finding.visitors:
            writer.add(iri, KH.visitor, visitor)
        for destination in finding.destinations:
            writer.add(iri, KH.destination, destination)
        if finding.start is not None and finding.end is not None:
            writer.add(iri, KH.startDate, finding.start.literal())
            writer.add(iri, KH.endDate, finding.end.literal())
        elif finding.start is not None:
            writer.add(iri, KH.date, finding.start.literal())


def _event_label(context: ArticleContext, finding) -> str:
    names = []
    for participant in finding.participants[:3]:
        entry = context.gazetteer.entries.get(participant)
        person = next((p for p in context.people if p.iri == participant), None)
        names.append(entry.label if entry else person.name if person else str(participant).rsplit("/", 1)[-1])
    when = f" ({finding.start.iso()})" if isinstance(finding.start, PartialDate) else ""
    return f"{finding.kind.capitalize()}: {', '.join(names)}{when}"
