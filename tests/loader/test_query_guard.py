"""The query guard refuses updates, SERVICE and FROM whatever the spelling, and lets ordinary queries through."""

from __future__ import annotations

import pytest

from loader.query import (QueryRefused, QueryTooComplex, QueryTooLarge, UpdateRefused, check_algebra,
                          check_query)

REFUSED = [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { service silent <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/x.ttl>",
    "DROP ALL",
]
ALLOWED = [
    "SELECT ?service ?from WHERE { ?service ?from ?o }",
    'SELECT * WHERE { ?s ?p "SERVICE FROM INSERT" }',
    "SELECT * WHERE { ?s <http://example.org/service> ?o } # SERVICE in a comment",
    "PREFIX load: <http://example.org/> SELECT * WHERE { ?s load:from ?o }",
    "ASK { GRAPH ?g { ?s ?p ?o } }",
]


@pytest.mark.parametrize("query", REFUSED)
def test_refused(query):
    with pytest.raises(QueryRefused):
        check_query(query)


@pytest.mark.parametrize("query", ALLOWED)
def test_allowed(query):
    check_query(query)


# Spellings that hid SERVICE/FROM/updates from a regex-based guard, and the limits.
BYPASSES = [
    "SELECT * WHERE { ?s ?p ?o.SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o # it's '''\nSERVICE <http://127.0.0.1:9/> { ?s ?p ?o } # '''\n}",
    'SELECT * WHERE { ?s ?p "\\"" SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }',
    "SELECT * WHERE { \\U00000053\\u0045RVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o } \\u0046ROM <file:///etc/passwd>",
    "SELECT * WHERE {?s ?p ?o}SERVICE?x{?s ?p ?o}",
    "SELECT * WHERE { BIND(1 AS ?x) SERVICE ?svc { ?s ?p ?o } }",
    "ASK FROM<http://127.0.0.1:9/x>{}",
    "PREFIX : <urn:> INSERT DATA { :a :b :c }",
    "\\u0044ROP ALL",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("query", BYPASSES)
def test_bypass_attempts_are_refused(query):
    with pytest.raises(QueryRefused):
        check_query(query)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o.SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * FROM <http://example.org/> WHERE { ?s ?p ?o }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:p ?o . SERVICE SILENT <http://x/> { ?s ?p ?o } }",
])
def test_the_parse_tree_check_refuses_what_the_text_check_refuses(query):
    with pytest.raises(QueryRefused):
        check_algebra(query)


def test_updates_are_a_distinct_refusal():
    with pytest.raises(UpdateRefused):
        check_query("CLEAR ALL")
    with pytest.raises(QueryRefused) as caught:
        check_query("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }")
    assert not isinstance(caught.value, UpdateRefused)


@pytest.mark.parametrize("query", ALLOWED + [
    'SELECT * WHERE { ?s ?p "it\'s a \\"quote\\" with SERVICE and FROM" }',
    "SELECT * WHERE { ?s ?p ?o } # comment with ''' and SERVICE",
    'SELECT * WHERE { ?s ?p "x"@from }',
    "SELECT ?x WHERE { ?x <http://example.org/from> ?y FILTER(?y<3) }",
])
def test_the_parse_tree_check_lets_ordinary_queries_through(query):
    check_query(query)
    check_algebra(query)


def test_query_form_is_reported():
    assert check_query("PREFIX x: <urn:x> SELECT * { ?s ?p ?o }") == "SELECT"
    assert check_query("CONSTRUCT { ?s ?p ?o } WHERE { { SELECT ?s ?p ?o { ?s ?p ?o } } }") == "CONSTRUCT"
    assert check_query("ASK {}") == "ASK" and check_query("DESCRIBE <urn:x>") == "DESCRIBE"


def test_length_and_nesting_limits():
    with pytest.raises(QueryTooLarge):
        check_query("ASK {} #" + "x" * 200, max_length=100)
    deep = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 80 + "?o" + ")" * 80 + ") }"
    with pytest.raises(QueryTooComplex):
        check_query(deep, max_nesting=64)
    check_query(deep, max_nesting=100)
    # Brackets inside strings, IRIs and comments do not count.
    check_query('SELECT * WHERE { ?s ?p "' + "(" * 100 + '" } # ' + "{" * 100, max_nesting=5)


def test_the_parse_tree_check_survives_very_deep_nesting():
    deep = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "?o" + ")" * 5000 + ") }"
    with pytest.raises(QueryTooComplex):
        check_algebra(deep)


def test_regression_non_ascii_letter_outside_strings_is_not_a_crash():
    """Found by fuzzing: check_query('À') raised AttributeError (str.isalpha() vs the ASCII word pattern)."""
    check_query("À")
    check_query("SELECT * WHERE { ?s ?p ?o } # À")
    with pytest.raises(QueryRefused):
        check_query("ÀB SERVICE <http://example.org/> { ?s ?p ?o }")
