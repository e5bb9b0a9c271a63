"""One article in, one RDF graph of its facts out (pure: no store, no I/O)."""

from __future__ import annotations

import hashlib

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from .articles import Article
from .dates import PartialDate
from .extract.agreements import find_agreements
from .extract.attacks import find_attacks
from .extract.claims import find_claims
from .extract.context import ArticleContext
from .extract.designations import find_affiliations, find_designations
from .extract.events import event_iri, find_events
from .extract.groups import find_new_organizations
from .extract.places import find_new_places
from .extract.people import find_people
from .facts import FactWriter
from .gazetteer import Gazetteer
from .namespaces import ID_BASE, KH, mint, slugify


def article_iri(article: Article) -> URIRef:
    """The article's stable IRI, from its content."""
    return mint("article", article.slug)


def article_to_graph(article: Article, *, gazetteer: Gazetteer | None = None) -> Graph:
    """All facts extracted from one article, each linked to the article and its evidence sentence."""
    graph = Graph()
    iri = article_iri(article)
    context = ArticleContext.of(article, gazetteer)
    _describe_article(graph, iri, article, context)
    writer = FactWriter(graph, iri)
    attacks: list = []
    steps = [
        ("organizations", lambda: _write_new_organizations(context, writer)),
        ("people", lambda: _write_people(context, writer)),
        ("places", lambda: _write_new_places(context, writer)),
        ("events", lambda: _write_events(context, writer)),
        ("attacks", lambda: attacks.extend(_write_attacks(context, writer))),
        ("designations", lambda: _write_designations(context, writer)),
        ("affiliations", lambda: _write_affiliations(context, writer)),
        ("agreements", lambda: _write_agreements(context, writer)),
        ("claims", lambda: _write_claims(context, writer, attacks)),
        ("mentions", lambda: _write_mentions(context, graph, iri)),
    ]
    for name, step in steps:
        # One extractor's failure on an odd sentence must not cost the article its other facts.
        # A failing step may leave a half-written node; the SHACL gate then rejects the article with a reason.
        try:
            step()
        except Exception as err:  # noqa: BLE001 - reported in the build report, never silent
            article.warnings.append(f"extraction of {name} failed: {type(err).__name__}: {err}")
    return graph


def _fact_iri(kind: str, *parts: object) -> URIRef:
    """A stable IRI for a fact from what identifies it (so re-running, or another article, gives the same)."""
    key = "|".join(str(p) for p in parts)
    readable = slugify(" ".join(str(p).rsplit("/", 1)[-1] for p in parts[:3] if p))[:60].strip("-") or kind
    return URIRef(f"{ID_BASE}{kind}/{readable}-{hashlib.sha1(key.encode()).hexdigest()[:8]}")


def _describe_article(graph: Graph, iri: URIRef, article: Article, context: ArticleContext) -> None:
    graph.add((iri, RDF.type, KH.Article))
    title = article.title or _lead_as_title(context)
    if title:
        graph.add((iri, DCTERMS.title, Literal(title)))
        graph.add((iri, RDFS.label, Literal(title, lang="en")))
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
    if article.dateline:
        place = next((e for e, _ in context.gazetteer.lookup(article.dateline.title()) if e.kind in ("place", "state")), None)
        if place is not None:
            graph.add((iri, KH.dateline, place.iri))


