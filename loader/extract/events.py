"""Diplomatic events: meetings, dialogues, visits, phone calls and press briefings, with who, where and when."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from rdflib import URIRef

from ..dates import PartialDate, find_dates
from ..namespaces import ID_BASE, KH, slugify
from .context import ArticleContext

# Trigger phrases per event kind (generic English); the first that matches a sentence wins.
TRIGGERS: list[tuple[str, URIRef, re.Pattern]] = [
    ("call", KH.PhoneCall, re.compile(r"\b(?:phone|telephone)(?:d| call| conversation)?\b|\b(?:held|had|made) a (?:\w+ )?call\b|\bspoke (?:by|over the) (?:tele)?phone\b|\bcall(?:ed)? (?:with|between)\b", re.I)),
    ("briefing", KH.PressBriefing, re.compile(r"\b(?:press|news|media|weekly) (?:briefing|conference)\b|\btold reporters\b|\bbriefing\b", re.I)),
    ("dialogue", KH.Dialogue, re.compile(r"\bdialogue\b", re.I)),
    ("visit", KH.Visit, re.compile(r"\b(?:visit(?:s|ed|ing)?|travel(?:s|led|ed|ling)? to|trip to|arrived in|tour(?:ed)? of)\b", re.I)),
    ("meeting", KH.Meeting, re.compile(r"\b(?:met|meet(?:s|ing)?(?: with)?|held (?:\w+ )?talks|talks (?:with|between|in|on)|courtesy call|called on|calls on|summit|negotiations with|co-chaired)\b", re.I)),
]
_FUTURE_OR_HYPOTHETICAL = re.compile(r"\b(?:will|would|could|may|might|plans? to|expected to|is to|are to)\b", re.I)
_LOCATION_CUE = re.compile(r"\b(?:in|at|to)\s+$", re.I)


@dataclass
class EventFinding:
    """An event found in one sentence."""

    kind: str
    rdf_type: URIRef
    sentence_index: int
    participants: list[URIRef]
    location: URIRef | None
    destinations: list[URIRef]
    visitors: list[URIRef]
    start: PartialDate | None
    end: PartialDate | None
    rule: str
    confidence: float


def find_events(context: ArticleContext) -> list[EventFinding]:
    """Events stated in the article, one per sentence at most."""
    findings = []
    for index, sentence in enumerate(context.sentences):
        text = sentence.text
        for kind, rdf_type, trigger in TRIGGERS:
            if not trigger.search(text):
                continue
            agents = [a for a in context.agents_in(index) if a[3] in ("person", "state", "body", "org")]
            participants = list(dict.fromkeys(a[2] for a in agents))
            people = [a for a in agents if a[3] == "person"]
            if kind == "briefing" and not people:
                continue
            if kind in ("meeting", "dialogue", "call") and len(participants) < 2:
                continue
            if kind == "visit" and not people:
                continue
            places = _places_after_cue(context, index)
            visitors = [a[2] for a in people] if kind == "visit" else []
            if kind == "visit":
                # the places visited are not participants; the travelling people are
                destination_states = {context.gazetteer.metonyms.get(p, p) for p in places}
                participants = [p for p in participants if p not in destination_states]
            dates = find_dates(text, context.article.date)
            start = dates[0][1] if dates else None
            end = dates[0][2] if dates else None
            findings.append(EventFinding(
                kind=kind, rdf_type=rdf_type, sentence_index=index, participants=participants,
                location=places[0] if places and kind != "visit" else None,
                destinations=places if kind == "visit" else [], visitors=visitors,
                start=start, end=end, rule=f"{kind}-trigger",
                confidence=0.6 if _FUTURE_OR_HYPOTHETICAL.search(text) else 0.8,
            ))
            break
    return findings


def _places_after_cue(context: ArticleContext, index: int) -> list[URIRef]:
    """Places introduced by 'in', 'at' or 'to' ('held talks in Islamabad', 'travel to Ankara')."""
    text = context.sentences[index].text
    found = []
    for mention in context.places_in(index):
        if _LOCATION_CUE.search(text[max(0, mention.start - 6):mention.start]) or (
            found and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", text[found[-1][1]:mention.start])
        ):
            found.append((mention.entry.iri, mention.end))
    return list(dict.fromkeys(iri for iri, _ in found))


def event_iri(finding: EventFinding) -> URIRef:
    """A stable IRI from what identifies the event: kind, date and participants."""
    when = finding.start.iso() if finding.start else "undated"
    who = sorted(str(p).rsplit("/", 1)[-1] for p in finding.participants)
    digest = hashlib.sha1("|".join([finding.kind, when, *who, str(finding.location)]).encode()).hexdigest()[:8]
    return URIRef(f"{ID_BASE}{_KIND_PATH[finding.kind]}/{slugify(when + '-' + '-'.join(who[:3]))}-{digest}")


_KIND_PATH = {"meeting": "meeting", "dialogue": "meeting", "visit": "visit", "call": "call", "briefing": "briefing"}
