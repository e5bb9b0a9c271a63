"""Agreements, deals, programmes and pacts: parties, kind, value in USD, status, dates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import URIRef

from ..dates import PartialDate, find_dates
from ..namespaces import KH
from .context import ArticleContext
from .numbers import usd_values

NOUN = r"(?:agreements?|deals?|pacts?|accords?|treat(?:y|ies)|memorand(?:um|a)(?: of understanding)?|MoUs?|contracts?|programs?|programmes?|ceasefires?|truces?|arrangements?|packages?|loans?|corridors?|[Ff]ramework(?= for| on| agreement)|partnership agreement)"
TRIGGER = re.compile(rf"\b{NOUN}\b", re.I)
STATUS = [
    (KH.Ended, re.compile(r"\b(?:called off|terminat(?:ed|ion|es)|ended|end of|collapsed|scrapped|abandoned|withdr[ae]w from|broke down|expired)\b", re.I)),
    (KH.Dormant, re.compile(r"\bdormant\b|\bstalled\b|\bfrozen\b|\bsuspend(?:ed|s|ing)?\b|\bon hold\b", re.I)),
    (KH.Renewed, re.compile(r"\brenew(?:ed|al|s|ing)?\b|\bextended\b|\brevived?\b", re.I)),
    (KH.UnderNegotiation, re.compile(r"\b(?:(?:expected|set|due|scheduled|poised|likely) to sign|will sign|to be signed|nears?|nearing|final (?:phases?|stages?)|negotiat(?:e|es|ed|ing|ions?)|talks (?:with|on)|held talks|in talks|discuss(?:ed|ing)|could include|may include|close to)\b", re.I)),
    (KH.Signed, re.compile(r"\b(?:signed|struck|inked|concluded|sealed|agreed|approved|reached|won)\b", re.I)),
    (KH.Proposed, re.compile(r"\b(?:propos(?:ed|al|es)|offer(?:ed|s)?|plan(?:ned|s)? to)\b", re.I)),
]
KIND_WORDS = re.compile(
    rf"((?:(?:\d+-year|[A-Za-z][\w\-]*)\s+){{0,4}}){NOUN}(\s+to\s+(?:supply|buy|sell|provide|build|develop)\s+(?:\w+\s*){{1,4}})?", re.I)
_KIND_STOP = {"a", "an", "the", "this", "that", "its", "their", "his", "her", "of", "with", "in", "on", "and", "for",
              "is", "was", "has", "have", "had", "to", "by", "under", "s", "billion", "million", "worth"}
DURATION = re.compile(r"\b(\d+|one|two|three|five|ten|fifteen|twenty)[- ]year\b", re.I)


@dataclass
class AgreementFinding:
    """An agreement stated in one or more sentences."""

    kind: str
    sentences: list[int]
    parties: list[URIRef] = field(default_factory=list)
    value_usd: Decimal | None = None
    status: URIRef | None = None
    date: PartialDate | None = None
    duration_years: int | None = None
    confidence: float = 0.7


def find_agreements(context: ArticleContext) -> list[AgreementFinding]:
    """Agreements the article states, merged when later sentences say 'the deal'."""
    findings: list[AgreementFinding] = []
    for index, sentence in enumerate(context.sentences):
        text = sentence.text
        trigger = TRIGGER.search(text)
        if not trigger:
            continue
        parties = [a[2] for a in context.agents_in(index) if a[3] in ("state", "org", "group", "body")]
        parties = [context.gazetteer.government_of.get(p, p) for p in parties]
        parties = list(dict.fromkeys(parties))
        if len(parties) < 2 and re.search(r"\bthe two (?:sides|countries|ministers|leaders|governments|nations|states)\b", text, re.I) \
                and findings:
            parties = list(dict.fromkeys(parties + findings[-1].parties))  # "the two sides also agreed to ..."
        if len(parties) < 2:
            # "The two ministers are expected to sign ...": the parties are the states of the people just named
            for i in (index, index - 1):
                for pm in context.person_mentions.get(i, []):
                    state = context.person_states.get(pm.person.iri)
                    if state is not None and state not in parties:
                        parties.append(state)
        values = usd_values(text)
        value = max((v for *_, v in values), default=None)
        kind = _kind(text)
        status = _nearest_status(text, trigger)
        dates = [d for d in find_dates(text, context.article.date) if d[2] is None and not _is_since(text, d[0])]
        duration = DURATION.search(text[max(0, trigger.start() - 40):trigger.end()])
        finding = AgreementFinding(
            kind=kind, sentences=[index], parties=parties, value_usd=value, status=status,
            date=dates[0][1] if dates else None,
            duration_years=_duration(duration.group(1)) if duration else None,
            confidence=0.8 if value or status else 0.6,
        )
        anaphoric = re.search(rf"\b(?:the|this|that) (?:[\w\-]+ )?{NOUN}\b", text[:trigger.end() + 1], re.I)
        if anaphoric and findings and value is None:
            _merge(findings[-1], finding)
            continue
        if len(parties) < 2 and value is None:
            continue
        same = next((f for f in findings if f.kind == finding.kind and set(f.parties) & set(finding.parties)), None)
        if same is not None:
            _merge(same, finding)
        else:
            findings.append(finding)
    return [f for f in findings if len(f.parties) >= 1]


def _nearest_status(text: str, trigger: re.Match):
    """The status whose word stands nearest the agreement noun ('extended ... the ceasefire' -> Renewed)."""
    best = None
    for status, pattern in STATUS:
        for match in pattern.finditer(text):
            if match.end() <= trigger.start():
                distance = trigger.start() - match.end()  # the governing verb usually comes first
            else:
                distance = match.start() - trigger.end() + 60
            if best is None or distance < best[0]:
                best = (distance, status)
    return best[1] if best else None


def _is_since(text: str, match) -> bool:
    return bool(re.search(r"\bsince\s*$", text[:match.start()], re.I)) or match.group(0).lower().startswith("since")


def _duration(word: str) -> int | None:
    words = {"one": 1, "two": 2, "three": 3, "five": 5, "ten": 10, "fifteen": 15, "twenty": 20}
    return int(word) if word.isdigit() else words.get(word.lower())


def _kind(text: str) -> str:
    """The agreement's kind from its noun phrase: 'security cooperation agreement', 'deal to supply weapons'."""
    match = KIND_WORDS.search(text)
    if not match:
        return "agreement"
    words = match.group(1).split()
    determiners = [i for i, w in enumerate(words) if w.lower() in ("a", "an", "the", "this", "that", "its", "their", "his", "her")]
    words = words[determiners[-1] + 1:] if determiners else words  # "Asked about the deal" -> "deal"
    modifiers = [w for w in words if w.lower() not in _KIND_STOP and not re.match(r"^\$?[\d.,]+", w)
                 and not re.match(r"^\d+-year$", w, re.I) and not w.endswith(("’s", "'s"))]
    tail = (match.group(2) or "").strip()
    noun = match.group(0)[len(match.group(1)):len(match.group(0)) - len(match.group(2) or "")].strip()
    phrase = " ".join([*modifiers[-3:], noun.lower(), tail]).strip()
    return phrase


def _merge(old: AgreementFinding, new: AgreementFinding) -> None:
    old.sentences += new.sentences
    old.parties = list(dict.fromkeys(old.parties + new.parties))
    old.value_usd = old.value_usd or new.value_usd
    old.status = old.status or new.status
    old.date = old.date or new.date
    old.duration_years = old.duration_years or new.duration_years
    if old.kind in ("agreement", "deal") and new.kind not in ("agreement", "deal"):
        old.kind = new.kind
