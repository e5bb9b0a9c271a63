"""Claims: who blamed, accused or alleged what of whom, who claimed responsibility, who denied it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import URIRef

from .context import ArticleContext  # noqa: F401  (type of the `context` arguments)

ACCUSE = re.compile(
    r"\b(?:blam(?:e|es|ed|ing)|accus(?:e|es|ed|ing|ation|ations)|alleg(?:e|es|ed|ing|ation|ations)|"
    r"criticiz(?:e|es|ed)|criticis(?:e|es|ed)|attribut(?:e|es|ed|ing)|held responsible|pointed the finger at|"
    r"planned (?:from|in|by)|orchestrated|sponsored by|backed by|behind the)\b",
    re.I,
)
RESPONSIBILITY = re.compile(
    r"\bclaimed (?:responsibility|by)\b|\bclaiming responsibility\b|\btook responsibility\b|"
    r"\bclaimed (?:the|an|a|its|last|this|both)\b(?=[^.;]{0,80}\b(?:attacks?|bombings?|massacre|assault|raid|hijacking|killing|blast))",
    re.I,
)
DENY = re.compile(r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|dismiss(?:es|ed)?|refut(?:e|es|ed))\b", re.I)
REPORTED = re.compile(r"\b(?:said|says|alleged|alleges|claimed|claims|believes|accused)\s+(?:that\s+)?(?:the\s+)?", re.I)
REPORTED_VERB = (r"\s*(?:\([^)]*\)\s*)?(?:had\s+|has\s+|have\s+)?(?:took part in|taken part in|carried out|was behind|were behind|"
                 r"is behind|are behind|was responsible for|were responsible for|orchestrated|planned|armed|financed|trained|"
                 r"sponsored|sponsors|backed|backs|supported|supports|harbou?red|harbou?rs|masterminded)\b")
PASSIVE_BY = re.compile(r"\bby\s+(?:the\s+)?$", re.I)


@dataclass
class ClaimFinding:
    """An assertion by a claimant about an accused agent, possibly denied."""

    sentence_indices: list[int]
    claimant: URIRef | None
    accused: URIRef | None
    denied_by: list[URIRef] = field(default_factory=list)
    text: str = ""
    about_attack: bool = False
    confidence: float = 0.7
    co_claimants: list[URIRef] = field(default_factory=list)  # "Congo, the US and UN experts accused ..."


def find_claims(context: ArticleContext) -> list[ClaimFinding]:
    """Claims in the article; a denial attaches to the claim it answers (same or previous sentences)."""
    findings: list[ClaimFinding] = []
    pending: list[tuple[int, URIRef]] = []
    for index, sentence in enumerate(context.sentences):
        text = sentence.text
        agents = [a for a in context.agents_in(index) if a[3] in ("state", "person", "body", "group", "org")]
        agents = [(s, e, context.gazetteer.government_of.get(i, i), k) for s, e, i, k in agents]
        for match in RESPONSIBILITY.finditer(text):
            group = _nearest(agents, match, prefer_before=not match.group(0).lower().startswith("claimed by"),
                             kinds=("group",))
            if group:
                findings.append(ClaimFinding([index], group, group, text=_short(text), about_attack=True, confidence=0.8))
        for match in ACCUSE.finditer(text):
            if DENY.search(text[max(0, match.start() - 30):match.start()]):
                continue  # "rejected the allegation": a denial, handled below
            before = [a for a in agents if a[1] <= match.start()]
            after = [a for a in agents if a[0] >= match.end()]
            passive = re.match(r"(?:accus|blam|criticis|criticiz|alleg|attribut)", match.group(0), re.I) and \
                re.search(r"\b(?:was|were|is|are|been|being)\s+(?:\w+\s+)?$", text[:match.start()])
            if passive:
                by = re.search(r"\bby\s+(?:the\s+)?", text[match.end():])
                claimant = next((a for a in after if by and a[0] >= match.end() + by.start()), None)
                accused_candidates = [a for a in after if claimant is None or a[0] < claimant[0]] or before[-1:]
                accused = accused_candidates[0] if accused_candidates else None
            else:
                claimant = _speaker(before, text, match.start()) or _subject(before, text, match.start())
                accused = after[0] if after else None
            if claimant is None or accused is None or claimant[2] == accused[2]:
                continue
            finding = ClaimFinding([index], claimant[2], accused[2], text=_short(text),
                                   confidence=0.7 if not passive else 0.6)
            finding.co_claimants = [a[2] for a in _coordinated(before, claimant, text) if a[2] != accused[2]]
            findings.append(finding)
            break
        for match in REPORTED.finditer(text):
            # "Washington says X took part in a series of rocket attacks": the speaker accuses X
            speaker = [a for a in agents if a[1] <= match.start()]
            accused = [a for a in agents if match.end() <= a[0] <= match.end() + 3]
            verb = re.match(REPORTED_VERB, text[accused[0][1]:]) if accused else None
            if speaker and accused and verb and speaker[-1][2] != accused[0][2]:
                findings.append(ClaimFinding([index], speaker[-1][2], accused[0][2], text=_short(text), confidence=0.6))
        deny = DENY.search(text)
        if deny and (re.search(r"\b(?:allegation|claim|accusation|charge|criticism|responsibility|report|assertion|involvement)s?\b|"
                               r"\bbaseless\b|\bthese\b", text, re.I) or re.match(r"\s+(?:\w+\s+)?\w+ing\b", text[deny.end():])):
            denier = _subject([a for a in agents if a[1] <= deny.start()], text, deny.start()) or \
                _group_referred(context, index, text) or (agents[0] if agents else None)
            if denier is None:
                continue
            if re.search(r"\b(?:responsibility|involvement|any role|links?\s+(?:to|with))\b", text[deny.end():], re.I):
                earlier = _claim_denied(findings, denier[2], index)
                if earlier is not None:  # "the army blamed the M23 ... The rebels denied responsibility"
                    earlier.denied_by.append(denier[2])
                    earlier.sentence_indices.append(index)
                else:
                    findings.append(ClaimFinding([index], None, denier[2], [denier[2]], text=_short(text), about_attack=True))
                continue
            target = _claim_denied(findings, denier[2], index)
            if target is not None:
                target.denied_by.append(denier[2])
                target.sentence_indices.append(index)
            else:
                pending.append((index, denier[2]))
    # a denial reported before the accusation it answers ("X on Thursday again denied ... " ... "Y accused X")
    for index, denier in pending:
        later = [f for f in findings if f.accused == denier and 0 < f.sentence_indices[0] - index <= 6]
        if later:
            later[0].denied_by.append(denier)
            later[0].sentence_indices.append(index)
    return _dedupe(findings)


def _coordinated(before, head, text: str) -> list:
    """Agents listed with the claimant ('A, B and C'), walking back from it."""
    chosen = []
    position = before.index(head) if head in before else -1
    while position > 0:
        previous = before[position - 1]
        if not re.fullmatch(r"\s*(?:,|and|,\s*and)\s*(?:the\s+)?", text[previous[1]:before[position][0]]):
            break
        chosen.append(previous)
        position -= 1
    return chosen


def _group_referred(context: ArticleContext, index: int, text: str):
    """'The rebels denied responsibility': the group the previous sentences named."""
    if not re.match(r"\s*The (?:rebels|militants|group|insurgents|outfit|organi[sz]ation|movement|fighters)\b", text):
        return None
    for previous in range(index - 1, max(-1, index - 4), -1):
        groups = [m for m in context.mentions.get(previous, []) if m.entry.kind == "group"]
        if groups:
            return (0, 0, groups[-1].entry.iri, "group")
    return None


def _nearest(agents, match, *, prefer_before: bool, kinds) -> URIRef | None:
    candidates = [a for a in agents if a[3] in kinds]
    before = [a for a in candidates if a[1] <= match.start()]
    after = [a for a in candidates if a[0] >= match.end()]
    if prefer_before and before:
        return before[-1][2]
    if after:
        return after[0][2]
    return before[-1][2] if before else None


def _subject(before, text: str, verb_start: int | None = None):
    """The agent that acts: the last one before the verb, skipping an appositive ('The TTP, responsible for
    attacks in Pakistan, denied ...' is about the TTP)."""
    if not before:
        return None
    if verb_start is not None:
        head = text[:verb_start].rstrip()
        if head.endswith(","):
            opening = head[:-1].find(",")
            if opening != -1:
                outside = [a for a in before if a[1] <= opening]
                if outside:
                    return outside[-1]
    return before[-1]


SPEECH = re.compile(r"\b(?:said|says|told|alleged|claimed|stated|added|warned|insisted)\b")


def _speaker(before, text: str, verb_start: int):
    """'Interior Minister X said last week the attacks ... were planned from India': X is the claimant."""
    speech = [m for m in SPEECH.finditer(text, 0, verb_start)]
    if not speech:
        return None
    said = speech[-1]
    candidates = [a for a in before if a[1] <= said.start()]
    return candidates[-1] if candidates else None


def _claim_denied(findings: list[ClaimFinding], denier: URIRef, index: int) -> ClaimFinding | None:
    """The claim a denial answers: one accusing the denier, in this or the two previous sentences."""
    recent = [f for f in findings if index - f.sentence_indices[0] <= 2]
    for finding in reversed(recent):
        if finding.accused == denier:
            return finding
    return None


def _dedupe(findings: list[ClaimFinding]) -> list[ClaimFinding]:
    result: list[ClaimFinding] = []
    for finding in findings:
        same = next((r for r in result if (r.claimant, r.accused) == (finding.claimant, finding.accused)), None)
        if same is None:
            result.append(finding)
        else:
            same.denied_by = list(dict.fromkeys(same.denied_by + finding.denied_by))
            same.sentence_indices = list(dict.fromkeys(same.sentence_indices + finding.sentence_indices))
    return result


def _short(text: str) -> str:
    return text if len(text) <= 300 else text[:297] + "..."
