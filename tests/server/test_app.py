"""The web app against a store built from the bundled articles (Flask test client)."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from server import create_app

pytestmark = pytest.mark.slow

GROUPS = """SELECT ?g ?label WHERE { ?g a kh:MilitantGroup ; rdfs:label ?label }"""


@pytest.fixture()
def client(built_store):
    return create_app({"STORE": str(built_store), "TESTING": True}).test_client()


def test_home_page_links_everything(client):
    page = client.get("/").get_data(as_text=True)
    for link in ("/sparql", "/dump.ttl", "/ontology.ttl", "/ontology.owl"):
        assert link in page


@pytest.mark.parametrize("method", ["get", "post-form", "post-body"])
def test_select_in_every_protocol_binding(client, method):
    if method == "get":
        response = client.get("/sparql", query_string={"query": GROUPS})
    elif method == "post-form":
        response = client.post("/sparql", data={"query": GROUPS})
    else:
        response = client.post("/sparql", data=GROUPS, content_type="application/sparql-query")
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    rows = json.loads(response.data)["results"]["bindings"]
    assert rows and all("label" in row for row in rows)


def test_construct_returns_turtle(client):
    response = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s a kh:Person }"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    assert len(list(ox.parse(response.data, format=ox.RdfFormat.TURTLE))) > 0


@pytest.mark.parametrize(
    "query, status",
    [("SELECT * WHERE { ?s ?p }", 400), ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", 400)],
)
def test_bad_and_refused_queries_get_400_with_a_message(client, query, status):
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == status and response.get_data(as_text=True).strip()


def test_updates_are_forbidden(client):
    response = client.post("/sparql", data="INSERT DATA { <http://a> <http://b> <http://c> }",
                           content_type="application/sparql-update")
    assert response.status_code == 403


def test_dump_ttl_parses(client):
    with client.get("/dump.ttl") as response:
        assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
        assert len(list(ox.parse(response.data, format=ox.RdfFormat.TURTLE))) > 100


def test_ontology_turtle_is_served(client):
    response = client.get("/ontology.ttl")
    assert response.status_code == 200 and b"owl:Ontology" in response.data
