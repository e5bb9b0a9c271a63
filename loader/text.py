"""Sentence splitting with character offsets, robust to the abbreviations news uses."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Tokens ending in a period that do not end a sentence.
_ABBREVIATIONS = {
    "u.s", "u.k", "u.n", "u.s.a", "e.g", "i.e", "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt",
    "adm", "brig", "cmdr", "gov", "sen", "rep", "st", "no", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "prof", "rev", "hon", "jr", "sr", "inc", "ltd", "co", "corp", "ret", "amb",
}
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9•])|\n+")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article and where it stands in the text."""

    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """The article's sentences (and bullet/headline lines) with their offsets."""
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate_end = match.start()
        if "\n" not in match.group(0) and _ends_with_abbreviation(text[start:candidate_end]):
            continue
        _append(sentences, text, start, candidate_end)
        start = match.end()
    _append(sentences, text, start, len(text))
    return sentences


def _ends_with_abbreviation(chunk: str) -> bool:
    last = chunk.rsplit(None, 1)[-1] if chunk.split() else ""
    token = last.rstrip(".").lower().lstrip("(\"'“‘")
    return last.endswith(".") and (token in _ABBREVIATIONS or re.fullmatch(r"[a-z]", token) is not None)


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    raw = text[start:end]
    stripped = raw.strip()
    if not stripped:
        return
    lead = len(raw) - len(raw.lstrip())
    begin = start + lead
    sentences.append(Sentence(stripped, begin, begin + len(stripped)))
