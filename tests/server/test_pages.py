"""Resource pages, dumps, ontology, VoID, health and the isolation of the engine (Flask test client)."""

from __future__ import annotations

import gzip
import json
import urllib.parse

import pyoxigraph as ox
import pytest

from loader.query import PREFIXES
from server import create_app
from server.examples import EXAMPLES

pytestmark = pytest.mark.slow

ID = "https://w3id.org/khyber/id/"


@pytest.fixture()
def app(built_store, tmp_path):
    return create_app({"STORE": str(built_store), "TESTING": True, "CACHE_DIR": str(tmp_path / "cache")})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def witness(built_store):
    """A person that facts with evidence point at (so its page has evidence and inbound links)."""
    store = ox.Store.read_only(str(built_store / "current" / "oxigraph"))
    rows = list(store.query(
        "SELECT ?x (COUNT(*) AS ?n) WHERE { ?f ?p ?x . ?f kh:evidence ?e . ?x a kh:Person ; rdfs:label ?l } "
        "GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1", use_default_graph_as_union=True, prefixes=PREFIXES))
    assert rows, "the bundled articles give no person with evidence"
    return rows[0]["x"].value


def test_resource_page_shows_label_types_properties_evidence_and_inbound_links(client, witness):
    response = client.get("/id/" + witness[len(ID):], headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<h1>" in page and "/ontology.html#Person" in page
    assert "Evidence" in page and "<q>" in page and '/id/article/' in page
    assert "Referenced by" in page and "/id/" in page
    assert response.headers["Vary"] == "Accept" and "rel=\"alternate\"" in response.headers["Link"]


def test_resource_page_evidence_is_only_about_the_resource(client, built_store, witness):
    """Regression: a substituted ?this is unbound inside BIND, so BIND(?this AS ?fact) listed every sentence."""
    store = ox.Store.read_only(str(built_store / "current" / "oxigraph"))
    expected = {(r["f"].value, r["e"].value) for r in store.query(
        f"SELECT DISTINCT ?f ?e WHERE {{ {{ GRAPH ?a {{ <{witness}> kh:evidence ?e }} BIND(<{witness}> AS ?f) }} "
        f"UNION {{ ?f ?p <{witness}> . GRAPH ?a {{ ?f kh:evidence ?e }} }} }}",
        use_default_graph_as_union=True, prefixes=PREFIXES)}
    page = client.get("/id/" + witness[len(ID):], headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 0 < page.count("<q>") <= len(expected) + 5
    all_sentences = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?f kh:evidence ?e } }",
                                          prefixes=PREFIXES)))["n"].value
    assert page.count("<q>") < int(all_sentences)


@pytest.mark.parametrize("suffix, media, fmt", [
    ("ttl", "text/turtle", ox.RdfFormat.TURTLE), ("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD), ("rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML),
])
def test_resource_rdf_by_suffix_and_by_accept(client, witness, suffix, media, fmt):
    path = "/id/" + witness[len(ID):]
    for response in (client.get(f"{path}.{suffix}"), client.get(path, headers={"Accept": media})):
        assert response.status_code == 200 and response.mimetype == media
        triples = list(ox.parse(response.data, format=fmt))
        assert any(t.subject == ox.NamedNode(witness) for t in triples)
        assert any(t.object == ox.NamedNode(witness) for t in triples), "inbound links are included"


@pytest.mark.parametrize("payload", [
    'group/x" } UNION { ?this ?p ?o } #',
    "group/x> } ; DROP ALL ; #",
    "group/}{?s ?p ?o}",
    "group/tehreek-e-taliban-pakistan> . ?this ?p ?o #",
    'person/a"^^<x> } #',
    "group/%23",
    "group/x\\u0022",
])
def test_resource_pages_bind_values_never_format_them(client, payload):
    for accept in ("text/html", "text/turtle"):
        response = client.get("/id/" + urllib.parse.quote(payload, safe="/"), headers={"Accept": accept})
        assert response.status_code == 404, (payload, response.status_code, response.data[:300])
        assert b"Traceback" not in response.data


def test_unknown_resource_is_404(client):
    assert client.get("/id/group/no-such-group").status_code == 404


