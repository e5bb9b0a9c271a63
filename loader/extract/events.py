"""Diplomatic events: meetings, dialogues, visits, phone calls and press briefings, with who, where and when."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from rdflib import URIRef

from ..dates import PartialDate, find_dates
from ..namespaces import ID_BASE, KH, slugify
from .context import ArticleContext

# Trigger phrases per event kind (generic English); the first that matches a sentence wins.
TRIGGERS: list[tuple[str, URIRef, re.Pattern]] = [
    ("call", KH.PhoneCall, re.compile(r"\b(?:phone|telephone)(?:d| call| conversation)?\b|\b(?:held|had|made) a (?:\w+ )?call\b|\bspoke (?:by|over the) (?:tele)?phone\b|\bcall(?:ed)? (?:with|between)\b", re.I)),
    ("briefing", KH.PressBriefing, re.compile(r"\b(?:press|news|media|weekly) (?:briefing|conference)\b|\btold reporters\b|\bbriefing\b", re.I)),
    ("dialogue", KH.Dialogue, re.compile(r"\bdialogue\b", re.I)),
    ("visit", KH.Visit, re.compile(r"\b(?:visit(?:s|ed|ing)?|travel(?:s|led|ed|ling)? to|trip|arrived in|arrives in|tour(?:ed)?|"
                                   r"led (?:a|the) (?:[\w\-]+ ){0,3}delegation to)\b", re.I)),
    ("meeting", KH.Meeting, re.compile(r"\b(?:met|meet(?:s|ing)?(?: with)?|held (?:\w+ )?talks|talks (?:with|between|in|on)|after talks|courtesy call|called on|calls on|summit|negotiations with|co-chaired)\b", re.I)),
]
GENERIC_MEETING = re.compile(r"\b(?:similar|annual|regular|periodic|routine|previous|past)\s+(?:\w+\s+)?(?:talks|meetings|dialogues?|process|rounds?)\b|\bsince at least\b", re.I)
_FUTURE_OR_HYPOTHETICAL = re.compile(r"\b(?:will|would|could|may|might|plans? to|expected to|is to|are to)\b", re.I)
# "in Islamabad", "to the port city of Haiphong", "visited Kabul", "arrived in New Delhi"
_LOCATION_CUE = re.compile(r"\b(?:(?:in|at|to)\s+(?:the\s+)?(?:[\w\-]+\s+){0,3}?(?:of\s+)?|visit(?:ed|ing|s)?\s+)$", re.I)


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
    co_chairs: list[URIRef] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)


def find_events(context: ArticleContext) -> list[EventFinding]:
    """Events stated in the article; sentences describing the same event are merged into one."""
    findings: list[EventFinding] = []
    for index, sentence in enumerate(context.sentences):
        text = sentence.text
        for kind, rdf_type, trigger in TRIGGERS:
            if not trigger.search(text):
                continue
            title_spans = context.title_spans.get(index, [])
            agents = [a for a in context.agents_in(index) if a[3] in ("person", "state", "body", "org")
                      and not any(s <= a[0] < e for s, e in title_spans)]
            participants = list(dict.fromkeys(a[2] for a in agents))
            people = [a for a in agents if a[3] == "person"]
            if kind == "briefing" and not people:
                continue
            if kind in ("meeting", "dialogue", "call") and len(participants) < 2:
                continue
            if kind in ("meeting", "dialogue") and GENERIC_MEETING.search(text):
                continue  # "similar talks held since 2023", "an annual dialogue": a practice, not one event
            if kind == "visit" and not people:
                continue
            places = _places_after_cue(context, index) + [
                p for p in context.new_places.get(index, []) if kind != "visit"]
            visitors = [a[2] for a in people] if kind == "visit" else []
            if kind == "visit":
                # the places visited are not participants; the travelling people are
                destination_states = {context.gazetteer.metonyms.get(p, p) for p in places}
                participants = [p for p in participants if p not in destination_states]
                inside = context.gazetteer.located_in
                places = [p for p in places if not any(p in inside.get(q, ()) for q in places if q != p)]
                here = [e.iri for e, _ in context.gazetteer.lookup((context.article.dateline or "").title())
                        if e.kind == "place"] if context.article.dateline else []
                if here:
                    for i, place in enumerate(places):
                        entry = context.gazetteer.entries.get(place)
                        if entry is not None and entry.kind == "state" and place in context.gazetteer.located_in.get(here[0], ()):
                            places[i] = here[0]
                    places = list(dict.fromkeys(places))
                if re.search(r"\balso\b", text) and context.article.dateline:
                    # "a tour that will also take her to X and Y": the place the story is filed from is a stop too
                    here = [e.iri for e, _ in context.gazetteer.lookup(context.article.dateline.title()) if e.kind == "place"]
                    places = here[:1] + [p for p in places if p not in here]
            dates = find_dates(_unquoted(text) if kind == "briefing" else text, context.article.date)
            # the event's date is the one next to its words, outside relative clauses that are not about it
            # ("X, who arrived on Monday, met Y on Tuesday" -> Tuesday)
            spot = trigger.search(text).start()
            clauses = [(m.start(), m.end()) for m in re.finditer(r",\s*(?:who|which|whose)\b[^,]*,", text)
                       if m.end() <= spot]  # a clause about the subject, before the event's verb
            dates = [d for d in dates if not any(a <= d[0].start() < b for a, b in clauses)] or dates
            dates.sort(key=lambda d: abs(d[0].start() - spot))
            start = dates[0][1] if dates else None
            end = dates[0][2] if dates else None
            co_chairs = [a[2] for a in people] if re.search(r"\bco-?chair", text, re.I) else []
            finding = EventFinding(
                kind=kind, rdf_type=rdf_type, sentence_index=index, participants=participants,
                location=places[0] if places and kind != "visit" else None,
                destinations=places if kind == "visit" else [], visitors=visitors,
                start=start, end=end, rule=f"{kind}-trigger",
                confidence=0.6 if _FUTURE_OR_HYPOTHETICAL.search(text) else 0.8,
                co_chairs=co_chairs, sentences=[index],
            )
            _merge_or_add(context, findings, finding)
            if kind != "visit":
                break  # "led a delegation to Islamabad for talks with X" is a visit and a meeting
    for finding in findings:
        if finding.kind == "briefing" and finding.start is None:
            finding.start = _lead_statement_date(context)
    return findings


def _unquoted(text: str) -> str:
    """The sentence without its quotations (dates inside a quote are the speaker's, not the event's)."""
    return re.sub(r"[“\"][^”\"]*[”\"]", " ", text)


STATEMENT = re.compile(r"\b(?:said|says|condemned|announced|told|stated|denied|rejected|confirmed|warned|urged)\b")


def _lead_statement_date(context: ArticleContext) -> PartialDate | None:
    """News leads say when a statement was made: 'The State Department said on Monday', 'X on Thursday denied'."""
    for sentence in context.sentences[:4]:
        text = _unquoted(sentence.text)
        for match, start, end in find_dates(text, context.article.date, future=False):
            if end is None and start.day is not None and (
                    STATEMENT.search(text[match.end():match.end() + 25]) or STATEMENT.search(text[max(0, match.start() - 15):match.start()])):
                return start
    return None


def _state_view(context: ArticleContext, finding: EventFinding) -> set:
    """Participants seen as states (a person as the state of their post) for comparing two mentions."""
    view = set()
    for participant in finding.participants:
        entry = context.gazetteer.entries.get(participant)
        state = context.state_of(entry) if entry else None
        view.add(state.iri if state else context.person_states.get(participant, participant))
    return view


def _merge_or_add(context: ArticleContext, findings: list[EventFinding], new: EventFinding) -> None:
    for old in findings:
        same_family = old.kind == new.kind or {old.kind, new.kind} <= {"meeting", "dialogue"}
        if not same_family or (not _compatible(old.start, new.start) and new.kind != "visit"):
            continue
        if new.kind == "visit":
            same = set(old.visitors) & set(new.visitors) and _within_days(old.start, old.end, new.start, 10)
        else:
            a, b = set(old.participants), set(new.participants)
            sa, sb = _state_view(context, old), _state_view(context, new)
            people_a = {p for p in a if p in context.person_states}
            people_b = {p for p in b if p in context.person_states}
            same = (a <= b or b <= a or sa == sb and not (people_a and people_b and not people_a & people_b)) \
                and (old.location is None or new.location is None or old.location == new.location)
            if people_a and people_b and not (people_a <= people_b or people_b <= people_a):
                same = False
        if same:
            old.participants = list(dict.fromkeys(old.participants + new.participants))
            old.visitors = list(dict.fromkeys(old.visitors + new.visitors))
            old.destinations = list(dict.fromkeys(old.destinations + new.destinations))
            old.co_chairs = list(dict.fromkeys(old.co_chairs + new.co_chairs))
            old.location = old.location or new.location
            if new.kind == "visit" and old.start is not None and new.start is not None and not _compatible(old.start, new.start):
                # one trip told day by day: it starts on the earliest day; a stated range wins
                if new.end and not old.end:
                    old.start, old.end = new.start, new.end
                elif not old.end and (new.start.day and old.start.day) and new.start < old.start:
                    old.start = new.start
            elif new.start is not None and (old.start is None or (new.end and not old.end)):
                old.start, old.end = new.start, new.end
            if new.kind == "dialogue":
                old.kind, old.rdf_type = "dialogue", new.rdf_type
            old.sentences.append(new.sentence_index)
            old.confidence = max(old.confidence, new.confidence)
            return
    findings.append(new)


def _within_days(start, end, other, days: int) -> bool:
    """Whether a date lies within `days` of a trip (or either is unknown)."""
    if start is None or other is None or start.day is None or other.day is None:
        return True
    import datetime as dt

    first = dt.date(start.year, start.month, start.day)
    last = dt.date(end.year, end.month, end.day) if end is not None and end.day is not None else first
    when = dt.date(other.year, other.month, other.day)
    return first - dt.timedelta(days=days) <= when <= last + dt.timedelta(days=days)


def _compatible(a: PartialDate | None, b: PartialDate | None) -> bool:
    if a is None or b is None:
        return True
    return a.year == b.year and (a.month is None or b.month is None or a.month == b.month) and (
        a.day is None or b.day is None or a.day == b.day)


def _places_after_cue(context: ArticleContext, index: int) -> list[URIRef]:
    """Places introduced by 'in', 'at' or 'to' ('held talks in Islamabad', 'travel to Ankara')."""
    text = context.sentences[index].text
    found = []
    for mention in context.places_in(index):
        if _LOCATION_CUE.search(text[max(0, mention.start - 40):mention.start]) or (
            found and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", text[found[-1][1]:mention.start])
        ):
            found.append((mention.entry.iri, mention.end))
    return list(dict.fromkeys(iri for iri, _ in found))


def event_iri(finding: EventFinding) -> URIRef:
    """A stable IRI from what identifies the event: kind, date and participants."""
    when = finding.start.iso() if finding.start else "undated"
    who = sorted(str(p).rsplit("/", 1)[-1] for p in (finding.visitors or finding.participants))
    digest = hashlib.sha1("|".join([finding.kind, when, *who, str(finding.location)]).encode()).hexdigest()[:8]
    return URIRef(f"{ID_BASE}{_KIND_PATH[finding.kind]}/{slugify(when + '-' + '-'.join(who[:3]))}-{digest}")


_KIND_PATH = {"meeting": "meeting", "dialogue": "meeting", "visit": "visit", "call": "call", "briefing": "briefing"}
