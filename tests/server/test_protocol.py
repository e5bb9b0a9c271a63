"""The SPARQL 1.1 Protocol against a running `khyber serve`: SPARQLWrapper in every format, the W3C cases as data."""

from __future__ import annotations

import csv
import http.client
import io
import json
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, TSV, TURTLE, XML, SPARQLWrapper

pytestmark = pytest.mark.slow

CASES = json.loads((Path(__file__).parent / "w3c" / "protocol.json").read_text())["cases"]
GROUPS = "SELECT ?g ?label WHERE { ?g a kh:MilitantGroup ; rdfs:label ?label } ORDER BY ?g LIMIT 20"
PEOPLE = "CONSTRUCT { ?p a kh:Person ; rdfs:label ?l } WHERE { ?p a kh:Person ; rdfs:label ?l }"


def client(server, query: str, method: str, fmt: str) -> SPARQLWrapper:
    wrapper = SPARQLWrapper(server.base + "/sparql")
    wrapper.setQuery(query)
    wrapper.setMethod(method)
    wrapper.setReturnFormat(fmt)
    return wrapper


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select_in_every_results_format(live_server, method, fmt):
    converted = client(live_server, GROUPS, method, fmt).query().convert()
    if fmt == JSON:
        rows = [(b["g"]["value"], b["label"]["value"]) for b in converted["results"]["bindings"]]
    elif fmt == XML:
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ET.fromstring(converted.toxml())
        rows = [(r.find("r:binding[@name='g']/r:uri", ns).text, r.find("r:binding[@name='label']/r:literal", ns).text)
                for r in root.iter("{http://www.w3.org/2005/sparql-results#}result")]
    elif fmt == CSV:
        table = list(csv.reader(io.StringIO(converted.decode())))
        assert table[0] == ["g", "label"]
        rows = [tuple(r) for r in table[1:]]
    else:
        lines = converted.decode().splitlines()
        assert lines[0] == "?g\t?label"
        rows = [tuple(line.split("\t")) for line in lines[1:]]
        rows = [(g.strip("<>"), rdflib.util.from_n3(label).toPython()) for g, label in rows]
    assert len(rows) == 20
    assert all(g.startswith("https://w3id.org/khyber/id/group/") and label for g, label in rows)


@pytest.mark.parametrize("method", [GET, POST])
def test_ask_over_http(live_server, method):
    assert client(live_server, "ASK { ?g a kh:MilitantGroup }", method, JSON).query().convert()["boolean"] is True
    assert client(live_server, "ASK { ?g a kh:NoSuchClass }", method, JSON).query().convert()["boolean"] is False


@pytest.mark.parametrize("fmt, ox_format", [(TURTLE, ox.RdfFormat.TURTLE), (N3, ox.RdfFormat.TURTLE),
                                             (XML, ox.RdfFormat.RDF_XML), (JSONLD, ox.RdfFormat.JSON_LD)])
def test_construct_in_sparqlwrapper_formats(live_server, fmt, ox_format):
    result = client(live_server, PEOPLE, POST, fmt).query()
    # Parse the raw body with Oxigraph (SPARQLWrapper's own conversion uses rdflib's deprecated ConjunctiveGraph).
    triples = list(ox.parse(result.response.read(), format=ox_format))
    people = {t.subject for t in triples if t.object == ox.NamedNode("https://w3id.org/khyber/ontology#Person")}
    assert len(people) >= 5