@pytest.mark.parametrize("ext, fmt", [("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
                                      ("trig", ox.RdfFormat.TRIG), ("nq", ox.RdfFormat.N_QUADS),
                                      ("jsonld", ox.RdfFormat.JSON_LD)])
def test_dumps_parse_and_answer_conditionally(client, ext, fmt):
    with client.get(f"/dump.{ext}") as response:
        assert response.status_code == 200
        assert f"khyber.{ext}" in response.headers["Content-Disposition"]
        etag, last_modified = response.headers["ETag"], response.headers["Last-Modified"]
        assert ext in etag and last_modified
        assert len(list(ox.parse(response.data, format=fmt))) > 500
        body = response.data
    with client.get(f"/dump.{ext}", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304 and not again.data
    with client.get(f"/dump.{ext}.gz") as packed:
        assert packed.status_code == 200 and packed.mimetype == "application/gzip"
        assert gzip.decompress(packed.data) == body
        assert packed.headers["ETag"] != etag


def test_unknown_dump_is_404(client):
    assert client.get("/dump.exe").status_code == 404


@pytest.mark.parametrize("ext, marker", [("ttl", b"owl:Ontology"), ("owl", b"rdf:RDF"), ("html", b"<html")])
def test_ontology_files_with_etag(client, ext, marker):
    response = client.get(f"/ontology.{ext}")
    assert response.status_code == 200 and marker in response.data
    again = client.get(f"/ontology.{ext}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_ontology_by_content_negotiation(client):
    assert client.get("/ontology", headers={"Accept": "text/turtle"}).headers["Location"].endswith("/ontology.ttl")
    assert client.get("/ontology", headers={"Accept": "text/html"}).headers["Location"].endswith("/ontology.html")


def test_void_description(client):
    response = client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    triples = list(ox.parse(response.data, format=ox.RdfFormat.N_TRIPLES))
    void = "http://rdfs.org/ns/void#"

    def value(name):
        return [t.object for t in triples if t.predicate == ox.NamedNode(void + name)]

    assert int(value("triples")[0].value) > 500
    for name in ("entities", "classes", "properties"):
        assert int(value(name)[0].value) > 5, name
    assert {d.value.rsplit("/", 1)[1] for d in value("dataDump")} == {f"dump.{e}" for e in
                                                                     ("ttl", "nt", "trig", "nq", "jsonld")}
    assert value("sparqlEndpoint") and value("classPartition")


def test_health_and_settings(client, built_store):
    health = client.get("/-/health").get_json()
    assert health["status"] == "ok" and health["triples"] > 500 and health["build"]
    settings = client.get("/-/settings.json").get_json()
    assert settings["query_timeout_s"]["value"] == 10.0 and settings["max_rows"]["environment"] == "KHYBER_MAX_ROWS"


def test_health_without_a_kg_is_503(tmp_path):
    response = create_app({"STORE": str(tmp_path / "empty"), "TESTING": True}).test_client().get("/-/health")
    assert response.status_code == 503 and response.get_json()["status"] == "no-kg"


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.key for e in EXAMPLES])
def test_example_queries_run(client, example):
    response = client.post("/sparql", data={"query": example.query})
    assert response.status_code == 200, response.data
    rows = json.loads(response.data)["results"]["bindings"]
    if example.key in ("posts", "groups", "article"):
        assert rows, example.key


def test_row_cap_cuts_and_says_so(built_store):
    client = create_app({"STORE": str(built_store), "TESTING": True, "MAX_ROWS": 3}).test_client()
    response = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p ?o }", "format": "csv"})
    assert response.status_code == 200 and "true" in response.headers["X-Khyber-Truncated"]
    assert len(response.get_data(as_text=True).strip().splitlines()) == 1 + 3
    graph = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
    assert len(graph.get_data(as_text=True).strip().splitlines()) == 3


def test_an_engine_abort_costs_one_request(built_store):
    """ORDER BY over a cartesian product exhausts a worker's memory cap: Oxigraph aborts that process only."""
    client = create_app({"STORE": str(built_store), "TESTING": True, "QUERY_MEMORY_MB": 600,
                         "QUERY_TIMEOUT_S": 20}).test_client()
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"})
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert b"SIGABRT" in response.data or b"memory" in response.data or b"time limit" in response.data
    after = client.get("/sparql", query_string={"query": "ASK { ?s a kh:Person }"})
    assert after.status_code == 200 and b"true" in after.data
    assert client.get("/-/health").get_json()["query_workers"]["crashes"] + \
        client.get("/-/health").get_json()["query_workers"]["timeouts"] >= 1


def test_errors_are_plain_text_without_traces(client):
    for response in (client.get("/nowhere"), client.put("/sparql"), client.get("/sparql?query=SELECT")):
        assert response.mimetype == "text/plain" and b"Traceback" not in response.data
