"""Numbers as news writes them: '60', 'ten', 'over 60', '$1.5 billion', '€150m (≈$163m)'."""

from __future__ import annotations

import re
from decimal import Decimal

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "dozens": 24,
    "a dozen": 12, "scores": 40, "hundreds": 200,
}
_WORDS = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
NUMBER = r"(?:(?:" + _WORDS + r"|\d+)\s+dozen|\d{1,3}(?:,\d{3})+|\d+|" + _WORDS + r")"
APPROX = r"(?:over|more than|at least|nearly|almost|about|around|some|up to|roughly|approximately|an estimated)"
_SCALE = {"trillion": 10**12, "tn": 10**12, "billion": 10**9, "bn": 10**9, "b": 10**9, "million": 10**6,
          "mn": 10**6, "m": 10**6, "thousand": 10**3, "k": 10**3}
USD_AMOUNT = re.compile(
    r"(?:US\s?)?\$\s?(?P<num>\d+(?:[.,]\d+)*)(?:\s*-?\s*(?P<scale>trillion|billion|million|thousand|bn|tn|mn|m|b|k)\b)?",
    re.I,
)
USD_WORDS = re.compile(
    r"\b(?P<num>\d+(?:[.,]\d+)*)\s*-?\s*(?P<scale>trillion|billion|million|thousand|bn|mn)?\s*(?:US\s)?dollars?\b", re.I
)


def to_int(text: str) -> int | None:
    """An integer written in digits or words ('1,200', 'ten', 'a dozen'), else None."""
    text = " ".join(text.strip().lower().split())
    if text.endswith(" dozen"):
        base = to_int(text[: -len(" dozen")])
        return base * 12 if base is not None else None
    if text in WORD_NUMBERS:
        return WORD_NUMBERS[text]
    digits = text.replace(",", "")
    return int(digits) if digits.isdigit() else None


def usd_values(text: str) -> list[tuple[int, int, Decimal]]:
    """Every US-dollar amount in a text as (start, end, value): '$1.5 billion' -> 1500000000."""
    found = []
    for pattern in (USD_AMOUNT, USD_WORDS):
        for match in pattern.finditer(text):
            number = match.group("num").replace(",", "")
            try:
                value = Decimal(number)
            except ArithmeticError:
                continue
            scale = (match.group("scale") or "").lower()
            value *= _SCALE.get(scale, 1)
            if value > 0:
                found.append((match.start(), match.end(), value.normalize()))
    found.sort()
    result = []
    for item in found:
        if not result or item[0] >= result[-1][1]:
            result.append(item)
    return result
