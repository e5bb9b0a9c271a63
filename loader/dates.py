"""Written and relative dates, resolved against the article's date at the precision the text gives."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rdflib import Literal
from rdflib.namespace import XSD

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        1,
    )
    for name in names
}
WEEKDAYS = {name: i for i, name in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def literal(self) -> Literal:
        """The RDF literal: xsd:date, xsd:gYearMonth or xsd:gYear by precision."""
        if self.day is not None and self.month is not None:
            return Literal(f"{self.year:04d}-{self.month:02d}-{self.day:02d}", datatype=XSD.date)
        if self.month is not None:
            return Literal(f"{self.year:04d}-{self.month:02d}", datatype=XSD.gYearMonth)
        return Literal(f"{self.year:04d}", datatype=XSD.gYear)

    def iso(self) -> str:
        """ISO text at this precision (2024, 2024-09, 2024-09-16)."""
        return str(self.literal())

    @classmethod
    def of(cls, day: dt.date) -> "PartialDate":
        """A full-precision PartialDate from a datetime.date."""
        return cls(day.year, day.month, day.day)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_written_date(text: str) -> dt.date | None:
    """A full calendar date written out ("16 September 2024", "Sept. 16, 2024", "2024-09-16"), else None."""
    text = re.sub(r"^(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+", "", text.strip(), flags=re.I)
    match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})\b", text)
    if match:
        return _safe_date(*map(int, match.groups()))
    match = re.match(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", text, re.I)
    if match:
        return _safe_date(int(match.group(3)), _month(match.group(2)), int(match.group(1)))
    match = re.match(rf"^({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", text, re.I)
    if match:
        return _safe_date(int(match.group(3)), _month(match.group(1)), int(match.group(2)))
    return None


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    return MONTHS.get(key) or MONTHS[key[:3]]


# ---------------------------------------------------------------- expressions in running text

DATE_EXPRESSION = re.compile(
    rf"""\b(?:
        (?P<iso>\d{{4}}-\d{{2}}-\d{{2}})
      | (?P<dmy>\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_RE}\.?,?\s+\d{{4}})
      | (?P<mdy>{_MONTH_RE}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})
      | (?P<mrange>{_MONTH_RE}\.?\s+\d{{1,2}}\s*(?:-|–|to|until|through)\s*(?:{_MONTH_RE}\.?\s+)?\d{{1,2}}(?:,?\s+\d{{4}})?)
      | (?P<md>{_MONTH_RE}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?)(?!\d)
      | (?P<my>{_MONTH_RE}\s+\d{{4}})
      | (?:in|since|during|from|by|of|until)\s+(?P<year>(?:19|20)\d{{2}})
      | (?:on|last|this|next|since|by|until)\s+(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)
      | (?:(?<=the\s)|(?<=\ba\s))(?P<yearadj>(?:19|20)\d{{2}})(?=\s+[A-Za-z])
      | (?P<weekdayposs>monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?=[’']s\b)
      | (?P<yesterday>yesterday|today|tomorrow)
      | (?P<rel>(?:last|this|next|earlier\s+this|later\s+this)\s+(?:week|month|year))
      | (?P<lateyear>late|early)\s+last\s+year
      | (?:in|since|during|from|by|until|of)\s+(?:(?:late|early|mid-?)\s*)?(?P<month>{_MONTH_RE})(?!\s*\d)
      | (?<=the\s)(?P<monthadj>(?:january|february|march|april|june|july|august|september|october|november|december|(?-i:May)))(?=\s+[a-z])
    )\b""",
    re.I | re.X,
)


def resolve(match: re.Match, article_date: dt.date | None, *, future: bool = False
            ) -> tuple[PartialDate, PartialDate | None] | None:
    """The (start, end) a date expression denotes, given the article date; None when it can't be known."""
    kind = match.lastgroup
    text = match.group(kind)
    if kind == "iso":
        day = parse_written_date(text)
        return (PartialDate.of(day), None) if day else None
    if kind in ("dmy", "mdy"):
        day = parse_written_date(text.replace(".", ""))
        return (PartialDate.of(day), None) if day else None
    if kind == "mrange":
        parts = re.match(rf"({_MONTH_RE})\.?\s+(\d{{1,2}})\s*(?:-|–|to|until|through)\s*(?:({_MONTH_RE})\.?\s+)?(\d{{1,2}})(?:,?\s+(\d{{4}}))?",
                         text, re.I)
        month = _month(parts.group(1))
        end_month = _month(parts.group(3)) if parts.group(3) else month
        year = int(parts.group(5)) if parts.group(5) else _year_near_day(month, int(parts.group(2)), article_date, future)
        if year is None:
            return None
        start, end = _safe_date(year, month, int(parts.group(2))), _safe_date(year, end_month, int(parts.group(4)))
        return (PartialDate.of(start), PartialDate.of(end)) if start and end else None
    if kind == "md":
        parts = re.match(rf"({_MONTH_RE})\.?\s+(\d{{1,2}})", text, re.I)
        month = _month(parts.group(1))
        year = _year_near_day(month, int(parts.group(2)), article_date, future)
        day = _safe_date(year, month, int(parts.group(2))) if year else None
        return (PartialDate.of(day), None) if day else None
    if kind == "my":
        month_name, year = text.rsplit(None, 1)
        return (PartialDate(int(year), _month(month_name)), None)
    if kind in ("year", "yearadj"):
        return (PartialDate(int(text)), None)
    if article_date is None:
        return None
    if kind == "weekdayposs":
        return (PartialDate.of(_previous_weekday(article_date, WEEKDAYS[text.lower()], "on " + text.lower())), None)
    if kind == "monthadj":
        kind = "month"
    if kind == "weekday":
        phrase = match.group(0).lower()
        if future and phrase.startswith("on "):
            phrase = "next " + phrase[3:]
        return (PartialDate.of(_previous_weekday(article_date, WEEKDAYS[text.lower()], phrase)), None)
    if kind == "yesterday":
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[text.lower()]
        return (PartialDate.of(article_date + dt.timedelta(days=offset)), None)
    if kind == "rel":
        unit = text.lower().split()[-1]
        step = -1 if text.lower().startswith("last") else (1 if text.lower().startswith("next") else 0)
        if unit == "year":
            return (PartialDate(article_date.year + step), None)
        if unit == "month":
            month_index = article_date.year * 12 + article_date.month - 1 + step
            return (PartialDate(month_index // 12, month_index % 12 + 1), None)
        # a week straddles months: keep the month only when the whole week lies in one
        monday = article_date - dt.timedelta(days=article_date.weekday()) + dt.timedelta(weeks=step)
        sunday = monday + dt.timedelta(days=6)
        if (monday.year, monday.month) == (sunday.year, sunday.month):
            return (PartialDate(monday.year, monday.month), None)
        return (PartialDate(monday.year), None) if monday.year == sunday.year else None
    if kind == "lateyear":
        return (PartialDate(article_date.year - 1), None)
    if kind == "month":
        month = _month(text)
        year = _year_near(month, article_date)
        return (PartialDate(year, month), None) if year else None
    return None


def _year_near(month: int, article_date: dt.date | None) -> int | None:
    """News speaks of the most recent such month: this year unless it is still to come."""
    if article_date is None:
        return None
    return article_date.year if month <= article_date.month else article_date.year - 1


def _year_near_day(month: int, day: int, article_date: dt.date | None, future: bool) -> int | None:
    """The year of a day written without one: the latest such day on or before the article date, or the
    first on or after it when the sentence speaks of the future ('met on January 2' in an article of
    1 January 2000 is 2 January 1999)."""
    if article_date is None:
        return None
    same_year = _safe_date(article_date.year, month, day)
    if same_year is None:
        return article_date.year  # an impossible day (30 February) stays impossible
    if future:
        return article_date.year if same_year >= article_date else article_date.year + 1
    return article_date.year if same_year <= article_date else article_date.year - 1


def _previous_weekday(article_date: dt.date, weekday: int, phrase: str) -> dt.date:
    """'On Tuesday' in news means the latest Tuesday on or before the article date (or the next, with 'next')."""
    if phrase.startswith("next"):
        delta = (weekday - article_date.weekday()) % 7 or 7
        return article_date + dt.timedelta(days=delta)
    delta = (article_date.weekday() - weekday) % 7
    if phrase.startswith("last") and delta == 0:
        delta = 7
    return article_date - dt.timedelta(days=delta)


FUTURE = re.compile(r"\b(?:will|is|are) (?:\w+ )?(?:scheduled|due|set|expected|to)\b|\bwill\b|\bplans? to\b", re.I)


def _speaks_of_future(sentence: str, match: re.Match) -> bool:
    """Whether the clause holding a date expression is in the future tense ('On Monday, X is scheduled to ...')."""
    start, end = match.start(), match.end()
    if re.match(r"\s*,", sentence[end:]) and not sentence[:start].strip():
        clause = sentence[end:].split(",")[1] if sentence[end:].count(",") else sentence[end:]
    else:
        left = max(sentence.rfind(",", 0, start), sentence.rfind(";", 0, start)) + 1
        right_candidates = [i for i in (sentence.find(",", end), sentence.find(";", end)) if i != -1]
        clause = sentence[left:min(right_candidates) if right_candidates else len(sentence)]
    future = FUTURE.search(clause)
    if future is None:
        return False
    past = PAST.search(clause)
    return past is None or past.start() > future.start()


PAST = re.compile(r"\b(?:\w+ed|met|held|said|told|took|made|went|came|began|won|led|left|fled|saw|gave|struck|"
                  r"spoke|sent|shot|hit|fought|killed|signed|arrived)\b", re.I)


def find_dates(sentence: str, article_date: dt.date | None, *, future: bool | None = None
               ) -> list[tuple[re.Match, PartialDate, PartialDate | None]]:
    """Every resolvable date expression in a sentence with its resolution, in order.

    A bare weekday points back from the article date ('on Tuesday' = the last Tuesday), or forward when the
    sentence speaks of the future ('is scheduled to meet on Monday'); `future=None` decides from the text.
    """
    found = []
    for match in DATE_EXPRESSION.finditer(sentence):
        ahead = _speaks_of_future(sentence, match) if future is None else future
        resolved = resolve(match, article_date, future=ahead)
        if resolved:
            found.append((match, *resolved))
    return found
