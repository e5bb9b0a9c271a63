"""Date expressions resolved against the article date, never more precise than the text."""

from __future__ import annotations

import datetime as dt

import pytest

from loader.dates import find_dates, parse_written_date

ARTICLE_DATE = dt.date(2024, 9, 16)  # a Monday

CASES = [
    ("on Tuesday", "2024-09-10", None),
    ("on Monday", "2024-09-16", None),
    ("last week", "2024-09", None),
    ("last month", "2024-08", None),
    ("in August", "2024-08", None),
    ("in December", "2023-12", None),
    ("last year", "2023", None),
    ("yesterday", "2024-09-15", None),
    ("since 2021", "2021", None),
    ("August 2021", "2021-08", None),
    ("from September 14 to 18", "2024-09-14", "2024-09-18"),
    ("Sept. 14-18", "2024-09-14", "2024-09-18"),
    ("on 3 October 2023", "2023-10-03", None),
]


@pytest.mark.parametrize("text, start, end", CASES)
def test_expression_resolves(text, start, end):
    (match, first, last), *_ = find_dates(text, ARTICLE_DATE)
    assert first.iso() == start
    assert (last.iso() if last else None) == end


@pytest.mark.parametrize("text", ["on Tuesday", "last week", "in August", "yesterday"])
def test_relative_expressions_need_the_article_date(text):
    assert find_dates(text, None) == []


@pytest.mark.parametrize(
    "text, expected",
    [("16 September 2024", dt.date(2024, 9, 16)), ("Sept. 16, 2024", dt.date(2024, 9, 16)),
     ("2024-09-16", dt.date(2024, 9, 16)), ("9 sec ago", None), ("31 February 2024", None)],
)
def test_written_dates(text, expected):
    assert parse_written_date(text) == expected


@pytest.mark.parametrize(
    "sentence, article_date, expected",
    [("Officials met on January 2.", dt.date(2000, 1, 1), "1999-01-02"),   # found by fuzzing: was 2000-01-02
     ("Officials met on September 10.", ARTICLE_DATE, "2024-09-10"),
     ("Officials met on September 20.", ARTICLE_DATE, "2023-09-20"),
     ("Officials will meet on September 20.", ARTICLE_DATE, "2024-09-20"),
     ("Officials will meet on January 5.", dt.date(2024, 12, 30), "2025-01-05")],
)
def test_a_day_without_a_year_is_the_latest_such_day_or_the_next_in_the_future_tense(sentence, article_date, expected):
    (_match, start, _end), *_ = find_dates(sentence, article_date)
    assert start.iso() == expected