def _lead_as_title(context: ArticleContext, limit: int = 120) -> str | None:
    """An article without a headline is titled by its lead sentence (shortened at a word boundary)."""
    lead = next((s.text.strip().lstrip("•*- ").strip() for s in context.sentences if len(s.text.split()) >= 5), None)
    if not lead:
        return None
    if len(lead) <= limit:
        return lead
    return lead[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _write_new_organizations(context: ArticleContext, writer: FactWriter) -> None:
    for org in find_new_organizations(context):
        writer.node(org.iri, org.rdf_type, label=org.label, evidence=context.sentences[org.sentence_index],
                    rule="new-organization", confidence=0.6)
        if org.acronym:
            writer.add(org.iri, SKOS.altLabel, Literal(org.acronym))


def _write_new_places(context: ArticleContext, writer: FactWriter) -> None:
    for place in find_new_places(context):
        writer.node(place.iri, place.rdf_type, label=place.label, evidence=context.sentences[place.sentence_index],
                    rule="new-place", confidence=0.5)
        if place.alt_label:
            writer.add(place.iri, SKOS.altLabel, Literal(place.alt_label))
        if place.located_in is not None and place.located_in != place.iri:
            writer.add(place.iri, KH.locatedIn, place.located_in)


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
        evidence = [context.sentences[i] for i in dict.fromkeys(finding.sentences or [finding.sentence_index])]
        writer.node(iri, finding.rdf_type, label=_event_label(context, finding), evidence=evidence,
                    rule=finding.rule, confidence=finding.confidence)
        for participant in finding.participants:
            writer.add(iri, KH.participant, participant)
        for chair in finding.co_chairs:
            writer.add(iri, KH.coChair, chair)
        if finding.kind == "briefing":
            for participant in finding.participants:
                if participant in context.person_states or any(p.iri == participant for p in context.people):
                    writer.add(iri, KH.spokesperson, participant)
        if finding.location is not None:
            writer.add(iri, KH.location, finding.location)
        for visitor in finding.visitors:
            writer.add(iri, KH.visitor, visitor)
        for destination in finding.destinations:
            writer.add(iri, KH.destination, destination)
        _write_dates(writer, iri, finding.start, finding.end)


def _write_dates(writer: FactWriter, iri: URIRef, start: PartialDate | None, end: PartialDate | None) -> None:
    if start is not None and end is not None:
        writer.add(iri, KH.startDate, start.literal())
        writer.add(iri, KH.endDate, end.literal())
    elif start is not None:
        writer.add(iri, KH.date, start.literal())


def _event_label(context: ArticleContext, finding) -> str:
    names = [context.label_of(p) for p in (finding.visitors or finding.participants)[:3]]
    when = f" ({finding.start.iso()})" if isinstance(finding.start, PartialDate) else ""
    return f"{finding.kind.capitalize()}: {', '.join(names)}{when}"


def _write_attacks(context: ArticleContext, writer: FactWriter) -> list[tuple[URIRef, object]]:
    written = []
    for finding in find_attacks(context):
        if not finding.places and (finding.killed is not None or finding.perpetrators) and context.home_state:
            finding.places = [context.home_state.iri]  # "two mosques ..." in a story about one country
            finding.confidence = min(finding.confidence, 0.5)
        if not finding.places and finding.start is None:
            continue  # an attack with neither place nor time cannot be told apart from any other
        where = finding.places[0] if finding.places else None
        when = finding.start.iso() if finding.start else None
        iri = _fact_iri("attack", finding.kind, where, when, *sorted(map(str, finding.perpetrators)),
                        finding.killed, context.article.slug if not (where or when) else "")
        place_label = context.label_of(where) if where else None
        label = " ".join(x for x in [finding.kind.capitalize(), f"in {place_label}" if place_label else "",
                                     f"({when})" if when else ""] if x)
        evidence = [context.sentences[i] for i in finding.sentences]
        writer.node(iri, KH.Attack, label=label, evidence=evidence, rule="attack-trigger",
                    confidence=finding.confidence)
        writer.add(iri, KH.attackKind, Literal(finding.kind))
        for place in finding.places:
            writer.add(iri, KH.location, place)
        for group in finding.perpetrators:
            writer.add(iri, KH.perpetrator, group)
        _write_dates(writer, iri, finding.start, None)
        for prop, total, parts, part_prop in ((KH.killed, finding.killed, finding.killed_parts, KH.killedBreakdown),
                                              (KH.injured, finding.injured, finding.injured_parts, KH.injuredBreakdown)):
            if total is None:
                continue
            writer.integer(iri, prop, total)
            merged: dict[str, int] = {}
            for category, count in parts:
                merged[category] = merged.get(category, 0) + count
            for category, count in merged.items():
                part = URIRef(f"{iri}-{'killed' if prop == KH.killed else 'injured'}-{slugify(category)}")
                writer.add(part, RDF.type, KH.CasualtyFigure)
                writer.add(part, KH.casualtyCategory, Literal(category))
                writer.integer(part, KH.count, count)
                writer.add(iri, part_prop, part)
        written.append((iri, finding))
    return written


def _write_designations(context: ArticleContext, writer: FactWriter) -> None:
    for finding in find_designations(context):
        iri = _fact_iri("designation", finding.designee, finding.by, finding.type,
                        finding.date.iso() if finding.date else None)
        by_label = context.label_of(finding.by) if finding.by else "an authority"
        writer.node(iri, KH.Designation, label=f"Designation of {context.label_of(finding.designee)} by {by_label}",
                    evidence=context.sentences[finding.sentence_index], rule="designation-verb",
                    confidence=finding.confidence)
        writer.add(iri, KH.designee, finding.designee)
        if finding.by is not None:
            writer.add(iri, KH.designatedBy, finding.by)
        if finding.type is not None:
            writer.add(iri, KH.designationType, finding.type)
        _write_dates(writer, iri, finding.date, None)


def _write_affiliations(context: ArticleContext, writer: FactWriter) -> None:
    affiliate_of = context.gazetteer.affiliate_of
    for finding in find_affiliations(context):
        if finding.group == finding.parent or affiliate_of.get(finding.parent) == finding.group:
            continue  # the reference data says it is the other way round
        writer.add(finding.group, KH.affiliateOf, finding.parent)


def _write_agreements(context: ArticleContext, writer: FactWriter) -> None:
    for finding in find_agreements(context):
        parties = sorted(map(str, finding.parties))
        iri = _fact_iri("agreement", finding.kind, *parties, finding.value_usd)
        names = " – ".join(context.label_of(URIRef(p)) for p in parties[:3])
        writer.node(iri, KH.Agreement, label=f"{finding.kind[:1].upper()}{finding.kind[1:]} ({names})",
                    evidence=[context.sentences[i] for i in finding.sentences], rule="agreement-noun",
                    confidence=finding.confidence)
        writer.add(iri, KH.agreementKind, Literal(finding.kind))
        for party in finding.parties:
            writer.add(iri, KH.party, party)
        if finding.value_usd is not None:
            writer.add(iri, KH.valueUSD, Literal(finding.value_usd, datatype=XSD.decimal))
        if finding.status is not None:
            writer.add(iri, KH.status, finding.status)
        if finding.duration_years is not None:
            writer.integer(iri, KH.durationYears, finding.duration_years)
        _write_dates(writer, iri, finding.date, None)


def _write_claims(context: ArticleContext, writer: FactWriter, attacks) -> None:
    for finding in find_claims(context):
        iri = _fact_iri("claim", finding.claimant, finding.accused, context.article.slug,
                        finding.sentence_indices[0])
        who = context.label_of(finding.claimant) if finding.claimant else "Unattributed"
        label = f"Claim by {who} about {context.label_of(finding.accused)}" if finding.accused else f"Claim by {who}"
        writer.node(iri, KH.Claim, label=label, evidence=[context.sentences[i] for i in finding.sentence_indices],
                    rule="claim-verb", confidence=finding.confidence)
        for claimant in [finding.claimant, *finding.co_claimants]:
            if claimant is not None:
                writer.add(iri, KH.claimant, claimant)
        if finding.accused is not None:
            writer.add(iri, KH.accused, finding.accused)
        for denier in finding.denied_by:
            writer.add(iri, KH.deniedBy, denier)
        writer.add(iri, KH.claimText, Literal(finding.text))
        if finding.about_attack:
            attack = next((a for a, f in attacks if set(f.sentences) & set(finding.sentence_indices)), None)
            if attack is not None:
                writer.add(iri, KH.claimAbout, attack)


def _write_mentions(context: ArticleContext, graph: Graph, article: URIRef) -> None:
    """Every known entity and person the article names (kh:mentions), for 'all articles about X'."""
    for mentions in context.mentions.values():
        for mention in mentions:
            if mention.via != "demonym":
                graph.add((article, KH.mentions, mention.entry.iri))
    for person in context.people:
        graph.add((article, KH.mentions, person.iri))
