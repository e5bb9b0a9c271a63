"""Property-based tests (hypothesis) of the query guard, the article splitter and front matter, and the date
resolver: they never crash, and they keep their promises on generated input (issue 6)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from loader.articles import Article, Rejection, read_articles, text_articles
from loader.dates import DATE_EXPRESSION, find_dates, resolve
from loader.query import QueryError, QueryRefused, check_query

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------- the query guard


@FUZZ
@given(st.text(max_size=400))
def test_query_guard_raises_only_query_errors(text):
    try:
        check_query(text)
    except QueryError:
        pass


SPARQL_TOKENS = ["SELECT", "*", "?s", "?p", "?o", "WHERE", "{", "}", "(", ")", ".", ";", "<http://x/>", '"lit"',
                 "'l'", "#c\n", "\\u0053", "SERVICE", "FROM", "NAMED", "GRAPH", "FILTER", "regex", "ASK", "\n", " ",
                 '"""a\nb"""', "PREFIX", "x:", "x:y", "\\", "'", '"', "<", ">", "BIND", "AS", "VALUES", "INSERT"]


@FUZZ
@given(st.lists(st.sampled_from(SPARQL_TOKENS), max_size=40).map(" ".join))
def test_query_guard_raises_only_query_errors_on_sparql_like_text(text):
    try:
        check_query(text)
    except QueryError:
        pass


def _spell(keyword: str, draw) -> str:
    """A keyword in mixed case with some letters written as \\u / \\U escapes (SPARQL allows them anywhere)."""
    out = []
    for ch in keyword:
        ch = draw(st.sampled_from([ch.lower(), ch.upper()]))
        form = draw(st.sampled_from(["plain", "plain", "u", "U", "u-lower"]))
        if form == "u":
            out.append(f"\\u{ord(ch):04X}")
        elif form == "u-lower":
            out.append(f"\\u{ord(ch):04x}")
        elif form == "U":
            out.append(f"\\U{ord(ch):08X}")
        else:
            out.append(ch)
    return "".join(out)


GAP = st.sampled_from([" ", "\t", "\n", "\r\n", "  ", " # a comment\n", "\n#SERVICE in a comment\n", "#x\r\n"])
REFUSED_TEMPLATES = [
    ("SERVICE", "SELECT * WHERE {{{g}{kw}{g}<http://example.org/sparql>{g}{{ ?s ?p ?o }} }}"),
    ("SERVICE SILENT", "SELECT * WHERE {{ ?a ?b ?c .{g}{kw}{g}<http://example.org/sparql> {{ ?s ?p ?o }} }}"),
    ("SERVICE", "SELECT * WHERE {{ OPTIONAL {{{g}{kw}{g}?endpoint {{ ?s ?p ?o }} }} }}"),
    ("FROM", "SELECT *{g}{kw}{g}<http://example.org/data.ttl>{g}WHERE {{ ?s ?p ?o }}"),
    ("FROM NAMED", "SELECT *{g}{kw}{g}<file:///etc/passwd>{g}WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
    ("FROM", "CONSTRUCT {{ ?s ?p ?o }}{g}{kw}{g}<http://example.org/x>{g}WHERE {{ ?s ?p ?o }}"),
    ("FROM", "ASK{g}{kw}{g}<http://example.org/x>{g}{{ ?s ?p ?o }}"),
    ("INSERT DATA", "{kw}{g}{{ <http://a> <http://b> <http://c> }}"),
    ("DELETE DATA", "{kw}{g}{{ <http://a> <http://b> <http://c> }}"),
    ("DELETE WHERE", "{kw}{g}{{ ?s ?p ?o }}"),
    ("LOAD", "{kw}{g}<http://example.org/x.ttl>"),
    ("DROP ALL", "{kw}"),
    ("CLEAR DEFAULT", "{kw}"),
    ("CREATE GRAPH", "{kw}{g}<http://example.org/g>"),
    ("ADD", "{kw}{g}<http://a>{g}TO{g}<http://b>"),
    ("MOVE", "{kw}{g}DEFAULT{g}TO{g}<http://b>"),
    ("COPY", "{kw}{g}<http://a>{g}TO{g}<http://b>"),
    ("WITH", "{kw}{g}<http://g>{g}DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}"),
]


@st.composite
def refused_queries(draw):
    keyword, template = draw(st.sampled_from(REFUSED_TEMPLATES))
    words = [_spell(word, draw) for word in keyword.split()]
    spelled = draw(GAP).join(words)
    query = template.format(kw=spelled, g=draw(GAP))
    prologue = draw(st.sampled_from(["", "# leading comment\n", "PREFIX ex: <http://example.org/>\n",
                                     "BASE <http://example.org/>\n", "\ufeff", "  \n"]))
    return prologue + query


@FUZZ
@given(refused_queries())
def test_query_guard_refuses_every_service_from_and_update_spelling(query):
    with pytest.raises(QueryRefused):
        check_query(query)


# ---------------------------------------------------------------- the splitter and front matter


@FUZZ
@given(st.text(max_size=2000))
def test_splitter_never_crashes_and_always_answers(text):
    items = list(text_articles(text, "fuzz.txt"))
    assert items and all(isinstance(i, (Article, Rejection)) for i in items)
    for item in items:
        if isinstance(item, Article):
            item.text.encode("utf-8")
            assert item.text.strip()


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".md", ".json", ".jsonl"]))
def test_reader_never_crashes_on_bytes(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "fuzz" + suffix)
        with open(path, "wb") as handle:
            handle.write(data)
        items = list(read_articles(path))
    assert items and all(isinstance(i, (Article, Rejection)) for i in items)


FM_VALUES = st.one_of(st.text(max_size=60), st.sampled_from(
    ["2024-13-45", "2024-02-30", "[1, 2]", "{a: b}", "&a x", "*a", "!!binary eA==", "'unterminated", "|", ">",
     "https://example.org/a b>c", '"http://x/\\n y"', "- a\n- b", "null", "~", ".nan", "1e999", "!!python/none ''"]))


@FUZZ
@given(st.dictionaries(st.sampled_from(["title", "date", "url", "publisher", "other", "x y"]), FM_VALUES, max_size=5),
       st.text(max_size=300))
def test_front_matter_never_crashes(fields, body):
    block = "\n".join(f"{key}: {value}" for key, value in fields.items())
    items = list(text_articles(f"---\n{block}\n---\n{body}", "fm.md"))
    assert items and all(isinstance(i, (Article, Rejection)) for i in items)
    import pyoxigraph as ox

    for item in items:
        if isinstance(item, Article) and item.url:
            ox.NamedNode(item.url)


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9)
SENTENCE = st.tuples(st.sampled_from(["Officials", "Troops", "Talks", "Pakistan", "Envoys", "Ministers"]),
                     st.lists(WORD, min_size=2, max_size=12)).map(lambda t: " ".join([t[0], *t[1]]) + ".")
PARAGRAPHS = st.lists(SENTENCE, min_size=1, max_size=6)
SEPARATOR = st.sampled_from(["\n===\n", "\n* * *\n", "\n___\n", "\n\f\n"])


@st.composite
def multi_article_files(draw):
    """(file text, the paragraphs of each article) for 1..8 articles, with or without front matter."""
    articles = draw(st.lists(PARAGRAPHS, min_size=1, max_size=8))
    parts = []
    for i, paragraphs in enumerate(articles):
        body = "\n\n".join(paragraphs)
        if draw(st.booleans()):
            body = f"---\ntitle: Story {i}\ndate: 2024-05-{i + 1:02d}\n---\n{body}"
            parts.append(("\n" if parts else "") + body)
        else:
            parts.append((draw(SEPARATOR) if parts else "") + body)
    return "".join(parts), articles


@settings(FUZZ, max_examples=120)
@given(multi_article_files())
def test_splitting_loses_no_text(case):
    text, articles = case
    items = list(text_articles(text, "many.txt"))
    assert all(isinstance(i, Article) for i in items), items
    found = "\n".join(i.text for i in items)
    for paragraphs in articles:
        for sentence in paragraphs:
            assert sentence in found
    assert len(items) == len(articles)


# ---------------------------------------------------------------- the date resolver

ARTICLE_DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
MONTHS = ["January", "Feb", "March", "Apr", "May", "June", "Jul", "August", "Sept", "October", "Nov", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@FUZZ
@given(st.text(max_size=300), st.one_of(st.none(), st.dates()), st.sampled_from([None, True, False]))
def test_date_resolver_never_crashes(text, article_date, future):
    for match, start, end in find_dates(text, article_date, future=future):
        start.literal()
        assert end is None or end.literal()


DAYLESS = st.one_of(
    st.sampled_from(MONTHS).map(lambda m: f"in {m}"),
    st.tuples(st.sampled_from(MONTHS), st.integers(1900, 2100)).map(lambda t: f"{t[0]} {t[1]}"),
    st.integers(1900, 2099).map(lambda y: f"since {y}"),
    st.tuples(st.sampled_from(["last", "this", "next", "earlier this", "later this"]),
              st.sampled_from(["week", "month", "year"])).map(" ".join),
    st.sampled_from(["late last year", "early last year", "during mid-March", "until late December"]),
)


@FUZZ
@given(DAYLESS, ARTICLE_DATES, st.sampled_from([None, True, False]))
def test_never_a_day_when_the_expression_has_none(expression, article_date, future):
    for _match, start, end in find_dates(f"It happened {expression}.", article_date, future=future):
        assert start.day is None and (end is None or end.day is None), (expression, start)


BACKWARD = st.one_of(
    st.sampled_from(WEEKDAYS).flatmap(lambda d: st.sampled_from([f"on {d}", f"last {d}", f"this {d}", f"since {d}"])),
    st.sampled_from(["yesterday", "today", "last week", "last month", "last year", "this month", "this year",
                     "earlier this month", "late last year"]),
    st.tuples(st.sampled_from(MONTHS), st.integers(1, 31)).map(lambda t: f"on {t[0]} {t[1]}"),
    st.tuples(st.sampled_from(MONTHS), st.integers(1, 28)).map(lambda t: f"from {t[0]} {t[1]} to {t[1] + 2}"),
    st.sampled_from(MONTHS).map(lambda m: f"in {m}"),
)


def _earliest(date) -> dt.date:
    return dt.date(date.year, date.month or 1, date.day or 1)


@FUZZ
@given(BACKWARD, ARTICLE_DATES)
def test_resolved_dates_are_never_after_the_article_date_without_a_forward_word(expression, article_date):
    for match, start, _end in find_dates(f"Officials met {expression}.", article_date, future=False):
        assert _earliest(start) <= article_date, (expression, article_date, start)


@FUZZ
@given(st.sampled_from(WEEKDAYS), ARTICLE_DATES)
def test_next_weekday_and_tomorrow_point_forward(day, article_date):
    (_m, start, _e), = find_dates(f"They will meet next {day}.", article_date)
    assert dt.date(start.year, start.month, start.day) > article_date
    (_m, start, _e), = find_dates("They meet tomorrow.", article_date)
    assert dt.date(start.year, start.month, start.day) == article_date + dt.timedelta(days=1)
