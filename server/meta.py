"""Pages about the service itself: /-/health, /-/settings.json and the VoID description of the dataset."""

from __future__ import annotations

import os

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, request

from loader.formats import DUMP_FORMATS, RDF_FORMATS
from loader.query import PREFIXES
from loader.store import StoreError

from .conneg import negotiate
from .kg import get_kg, get_pool
from .settings import SETTINGS

bp = Blueprint("meta", __name__)

VOID = "http://rdfs.org/ns/void#"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
RESOURCE_SPACE = "https://w3id.org/khyber/id/"
VOID_OFFERS = [f.media_type for f in RDF_FORMATS.values()] + ["application/json", "text/plain"]


@bp.route("/-/health")
def health() -> Response:
    """Whether the KG is served: store, live build, triples, query workers (503 when there is no KG)."""
    kg = get_kg()
    body = {"store": str(kg.store_dir), "pid": os.getpid()}
    try:
        _, build = kg.get()
        body.update(status="ok", build=build.name, triples=kg.cached("triples", _triples),
                    quads=kg.cached("quads", len))
        status = 200
    except StoreError as err:
        body.update(status="no-kg", error=str(err), build=None, triples=0)
        status = 503
    pools = current_app.extensions.get("khyber_query_pools", {})
    pool = pools.get(os.getpid())
    body["query_workers"] = {"pids": pool.pids(), **pool.stats} if pool else {"pids": [], "started": 0}
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/-/settings.json")
def settings_json() -> Response:
    """The settings in force (name -> value), with their documentation."""
    return jsonify({s.name: {"value": current_app.config[s.config_key], "default": s.default,
                             "environment": s.env, "flag": s.cli_flag, "help": s.help} for s in SETTINGS})


@bp.route("/-/workers")
def workers() -> Response:
    """Start this server process's query workers if needed and list them (used by the server's start-up)."""
    pool = get_pool()
    return jsonify({"pid": os.getpid(), "query_workers": pool.pids()})


def _count(store: ox.Store, query: str) -> int:
    rows = list(store.query(query, prefixes=PREFIXES))
    return int(rows[0][0].value) if rows and rows[0][0] is not None else 0


def _triples(store: ox.Store) -> int:
    return _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")


def void_statistics(store: ox.Store) -> dict:
    """VoID figures of the whole KG (computed once per build)."""
    classes = [(row[0].value, int(row[1].value)) for row in store.query(
        "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class FILTER(isIRI(?class)) } "
        "GROUP BY ?class ORDER BY DESC(?n) ?class")]
    return {
        "triples": _triples(store),
        "entities": _count(store, f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o '
                                  f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{RESOURCE_SPACE}")) }}'),
        "distinctSubjects": _count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        "distinctObjects": _count(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
        "properties": _count(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }"),
        "classes": len(classes),
        "class_partitions": classes,
    }


@bp.route("/.well-known/void")
def void() -> Response:
    """The VoID description of the dataset: size, entities, classes, properties, dumps, endpoint."""
    media = negotiate(request.headers.get("Accept"), VOID_OFFERS)
    if media is None:
        return Response("406 Not Acceptable: VoID is available as " + ", ".join(VOID_OFFERS[:-2]) + "\n",
                        status=406, mimetype="text/plain")
    try:
        stats = get_kg().cached("void", void_statistics)
    except StoreError as err:
        return Response(f"503 Service Unavailable: {err}\n", status=503, mimetype="text/plain",
                        headers={"Retry-After": "30"})
    root = request.url_root.rstrip("/")
    n = ox.NamedNode
    dataset = n(root + "/.well-known/void#khyber")
    t = [ox.Triple(dataset, n(PREFIXES["rdf"] + "type"), n(VOID + "Dataset")),
         ox.Triple(dataset, n("http://purl.org/dc/terms/title"), ox.Literal("Khyber", language="en")),
         ox.Triple(dataset, n("http://purl.org/dc/terms/description"),
                   ox.Literal("A knowledge graph of US–Pakistan security relations built from news articles.",
                              language="en")),
         ox.Triple(dataset, n(VOID + "sparqlEndpoint"), n(root + "/sparql")),
         ox.Triple(dataset, n(VOID + "uriSpace"), ox.Literal(RESOURCE_SPACE)),
         ox.Triple(dataset, n(VOID + "vocabulary"), n("https://w3id.org/khyber/ontology")),
         ox.Triple(dataset, n(VOID + "rootResource"), n("https://w3id.org/khyber/ontology"))]
    for key in ("triples", "entities", "classes", "properties", "distinctSubjects", "distinctObjects"):
        t.append(ox.Triple(dataset, n(VOID + key), ox.Literal(str(stats[key]), datatype=XSD_INTEGER)))
    for ext in DUMP_FORMATS:
        t.append(ox.Triple(dataset, n(VOID + "dataDump"), n(f"{root}/dump.{ext}")))
    for index, (cls, count) in enumerate(stats["class_partitions"]):
        part = n(f"{root}/.well-known/void#class-{index}")
        t += [ox.Triple(dataset, n(VOID + "classPartition"), part),
              ox.Triple(part, n(VOID + "class"), n(cls)),
              ox.Triple(part, n(VOID + "entities"), ox.Literal(str(count), datatype=XSD_INTEGER))]
    if media in ("application/json", "text/plain"):
        media = {"application/json": "application/ld+json", "text/plain": "application/n-triples"}[media]
    from .sparql import rdf_response

    return rdf_response(t, media)
