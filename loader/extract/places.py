"""Places the reference data does not know, named with a telling noun: 'the Boulkessi military camp', 'the town of X'."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef

from ..namespaces import KH, mint
from .context import ArticleContext

_NAME = r"[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,2}"
HEADS = {
    "city": KH.City, "town": KH.City, "village": KH.City,
    "province": KH.Province, "district": KH.Province, "county": KH.Province, "state": KH.Province,
    "region": KH.Place, "area": KH.Place, "valley": KH.Place, "camp": KH.Place, "base": KH.Place,
    "beach": KH.Place, "market": KH.Place, "mosque": KH.Place, "airport": KH.Place, "neighbourhood": KH.Place,
    "neighborhood": KH.Place, "border crossing": KH.Place, "place": KH.Place, "port": KH.City,
}
_HEAD = "|".join(sorted(HEADS, key=len, reverse=True))
NAME_THEN_HEAD = re.compile(
    rf"\b(?P<name>{_NAME})\s+(?:(?:military|army|police|refugee|displacement|naval|air|border)\s+)?(?P<head>{_HEAD})\b")
HEAD_OF_NAME = re.compile(rf"\bthe (?:port |border |capital |northern |southern |eastern |western )?(?P<head>town|city|village|district|region|province|port) of (?P<name>{_NAME})")
# "the 2002 Bali bombings", "the Pahalgam massacre": a place named right before an attack word
BEFORE_ATTACK = re.compile(
    r"\bthe\s+(?:(?:19|20)\d{2}\s+)?(?P<name>[A-Z][a-z]{2,}(?:\s[A-Z][a-z]{2,})?)\s+(?:suicide\s+|car\s+)?"
    r"(?P<head>bombings?|attacks?|massacre|blasts?|hijacking|siege|shootings?|explosions?)\b")
# "... bombings of churches in Surabaya that killed 15": an unknown town after 'in' in a sentence about violence
IN_VIOLENT_SENTENCE = re.compile(
    r"\b(?:in|near|outside)\s+(?P<name>[A-Z][a-z]{3,}(?:\s[A-Z][a-z]{3,})?)(?=\s+(?:that|which|on|last|this|where)\b|\s*[,.;])")
VIOLENCE = re.compile(r"\b(?:attack|bomb|blast|killed|killing|clash|raid|shell|massacre|explosion|gunmen|militants)", re.I)
_NOT_PLACE_WORDS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                    "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
                    "Parliament", "Congress", "Court", "Senate", "Assembly", "Government", "Islam", "Christianity",
                    "Ramadan", "Eid", "Christmas", "English", "Arabic", "Urdu", "French", "Spanish", "Reuters"}
HEAD_IN_NAME = re.compile(r"\b(?P<head>camp|base|village|town|market|mosque|school) (?:in|near|outside) (?P<name>[A-Z][\w'’\-]+)\b")
_NOT_PLACE = {"The", "A", "An", "This", "That", "Its", "Their", "His", "Her", "Our", "Security", "Military", "Army",
              "Police", "Refugee", "State", "Capital", "Islamic", "National", "Federal", "Central", "Northern",
              "Southern", "Eastern", "Western", "North", "South", "East", "West", "Upper", "Lower"}


@dataclass
class NewPlace:
    """A place named in the article that the reference data does not list."""

    iri: URIRef
    label: str
    alt_label: str | None
    rdf_type: URIRef
    sentence_index: int
    located_in: URIRef | None


def find_new_places(context: ArticleContext) -> list[NewPlace]:
    """Unknown places named with a place noun; recorded per sentence for the event extractors."""
    found: dict[URIRef, NewPlace] = {}
    for index, sentence in enumerate(context.sentences):
        text = sentence.text
        taken = [(m.start, m.end) for m in context.mentions.get(index, [])]
        patterns = [NAME_THEN_HEAD, HEAD_OF_NAME, HEAD_IN_NAME, BEFORE_ATTACK]
        if VIOLENCE.search(text):
            patterns.append(IN_VIOLENT_SENTENCE)
        for pattern in patterns:
            for match in pattern.finditer(text):
                if match.group("name").split()[0] in _NOT_PLACE_WORDS:
                    continue
                name = match.group("name").strip()
                words = name.split()
                while words and words[0] in _NOT_PLACE:
                    words.pop(0)
                if not words or any(w in _NOT_PLACE for w in words[-1:]):
                    continue
                name = " ".join(words)
                start = text.find(name, match.start())
                if any(s < start + len(name) and start < e for s, e in taken):
                    continue
                if any(p.name == name or name in p.surnames for p in context.people):
                    continue
                head = match.group("head").lower() if "head" in pattern.groupindex else "place"
                if pattern is BEFORE_ATTACK:
                    head = "place"
                if any(e.kind == "group" for e, _ in context.gazetteer.lookup(name)):
                    continue
                iri = mint("place", name)
                context.new_places.setdefault(index, []).append(iri)
                context.local_labels[iri] = name
                if iri not in found:
                    found[iri] = NewPlace(iri, name, f"{name} {head}" if head in ("camp", "base", "beach", "market",
                                                                                  "mosque", "airport") else None,
                                          HEADS[head], index, _container(context, index))
    return list(found.values())


def _container(context: ArticleContext, index: int) -> URIRef | None:
    """The known province or state named in the same sentence, else the article's home state."""
    for mention in context.places_in(index):
        if mention.entry.kind in ("place", "state") and mention.via != "demonym":
            return mention.entry.iri
    return context.home_state.iri if context.home_state else None
