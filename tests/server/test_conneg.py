"""Content negotiation: one function decides, with q-values, wildcards and specificity."""

from __future__ import annotations

import pytest

from server.conneg import negotiate, parse_accept

RESULTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values", "application/json"]
GRAPHS = ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"]


@pytest.mark.parametrize("header, offers, expected", [
    (None, RESULTS, "application/sparql-results+json"),
    ("", GRAPHS, "text/turtle"),
    ("*/*", GRAPHS, "text/turtle"),
    ("text/csv", RESULTS, "text/csv"),
    ("text/*", RESULTS, "text/csv"),
    ("application/sparql-results+xml;q=0.9, application/sparql-results+json;q=0.8", RESULTS,
     "application/sparql-results+xml"),
    ("application/sparql-results+json;q=0.1, text/csv", RESULTS, "text/csv"),
    ("text/*;q=0.5, text/tab-separated-values", RESULTS, "text/tab-separated-values"),
    ("*/*;q=0.1, application/rdf+xml", GRAPHS, "application/rdf+xml"),
    # The most specific range sets the q-value: text/turtle is refused even though text/* is welcome.
    ("text/*, text/turtle;q=0", ["text/turtle"], None),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", GRAPHS, "text/turtle"),
    ("image/png", RESULTS, None),
    ("application/json", RESULTS, "application/json"),
    ("TEXT/CSV", RESULTS, "text/csv"),
    ("text/csv; charset=utf-8; q=0.7, application/sparql-results+json; q=0.6", RESULTS, "text/csv"),
    ("garbage, , /, text/csv;q=abc", RESULTS, "text/csv"),
    ("*/*;q=0", RESULTS, None),
])
def test_negotiate(header, offers, expected):
    assert negotiate(header, offers) == expected


def test_specific_zero_beats_wildcard():
    assert negotiate("text/*, text/turtle;q=0", ["text/turtle", "text/plain"]) == "text/plain"


def test_parse_accept_orders_by_q_then_specificity():
    ranges = parse_accept("*/*;q=0.5, text/*;q=0.5, text/csv;q=0.5, application/json")
    assert [(r.type, r.subtype) for r in ranges] == [("application", "json"), ("text", "csv"), ("text", "*"),
                                                    ("*", "*")]
    assert ranges[0].q == 1.0 and ranges[-1].q == 0.5


def test_q_values_are_clamped():
    assert [r.q for r in parse_accept("a/b;q=7, c/d;q=-1")] == [1.0, 0.0]
