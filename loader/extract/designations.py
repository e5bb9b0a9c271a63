"""Designations (who listed or proscribed whom, on which list) and group affiliations."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef

from ..dates import PartialDate, find_dates
from ..namespaces import KH
from .context import ArticleContext

DESIGNATION_VERB = re.compile(
    r"\b(?:designat(?:ed|es|ing|ion)|proscri(?:bed|bes|ption)|banned|outlawed|blacklist(?:ed|s)?|"
    r"\bbans? on\b|\bban came into force|listed (?:as|by|the)|listed(?= [A-Z])|added (?:[\w’'\-]+ ){0,8}to (?:its|the) (?:\w+ ){0,3}list|sanctions? list)\b",
    re.I,
)
TYPES = [
    (KH.ForeignTerroristOrganization, re.compile(r"\bForeign Terrorist Organi[sz]ations?\b|\bFTOs?\b", re.I)),
    (KH.SpeciallyDesignatedGlobalTerrorist, re.compile(r"\bSpecially Designated Global Terrorists?\b|\bSDGTs?\b", re.I)),
    (KH.UNSanctionsListing, re.compile(r"\b(?:UN|United Nations|Security Council)\b[^.]*\bsanctions?\b|\b1267\b", re.I)),
    (KH.Proscription, re.compile(r"\bproscri(?:bed|bes|ption)|\bbanned\b|\boutlawed\b|\bbans? on\b", re.I)),
]
AFFILIATE = re.compile(
    r"(?P<rel>affiliate|offshoot|wing|front|faction|splinter group|proxy|branch|chapter|arm)\b(?:,)?\s*(?:of\s+)?$", re.I)
NEGATED = re.compile(r"\b(?:not|never|no longer|revoked|delisted|lifted)\b", re.I)


@dataclass
class _Entry:
    iri: URIRef


@dataclass
class _PersonAsMention:
    """A listed person, shaped like a gazetteer mention (start, end, entry.iri)."""

    start: int
    end: int
    iri: URIRef

    @property
    def entry(self) -> _Entry:
        return _Entry(self.iri)


@dataclass
class DesignationFinding:
    """One authority listing one designee."""

    sentence_index: int
    designee: URIRef
    by: URIRef | None
    type: URIRef | None
    date: PartialDate | None
    confidence: float


@dataclass
class AffiliationFinding:
    """'X and its affiliate, Y' -> Y affiliateOf X."""

    sentence_index: int
    group: URIRef
    parent: URIRef


def find_designations(context: ArticleContext) -> list[DesignationFinding]:
    """Designations stated in the article (one per designee)."""
    findings = []
    for index, sentence in enumerate(context.sentences):
        text = sentence.text
        verb = DESIGNATION_VERB.search(text)
        if not verb or NEGATED.search(text[max(0, verb.start() - 30):verb.start()]):
            continue
        mentions = context.mentions.get(index, [])
        designees = [m for m in mentions if m.entry.kind == "group"
                     or (m.entry.kind == "org" and m.via == "appositive")]
        offset = sentence.start
        listed_people = [_PersonAsMention(pm.start - offset, pm.end - offset, pm.person.iri)
                         for pm in context.person_mentions.get(index, [])
                         if re.search(r"\b(?:listed|designated|sanctioned|blacklisted)\s+$", text[:pm.start - offset])]
        direct = _direct_objects(text, verb, designees)
        if direct:
            designees = direct  # "banned X, a network it described as a front of Y": X, not Y
        elif listed_people or _object_is_not_a_name(text, verb):
            # "listed X, a commander of the M23": X, not the group; "added one of the rebels' commanders": nobody named
            designees = []
        designees += listed_people
        if not designees and re.match(r"\s*(?:It|The group|The organi[sz]ation|The movement|The outfit)\b", text):
            designees = _previous_group(context, index)  # "It is listed as a terrorist organisation by ..."
        if not designees and index + 1 < len(context.sentences) and re.match(
                r"\s*(?:These|They|Those)\s+(?:include|included|are|were)\b|\s*Among them\b", context.sentences[index + 1].text):
            # "... groups listed by the US as terrorist organisations. These include A, B and C."
            designees = [m for m in context.mentions.get(index + 1, []) if m.entry.kind == "group"]
        if not designees:
            continue
        authorities = _authorities(context, index, verb)
        confidence = 0.8
        if not authorities and context.home_state is not None:
            authorities, confidence = [context.home_state.iri], 0.5  # a domestic listing in the story's country
        kind = next((t for t, pattern in TYPES if pattern.search(text)), None)
        dates = [d for d in find_dates(text, context.article.date) if d[2] is None]
        for mention in designees:
            date = _date_for(text, mention, dates)
            for by in authorities or [None]:
                findings.append(DesignationFinding(index, mention.entry.iri, by, kind, date, confidence))
    return findings


def _authorities(context: ArticleContext, index: int, verb: re.Match) -> list[URIRef]:
    """Who designates: 'by the US and the EU' after the verb, else the state/body before it ('the US designated'),
    else the state of an official named in the sentence ('Home Secretary X laid the proscription order')."""
    text = context.sentences[index].text
    # only states, their bodies and known international organizations list anyone (the contract's range)
    agents = [a for a in context.agents_in(index) if a[3] in ("state", "body", "person") or (
        a[3] == "org" and getattr(context.gazetteer.entries.get(a[2]), "rdf_type", None) == KH.InternationalOrganization)]
    by_match = re.search(r"\bby (?:the )?", text[verb.start():])
    if by_match:
        after = [a for a in agents if a[0] >= verb.start() + by_match.start() and a[3] != "person"]
        chosen = []
        for i, agent in enumerate(after):
            if i and not re.fullmatch(r"\s*(?:,|and|,\s*and)\s*(?:the\s+)?", text[after[i - 1][1]:agent[0]]):
                break
            chosen.append(agent[2])
        if chosen:
            return chosen
    before = [a for a in agents if a[1] <= verb.start()]
    for agent in reversed(before):
        if agent[3] == "person":
            state = context.person_states.get(agent[2])
            if state is not None:
                return [state]
            continue
        return [agent[2]]
    return []


def _object_is_not_a_name(text: str, verb: re.Match) -> bool:
    """An active verb whose object is a common noun phrase ('added one of the rebels' commanders to ...')."""
    if re.search(r"\b(?:was|were|is|are|been|be)\s+(?:\w+\s+)?$", text[:verb.start()]):
        return False  # passive: the designee stands before the verb
    if not re.match(r"(?:designat|banned|outlawed|proscribed|blacklisted|added|listed)", verb.group(0), re.I):
        return False
    after = re.sub(r"^(?:added|listed|designated|banned|outlawed|proscribed|blacklisted)\s*", "", text[verb.start():], flags=re.I)
    common = re.match(r"(?:one|some|several|two|three|four|five|a|an|its|their|his|her|members?)\b[^,;]*", after, re.I)
    if common is None:
        return False
    # "designated two militias, X and Y, as ...": the names follow in apposition
    return not re.match(r",\s*(?:the\s+)?[A-Z]", after[common.end():])


def _direct_objects(text: str, verb: re.Match, mentions: list) -> list:
    """The mentions right after an active designation verb, with those coordinated with them ('X and Y')."""
    after = sorted((m for m in mentions if m.start >= verb.end()), key=lambda m: m.start)
    if not after or not re.fullmatch(r"\s*(?:the\s+)?(?:[\w\-]+\s+){0,2}", text[verb.end():after[0].start]):
        return []
    chosen = [after[0]]
    for m in after[1:]:
        if re.fullmatch(r"\s*(?:\([^)]*\)\s*)?(?:,|and|,\s*and)\s*(?:(?:its|their)\s+(?:\w+\s+)?(?:affiliate|wing|offshoot|front|"
                        r"faction|branch)s?\s*,?\s*)?(?:the\s+)?", text[chosen[-1].end:m.start]):
            chosen.append(m)
        else:
            break
    return chosen


def _previous_group(context: ArticleContext, index: int) -> list:
    for i in (index - 1, index - 2):
        groups = [m for m in context.mentions.get(i, []) if m.entry.kind == "group"]
        if groups:
            return [groups[0]]
    return []


def _date_for(text: str, mention, dates) -> PartialDate | None:
    """The date of one designee's listing: the first date after its own designation verb, else the sentence's."""
    verb = DESIGNATION_VERB.search(text, mention.end)
    anchor = verb.end() if verb is not None else mention.end
    following = [d for d in dates if d[0].start() >= anchor]
    if following and text[anchor:following[0][0].start()].count(",") <= 1:
        return following[0][1]
    before = [d for d in dates if d[0].end() <= mention.start]
    return before[-1][1] if before else None


def find_affiliations(context: ArticleContext) -> list[AffiliationFinding]:
    """Group relations stated in text: 'the BLA and its affiliate, the Majeed Brigade'."""
    findings = []
    for index, sentence in enumerate(context.sentences):
        text = sentence.text
        groups = [m for m in context.mentions.get(index, []) if m.entry.kind == "group"]
        for i, mention in enumerate(groups):
            between_start = groups[i - 1].end if i else 0
            before = text[between_start:mention.start]
            rel = AFFILIATE.search(re.sub(r"\b(?:the|its|a|an)\b\s*", "", before, flags=re.I).rstrip(" ,"))
            if rel and i > 0 and re.search(r"\b(?:its|their)\b", before, re.I):
                findings.append(AffiliationFinding(index, mention.entry.iri, groups[i - 1].entry.iri))
            elif rel and i + 1 < len(groups) and re.match(r"\s*of\s", text[mention.end:]) is None:
                # "a wing of the X" when the affiliate was named just before: "Y, a wing of X"
                pass
            after = text[mention.end:mention.end + 40]
            parent_match = re.match(r"\s*(?:\([^)]*\))?\s*,?\s*(?:an?|the)\s+(?:[\w\-]+\s+)?(?:affiliate|offshoot|wing|front|faction|branch|proxy|splinter group|arm)(?:\s+organi[sz]ation|\s+group)?\s+of\s+(?:the\s+)?", after, re.I)
            others = [g for g in groups[i + 1:] if g.entry.iri != mention.entry.iri]
            if parent_match and others and others[0].start <= mention.end + parent_match.end() + 2:
                findings.append(AffiliationFinding(index, mention.entry.iri, others[0].entry.iri))
        findings.extend(_possessive_affiliations(context, index, groups))
    return findings


# "X is affiliated with Y", "X pledged allegiance to Y", "X is part of Y", "X emerged from Y"
VERB_AFFILIATION = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:,[^,]{0,80},\s*)?(?:(?:is|are|was|were|has been|have been)\s+)?(?:\w+\s+)?"
    r"(?:affiliated|allied|aligned|linked|associated)\s+(?:with|to)\s+(?:the\s+)?$|"
    r"^\s*(?:\([^)]*\)\s*)?(?:,[^,]{0,80},\s*)?(?:has\s+|had\s+)?pledged\s+(?:its\s+|their\s+)?(?:allegiance|loyalty)\s+to\s+(?:the\s+)?$|"
    r"^\s*(?:\([^)]*\)\s*)?(?:,[^,]{0,80},\s*)?(?:is|are|was|were)\s+(?:a\s+|an\s+)?(?:part|member|faction|branch|wing|offshoot)\s+of\s+(?:the\s+)?$",
    re.I)
