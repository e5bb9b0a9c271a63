"""Militant attacks: kind, place, date, perpetrator, killed and injured (with the parts kept)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import URIRef

from ..dates import PartialDate, find_dates
from .context import ArticleContext
from .numbers import APPROX, NUMBER, to_int

# Attack kinds, most specific first; the family decides which mentions may be one attack.
KINDS = [
    ("suicide bombing", "bombing", r"suicide (?:bomb(?:ing|ings|er|ers)?|attacks?|blasts?)"),
    ("hijacking", "hijacking", r"hijack(?:ing|ings|ed)?"),
    ("kidnapping", "kidnapping", r"kidnap(?:ping|pings|ped)?|abduct(?:ion|ed)"),
    ("massacre", "shooting", r"massacres?"),
    ("car bombing", "bombing", r"car bomb(?:ing|ings|s)?|vehicle-borne"),
    ("bombing", "bombing", r"bomb(?:ing|ings|s)?(?!-)|blasts?|explosions?|IEDs?|improvised explosive"),
    ("shooting", "shooting", r"shooting|gunmen opened fire|gun attack"),
    ("ambush", "attack", r"ambush(?:ed)?"),
    ("coordinated attacks", "attack", r"coordinated attacks?"),
    ("shelling", "attack", r"shell(?:ing|ed|s)"),
    ("attack", "attack", r"attacks?|assaults?|raids?|raided|strikes?|stormed|storming|attacked|opened fire|overran|overrun|"
                         r"blew (?:himself|herself|themselves) up|detonated|offensive|(?:was|were) hit"),
]
KIND_PATTERN = re.compile(r"\b(?:" + "|".join(f"(?P<k{i}>{p})" for i, (_, _, p) in enumerate(KINDS)) + r")\b", re.I)
_VICTIM_WORDS = ["people", "persons", "civilians", "passengers", "worshippers", "students", "children", "soldiers",
                 "troops", "policemen", "police officers", "police", "officers", "personnel", "security personnel",
                 "security forces", "members", "pilgrims", "workers", "labourers", "laborers", "tourists", "villagers",
                 "others", "nationals", "citizens", "security officials", "army personnel", "paramilitaries", "guards",
                 "lives", "women", "men", "teachers", "journalists", "officials", "doctors", "patients", "refugees"]
VICTIMS = "(?:" + "|".join(sorted(_VICTIM_WORDS, key=len, reverse=True)) + ")"
CASUALTY = re.compile(
    rf"(?:(?P<approx>{APPROX})\s+)?(?P<num>{NUMBER})\s+(?:(?:other|more|more than)\s+)?"
    rf"(?:(?P<who>(?:[a-z\-]+\s+){{0,2}}?{VICTIMS})|(?P<bare>(?=(?:were\s+|was\s+)?(?:killed|dead|wounded|injured|hurt)\b)))",
    re.I,
)
KILL_VERB = re.compile(r"\b(?:kill(?:ed|ing|s)?|dead|deaths?|died|lives|death toll|claimed the lives|left .* dead|slain|martyred)\b", re.I)
INJURE_VERB = re.compile(r"\b(?:injur(?:ed|ing|ies|y)|wound(?:ed|ing|s)?|hurt)\b", re.I)
KILL_BARE = re.compile(rf"\b(?:killing|killed)\s+(?:{APPROX}\s+)?(?P<num>{NUMBER})\b(?![\s\w\-]{{0,25}}?\b{VICTIMS})(?!\s*(?:%|per|years?|months?))", re.I)
INJURE_BARE = re.compile(rf"\b(?:injuring|injured|wounding|wounded)\s+(?:{APPROX}\s+)?(?P<num>{NUMBER})\b(?![\s\w\-]{{0,25}}?\b{VICTIMS})(?!\s*(?:%|per|years?|months?))", re.I)
COMBATANTS = re.compile(r"\b(?:militants?|attackers?|insurgents?|terrorists?|assailants?|gunmen|bombers?|fighters?|rebels?)\b", re.I)
PERPETRATOR_CUE = re.compile(
    r"\b(?:claimed (?:by|responsibility)|carried out by|blamed on|attributed (?:\w+ ){0,4}to|responsibility for|"
    r"launched|by the|by militants of|conducted by|staged by|perpetrated by|behind|blamed|blaming|accused)\b",
    re.I,
)
DENIAL = re.compile(r"\b(?:denied|denies|deny|rejected|rejects)\b[^.]*\bresponsibility\b", re.I)
GENERIC = re.compile(r"\b(?:surge|surging|wave|spate|rise|rising|increase|string|series|spike|threat|fight against|since|"
                     r"recent years|over the years|in recent months|frequent|repeated|mounting|growing)\b", re.I)
ARREST = re.compile(r"\b(?:arrest(?:ed|s)?|detain(?:ed|s)?|apprehend(?:ed)?|nabbed|rounded up|in custody)\b", re.I)
ANAPHORIC_CLAIM = re.compile(
    r"\b(?:claimed|claiming|took|accepted)\s+responsibility\s+for\s+(?:the|this|that|Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday)|\bclaimed\s+(?:the|this|that)\s+(?:attack|assault|bombing|blast|raid|ambush)", re.I)
VAGUE = re.compile(r"\b(?:dozens|scores|hundreds|thousands|several|many|numerous)\b", re.I)


@dataclass
class AttackFinding:
    """An attack stated in one or more sentences of the article."""

    kind: str
    family: str
    sentences: list[int]
    places: list[URIRef] = field(default_factory=list)
    start: PartialDate | None = None
    perpetrators: list[URIRef] = field(default_factory=list)
    denied_by: list[URIRef] = field(default_factory=list)
    killed: int | None = None
    killed_parts: list[tuple[str, int]] = field(default_factory=list)
    injured: int | None = None
    injured_parts: list[tuple[str, int]] = field(default_factory=list)
    confidence: float = 0.7
    vague: bool = False  # the death toll is a vague word ("dozens"), not a figure


def find_attacks(context: ArticleContext) -> list[AttackFinding]:
    """Attacks the article reports, merged across the sentences that describe the same one."""
    findings: list[AttackFinding] = []
    for index, sentence in enumerate(context.sentences):
        for text in _attack_segments(sentence.text):
            _find_in_segment(context, index, text, findings)
    return findings


def _attack_segments(text: str) -> list[str]:
    """A sentence cut where a second attack starts ('... killed 21 people and the 2015 massacre ...'),
    padded with spaces so offsets stay those of the sentence."""
    cuts = [m.start() for m in re.finditer(r"(?:,\s*|\s)and (?:the|a|an)\s", text)
            if KIND_PATTERN.search(text[:m.start()]) and KIND_PATTERN.search(text[m.end():])
            and CASUALTY.search(text[:m.start()]) and CASUALTY.search(text[m.end():])]
    if not cuts:
        return [text]
    bounds = [0, *cuts, len(text)]
    return [" " * a + text[a:b] + " " * (len(text) - b) for a, b in zip(bounds, bounds[1:])]


def _find_in_segment(context: ArticleContext, index: int, text: str, findings: list[AttackFinding]) -> None:
    """Attacks stated in one sentence (or one segment of it)."""
    kind_matches = list(KIND_PATTERN.finditer(text))
    if not kind_matches:
        return
    # the most specific kind named ("two blasts" rather than "the bloodiest attacks")
    kind_match = min(kind_matches, key=lambda m: int(m.lastgroup[1:]))
    position = int(kind_match.lastgroup[1:])
    kind, family, _ = KINDS[position]
    span = (len(text) - len(text.lstrip()), len(text.rstrip()))
    groups = [m for m in context.mentions.get(index, []) if m.entry.kind == "group" and span[0] <= m.start < span[1]]
    killed, killed_parts = _casualties(text, KILL_VERB)
    injured, injured_parts = _casualties(text, INJURE_VERB)
    dates = [d for d in find_dates(_unquoted(text), context.article.date) if d[2] is None
             and not _reporting_date(text, d[0])]
    dates.sort(key=lambda d: abs(d[0].start() - kind_match.start()))  # the date nearest the attack word
    denied = [m.entry.iri for m in groups if DENIAL.search(text[m.start:])]
    perpetrators = []
    for position, m in enumerate(groups):
        if m.entry.iri in denied or not _is_perpetrator(text, m):
            continue
        if position and re.search(r"\b(?:affiliate|branch|wing|offshoot|faction) of (?:the )?$", text[:m.start]):
            m = groups[position - 1]  # "JAD, an affiliate of the Islamic State group that carried out ...": JAD did
        perpetrators.append(m.entry.iri)
    perpetrators = list(dict.fromkeys(perpetrators))
    full = context.sentences[index].text
    if not perpetrators and not denied and text.strip() != full.strip():
        # "X claimed the attack on A ... and the B massacre": the claim covers both segments
        perpetrators = [m.entry.iri for m in context.mentions.get(index, []) if m.entry.kind == "group"
                        and _is_perpetrator(full, m)]
    plural_generic = family == "attack" and kind_match.group(0).lower().endswith("s") and kind != "coordinated attacks"
    if killed is None and injured is None and not perpetrators and not denied and (
            ARREST.search(text) or re.search(r"\b(?:this|that|these|the same|the latest)\s+(?:\w+\s+)?$",
                                             text[max(0, kind_match.start() - 30):kind_match.start()], re.I)):
        return  # police raids and arrests, or "this terrorist attack" looking back at one already reported
    if killed is not None and VAGUE.search(text) and not dates and GENERIC.search(text):
        return  # "has killed dozens of police officers with roadside bombs in recent years": a pattern, not an attack
    specific = killed is not None or injured is not None or perpetrators or denied or (
        dates and not GENERIC.search(text[:kind_match.start()]) and not plural_generic)
    if not specific or (family == "attack" and kind != "coordinated attacks" and killed is None
                        and not perpetrators and not denied and GENERIC.search(text)):
        return
    if kind_match.group(0).lower() in ("strike", "strikes") and not (killed or perpetrators):
        return
    if findings and perpetrators and ANAPHORIC_CLAIM.search(text) and killed is None and injured is None:
        # "X claimed responsibility for the assault in a statement on Wednesday": the attack just reported
        findings[-1].perpetrators = list(dict.fromkeys(findings[-1].perpetrators + perpetrators))
        findings[-1].sentences.append(index)
        return
    places = [p for p in _attack_places(context, index) if _within(context, index, p, span)]
    for mention in context.places_in(index):
        gap = text[mention.end:kind_match.start()]
        if 0 <= len(gap) <= 40 and mention.end <= kind_match.start() and re.fullmatch(
                r"(?:\s+(?:[A-Z][\w\-]*|\d{4}|[a-z]+-style))*\s+(?:suicide\s+|car\s+|bomb\s+)?", gap):
            places.insert(0, mention.entry.iri)  # "the 2002 Bali bombings", "the Pahalgam massacre"
    finding = AttackFinding(
        kind=kind, family=family, sentences=[index],
        places=list(dict.fromkeys(places)),
        start=dates[0][1] if dates else None,
        perpetrators=perpetrators, denied_by=denied,
        killed=killed, killed_parts=killed_parts, injured=injured, injured_parts=injured_parts,
        confidence=0.8 if (killed or perpetrators) else 0.6,
        vague=killed is not None and VAGUE.search(text) is not None and not re.search(r"\d", text),
    )
    _merge_or_add(findings, finding, {p for ps in context.new_places.values() for p in ps})
    return findings


REPORTING = r"(?:said|says|condemned|condemns|announced|told|stated|denied|reported|confirmed|added|warned|claimed)"


def _reporting_date(text: str, match: re.Match) -> bool:
    """'France on Tuesday condemned ...', '... said on Monday': the date of the statement, not the attack."""
    after = text[match.end():match.end() + 25]
    before = text[max(0, match.start() - 25):match.start()]
    return bool(re.match(rf"\s*(?:again\s+)?{REPORTING}\b", after) or re.search(rf"\b{REPORTING}\s*$", before))


def _within(context: ArticleContext, index: int, place: URIRef, span: tuple[int, int]) -> bool:
    """Whether a place is named inside this segment of the sentence."""
    text = context.sentences[index].text
    spots = [m.start for m in context.mentions.get(index, []) if m.entry.iri == place]
    if not spots:
        label = context.local_labels.get(place)
        spots = [text.find(label)] if label and label in text else []
    return not spots or any(span[0] <= spot < span[1] for spot in spots)


def _unquoted(text: str) -> str:
    return re.sub(r"[“\"][^”\"]*[”\"]", " ", text)


def _is_perpetrator(text: str, mention) -> bool:
    before = text[max(0, mention.start - 45):mention.start]
    after = text[mention.end:mention.end + 60]
    if PERPETRATOR_CUE.search(before):
        return True
    if re.match(r"\s*(?:\([A-Z]{2,}\)\s*)?(?:,[^,]{0,140},\s*)?(?:group\s+|militants\s+|fighters\s+|rebels\s+)?"
                r"(?:(?:also|reportedly|allegedly|later|then|has|had|have|previously)\s+)*(?:launched|carried out|claimed|staged|attacked|stormed|"
                r"hijacked|bombed|killed|ambushed|said it|took responsibility|was behind|were behind|is behind)", after):
        return True
    if re.match(r"\s*(?:\([A-Z]{2,}\)\s*)?(?:rebels\s+|militants\s+)?(?:said|says|claimed|announced)\s+(?:\w+\s+){0,3}?(?:it|they)\s+"
                r"(?:was|were|had been|had)\s+(?:behind|responsible|carried out|targeted)", after):
        return True  # "the Houthi rebels said on Wednesday they were behind a missile attack"
    return bool(re.search(r"\b(?:by|to)\s+(?:the\s+)?$", before))


def _casualties(text: str, verb: re.Pattern) -> tuple[int | None, list[tuple[str, int]]]:
    """Victims counted near a killing/injuring verb: 'killing 33 civilians and 17 security personnel' -> 50."""
    parts: list[tuple[str, int]] = []
    wanted = "kill" if verb is KILL_VERB else "injure"
    for match in CASUALTY.finditer(text):
        who = match.group("who") or "people"
        following = text[match.end():match.end() + 30]
        if _nearest_verb(text, match) != wanted:
            continue
        if COMBATANTS.search(who) or re.match(r"\s*(?:years?|months?|days?|hours?|km|kilomet|miles?|%)", following):
            continue
        number = to_int(match.group("num"))
        if number is None or number > 100_000:
            continue
        parts.append((" ".join(who.split()).lower(), number))
    wanted_verb = KILL_BARE if verb is KILL_VERB else INJURE_BARE
    for match in wanted_verb.finditer(text):
        number = to_int(match.group("num"))
        if number is not None and not any(n == number for _, n in parts):
            parts.append(("people", number))
    # "including eight students" restates part of a total already counted
    parts = [p for i, p in enumerate(parts)
             if not re.search(rf"including\s+{NUMBER}\s+{re.escape(p[0])}", text, re.I) or i == 0]
    if not parts:
        return None, []
    total = sum(n for _, n in parts)
    return total, parts if len(parts) > 1 else []


def _nearest_verb(text: str, match: re.Match) -> str | None:
    """Whether a count belongs to a killing or an injuring verb: the verb right after it, else the last before."""
    following = text[match.end():match.end() + 30]
    found = [(m.start(), "kill") for m in KILL_VERB.finditer(following)] + \
            [(m.start(), "injure") for m in INJURE_VERB.finditer(following)]
    cut = re.search(r"\band\b|,|;", following)
    found = [f for f in found if cut is None or f[0] < cut.start()]
    if found:
        return min(found)[1]
    preceding = text[max(0, match.start() - 45):match.start()]
    found = [(m.end(), "kill") for m in KILL_VERB.finditer(preceding)] + \
            [(m.end(), "injure") for m in INJURE_VERB.finditer(preceding)]
    return max(found)[1] if found else None


def _attack_places(context: ArticleContext, index: int) -> list[URIRef]:
    """Where: places after 'in/at/across/near', the most specific first ('in Pakistan's Balochistan province')."""
    text = context.sentences[index].text
    places = [iri for iri in context.new_places.get(index, [])]
    mentioned = context.places_in(index)
    for mention in mentioned:
        before = text[max(0, mention.start - 25):mention.start]
        if re.search(r"\b(?:in|at|across|near|of|outside|inside)\s+(?:the\s+)?(?:(?:[a-z][\w\-]*|[A-Z][\w\-]*[’']s)\s+){0,2}$", before):
            places.append(mention.entry.iri)
    places = list(dict.fromkeys(places))
    inside = context.gazetteer.located_in
    specific = [p for p in places if not any(q != p and p in inside.get(q, ()) for q in places)]
    # a state named as "in Pakistan's ..." gives way to the province or city named with it
    for state in [p for p in specific if context.gazetteer.entries.get(p) and context.gazetteer.entries[p].kind == "state"]:
        finer = [m.entry.iri for m in mentioned if state in inside.get(m.entry.iri, ())]
        if finer:
            specific = [p for p in specific if p != state] + [f for f in finer if f not in specific]
    return specific


def _compatible_dates(a: PartialDate | None, b: PartialDate | None) -> bool:
    if a is None or b is None:
        return True
    if a.year != b.year:
        return False
    if a.month is None or b.month is None:
        return True
    if a.month != b.month:
        return False
    return a.day is None or b.day is None or a.day == b.day


def _merge_or_add(findings: list[AttackFinding], new: AttackFinding, context_new_places=()) -> None:
    for old in findings:
        if not _compatible_dates(old.start, new.start):
            continue
        if old.perpetrators and new.perpetrators and not set(old.perpetrators) & set(new.perpetrators):
            continue
        if old.family != new.family and "attack" not in (old.family, new.family):
            continue
        local = set(context_new_places)
        if old.places and new.places and not set(old.places) & set(new.places) and old.start != new.start \
                and not (set(old.places) <= local or set(new.places) <= local):
            continue  # different known places (a newly named place may lie inside the other)
        if old.killed is not None and new.killed is not None and old.killed != new.killed and not (
                new.killed_parts or old.killed_parts) and not (old.vague or new.vague):
            continue  # two different death tolls, neither a breakdown of the other: two attacks
        _merge(old, new)
        return
    findings.append(new)


def _merge(old: AttackFinding, new: AttackFinding) -> None:
    old.sentences += new.sentences
    if old.family == "attack" and new.family != "attack" or (old.kind == "attack" and new.kind != "attack"):
        old.kind, old.family = new.kind, new.family
    old.places = list(dict.fromkeys(old.places + new.places))
    if new.start is not None and (old.start is None or _more_precise(new.start, old.start)):
        old.start = new.start
    old.perpetrators = list(dict.fromkeys(old.perpetrators + new.perpetrators))
    old.denied_by = list(dict.fromkeys(old.denied_by + new.denied_by))
    # a broken-down count ("33 civilians and 17 security personnel") beats a rounded headline figure
    if new.killed is not None and (old.killed is None or (new.killed_parts and not old.killed_parts)
                                   or (old.vague and not new.vague)):
        old.killed, old.killed_parts, old.vague = new.killed, new.killed_parts, new.vague
    if new.injured is not None and (old.injured is None or (new.injured_parts and not old.injured_parts)):
        old.injured, old.injured_parts = new.injured, new.injured_parts
    old.confidence = max(old.confidence, new.confidence)


def _more_precise(a: PartialDate, b: PartialDate) -> bool:
    return (a.day is not None, a.month is not None) > (b.day is not None, b.month is not None)