@pytest.mark.parametrize("fmt, ox_format, media", [
    ("ttl", ox.RdfFormat.TURTLE, "text/turtle"),
    ("nt", ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    ("rdfxml", ox.RdfFormat.RDF_XML, "application/rdf+xml"),
    ("jsonld", ox.RdfFormat.JSON_LD, "application/ld+json"),
    ("trig", ox.RdfFormat.TRIG, "application/trig"),
])
def test_construct_by_format_parameter_and_by_accept(live_server, fmt, ox_format, media):
    query = urllib.parse.quote(PEOPLE)
    by_param = live_server.get(f"/sparql?query={query}&format={fmt}")
    by_accept = live_server.get(f"/sparql?query={query}", headers={"Accept": f"image/png;q=0.9, {media}"})
    for status, headers, body in (by_param, by_accept):
        assert status == 200 and headers.get_content_type() == media
        assert len(list(ox.parse(body, format=ox_format))) >= 10


def test_results_formats_by_format_parameter(live_server):
    query = urllib.parse.quote("SELECT ?g WHERE { ?g a kh:MilitantGroup } LIMIT 3")
    for fmt, media in (("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
                       ("csv", "text/csv"), ("tsv", "text/tab-separated-values")):
        status, headers, body = live_server.get(f"/sparql?query={query}&format={fmt}&download=1")
        assert status == 200 and headers.get_content_type() == media, fmt
        assert f"khyber-results.{fmt}" in headers["Content-Disposition"]
    assert live_server.get(f"/sparql?query={query}&format=ttl")[0] == 406


def _send(server, case: dict):
    url = urllib.parse.urlsplit(server.base)
    path = "/sparql"
    if case.get("params"):
        path += "?" + urllib.parse.urlencode([tuple(p) for p in case["params"]])
    body = None
    if "form" in case:
        body = urllib.parse.urlencode([tuple(p) for p in case["form"]]).encode()
    elif "body_latin1" in case:
        body = case["body_latin1"].encode("latin-1")
    elif case.get("body") is not None:
        body = case["body"].encode()
    headers = dict(case.get("headers", {}))
    if case.get("content_type"):
        headers["Content-Type"] = case["content_type"]
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        # http.client adds no Content-Type of its own: the "missing type" cases really send none.
        connection.request(case["method"], path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("case", CASES, ids=[c["name"].split(" ")[0] for c in CASES])
def test_w3c_protocol_case(live_server, case):
    status, content_type, body = _send(live_server, case)
    expect = case["expect"]
    if expect["status"] == "4xx":
        assert 400 <= status < 500, (status, body)
    else:
        assert status == expect["status"], (status, body)
    if status >= 400:
        assert content_type.startswith("text/plain") and body.strip(), "errors are a short plain-text message"
        assert b"Traceback" not in body
    media = content_type.split(";")[0].strip()
    if "media" in expect:
        assert media in expect["media"], content_type
    if "boolean" in expect:
        assert json.loads(body)["boolean"] is expect["boolean"] if "json" in media else \
            (b"<boolean>true</boolean>" in body) is expect["boolean"]
    if "graphs" in expect:
        graphs = {b["g"]["value"] for b in json.loads(body)["results"]["bindings"]}
        assert graphs == set(expect["graphs"])
    if "body_contains" in expect:
        assert expect["body_contains"].encode() in body


def test_syntax_error_gives_the_parsers_message_and_position(live_server):
    status, headers, body = live_server.get("/sparql?query=" + urllib.parse.quote("SELECT * WHERE {\n  ?s ?p }"))
    assert status == 400 and b"syntax error" in body and b"2:" in body and b"Traceback" not in body


def test_service_description_and_query_page_by_conneg(live_server):
    status, headers, body = live_server.get("/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers.get_content_type() == "text/turtle"
    graph = rdflib.Graph().parse(data=body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = graph.value(None, rdflib.RDF.type, sd.Service)
    assert graph.value(service, sd.endpoint) == rdflib.URIRef(live_server.base + "/sparql")
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert len(set(graph.objects(service, sd.resultFormat))) >= 9
    status, headers, body = live_server.get("/sparql", headers={"Accept": "application/rdf+xml"})
    assert status == 200 and len(rdflib.Graph().parse(data=body, format="xml")) > 10
    status, headers, body = live_server.get(
        "/sparql", headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert status == 200 and headers.get_content_type() == "text/html" and b'id="query"' in body


def test_cors_and_security_headers(live_server):
    status, headers, _ = live_server.get("/sparql?query=ASK%7B%7D", headers={"Origin": "https://example.org"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    status, headers, _ = live_server.get("/sparql", headers={"Accept": "text/html"})
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "Werkzeug" not in headers.get("Server", "")


def test_request_size_limits(live_server):
    big = ("ASK { ?s ?p ?o } #" + "x" * 1_100_000).encode()
    status, _, body = live_server.request("/sparql", data=big, headers={"Content-Type": "application/sparql-query"})
    assert status == 413
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000
    status, _, body = live_server.request("/sparql", data=long_query.encode(),
                                          headers={"Content-Type": "application/sparql-query"})
    assert status == 413 and b"limit" in body
    deep = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 200 + "?o" + ")" * 200 + ") }"
    status, _, body = live_server.request("/sparql", data=deep.encode(),
                                          headers={"Content-Type": "application/sparql-query"})
    assert status == 400 and b"nest" in body
    assert live_server.get("/sparql?query=ASK%7B%7D")[0] == 200
