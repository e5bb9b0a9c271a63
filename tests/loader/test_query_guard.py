"""The query guard refuses updates, SERVICE and FROM whatever the spelling, and lets ordinary queries through."""

from __future__ import annotations

import pytest

from loader.query import QueryRefused, check_query

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