_LINKED = re.compile(r"^-?(?:affiliated|linked|aligned|allied|backed|inspired)\b", re.I)
_BRANCH = re.compile(r"^(?:’s|'s)\s+(?:\w+\s+)?(?:branch|affiliate|wing|offshoot|franchise|arm|chapter|faction|ally)\b", re.I)
_WHOSE_WING = re.compile(r"^\s*,?\s*whose\s+(?:\w+\s+)?(?:wing|branch|arm|faction)\s*,?\s*(?:the\s+)?$", re.I)
_ITS_WING = re.compile(r"\b(?:the group|its|their)(?:’s|'s)?\s+(?:[\w\-]+\s+)?(?:wing|branch|arm|faction|affiliate|offshoot)\s*,?\s*(?:the\s+)?$", re.I)


def _possessive_affiliations(context: ArticleContext, index: int, groups) -> list[AffiliationFinding]:
    """'JAD, an Islamic State-affiliated group', 'JNIM, al-Qaeda's branch in the Sahel', 'Hamas, whose military wing, the X'."""
    text = context.sentences[index].text
    found = []
    for i, mention in enumerate(groups):
        after = text[mention.end:]
        previous = groups[i - 1] if i else None
        if previous is not None and (_LINKED.match(after) or _BRANCH.match(after)):
            # "<previous>, an <mention>-linked group" / "<previous>, <mention>'s branch"
            between = text[previous.end:mention.start]
            if re.fullmatch(r"\s*\)?\s*(?:\([^)]*\))?\s*,\s*(?:an?\s+|the\s+)?", between):
                found.append(AffiliationFinding(index, previous.entry.iri, mention.entry.iri))
        if previous is not None and previous.entry.iri != mention.entry.iri and VERB_AFFILIATION.match(
                text[previous.end:mention.start]):
            found.append(AffiliationFinding(index, previous.entry.iri, mention.entry.iri))
        elif previous is not None and groups[0].start <= 5 and groups[0].entry.iri != mention.entry.iri and re.search(
                r"\band\s+(?:is|are|was|were)\s+(?:\w+\s+)?(?:affiliated|allied|aligned|linked)\s+(?:with|to)\s+(?:the\s+)?$",
                text[previous.end:mention.start]):
            # "ISWAP split from Boko Haram in 2016 and is affiliated with the Islamic State group"
            found.append(AffiliationFinding(index, groups[0].entry.iri, mention.entry.iri))
        if previous is not None and previous.entry.iri != mention.entry.iri and re.search(
                r"\b(?:its|their)\s+$", text[previous.end:mention.start]):
            found.append(AffiliationFinding(index, mention.entry.iri, previous.entry.iri))  # "the BLA ... its Majeed Brigade"
        if previous is not None and _WHOSE_WING.match(text[previous.end:mention.start]):
            found.append(AffiliationFinding(index, mention.entry.iri, previous.entry.iri))
        elif previous is not None and _ITS_WING.search(text[previous.end:mention.start]):
            found.append(AffiliationFinding(index, mention.entry.iri, previous.entry.iri))
    return found
