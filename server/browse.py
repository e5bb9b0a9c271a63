"""Pages for people: the home page, the query page and a page for every resource IRI (/id/...)."""

from __future__ import annotations

import json
from collections import OrderedDict

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, request

from loader.formats import RDF_FORMATS
from loader.query import PREFIXES
from loader.store import StoreError

from .conneg import negotiate
from .examples import EXAMPLES
from .kg import get_kg

bp = Blueprint("browse", __name__)

BASE = "https://w3id.org/khyber/"
ID_SPACE = BASE + "id/"
ONTOLOGY_NS = PREFIXES["kh"]
RDFS_LABEL = PREFIXES["rdfs"] + "label"
RDF_TYPE = PREFIXES["rdf"] + "type"
EVIDENCE = ONTOLOGY_NS + "evidence"
DUMP_EXTENSIONS = ["ttl", "nt", "trig", "nq", "jsonld"]
# /id/... suffixes that ask for RDF, and the media types a client may ask for instead.
SUFFIXES = {"ttl": "ttl", "nt": "nt", "jsonld": "jsonld", "rdf": "rdfxml", "trig": "trig", "nq": "nq"}
RESOURCE_OFFERS = ["text/html", "application/xhtml+xml"] + [f.media_type for f in RDF_FORMATS.values()]
INBOUND_LIMIT = 500
OUTBOUND_LIMIT = 2000

# The resource pages' queries: the resource is always bound through `substitutions` (?this), never formatted in.
OUTBOUND = f"""
SELECT ?this ?p ?o (SAMPLE(?l) AS ?label) WHERE {{
  ?this ?p ?o .
  OPTIONAL {{ ?o <{RDFS_LABEL}> ?l }}
}} GROUP BY ?this ?p ?o ORDER BY ?p ?o LIMIT {OUTBOUND_LIMIT}"""
INBOUND = f"""
SELECT ?this ?s ?p (SAMPLE(?l) AS ?label) WHERE {{
  ?s ?p ?this .
  OPTIONAL {{ ?s <{RDFS_LABEL}> ?l }}
}} GROUP BY ?this ?s ?p ORDER BY ?p ?s LIMIT {INBOUND_LIMIT + 1}"""
# Two queries, not one UNION with BIND(?this AS ?fact): a substituted variable is not bound inside BIND.
OWN_EVIDENCE = f"""
SELECT DISTINCT ?this ?sentence ?article ?title WHERE {{
  GRAPH ?article {{ ?this <{EVIDENCE}> ?sentence }}
  OPTIONAL {{ ?article <http://purl.org/dc/terms/title> ?title }}
}} ORDER BY ?article ?sentence LIMIT 300"""
LINKED_EVIDENCE = f"""
SELECT DISTINCT ?this ?fact ?factLabel ?sentence ?article ?title WHERE {{
  ?fact ?link ?this .
  GRAPH ?article {{ ?fact <{EVIDENCE}> ?sentence }}
  OPTIONAL {{ ?fact <{RDFS_LABEL}> ?factLabel }}
  OPTIONAL {{ ?article <http://purl.org/dc/terms/title> ?title }}
}} ORDER BY ?article ?fact LIMIT 300"""
DESCRIBE = """
CONSTRUCT { ?this ?p ?o . ?s ?q ?this } WHERE { { ?this ?p ?o } UNION { ?s ?q ?this } }"""
LABEL = f"SELECT ?this ?label WHERE {{ ?this <{RDFS_LABEL}> ?label }} LIMIT 1"


def resource_query(store: ox.Store, query: str, iri: str):
    """Run one of the page queries with the resource bound to ?this (pyoxigraph substitutions: no string building)."""
    return store.query(query,
                       substitutions={ox.Variable("this"): ox.NamedNode(iri)})


def link(term) -> dict:
    """How a term is shown on a page: text, optional link (local for our IRIs) and a note (language or datatype)."""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        return {"text": compact(iri), "href": local_href(iri), "iri": iri, "note": ""}
    if isinstance(term, ox.Literal):
        note = f"@{term.language}" if term.language else (
            "" if term.datatype.value.endswith("#string") else compact(term.datatype.value))
        return {"text": term.value, "href": None, "iri": None, "note": note}
    if isinstance(term, ox.BlankNode):
        return {"text": f"_:{term.value}", "href": None, "iri": None, "note": ""}
    return {"text": str(term), "href": None, "iri": None, "note": ""}


def compact(iri: str) -> str:
    """kh:Term for IRIs under a known prefix, kind/slug for resources, else the IRI."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    if iri.startswith(ID_SPACE):
        return iri[len(ID_SPACE):]
    return iri


def local_href(iri: str) -> str | None:
    """Where a browser should go for an IRI: /id/... for resources, the ontology page for terms."""
    if iri.startswith(ID_SPACE):
        return "/id/" + iri[len(ID_SPACE):]
    if iri.startswith(ONTOLOGY_NS):
        return "/ontology.html#" + iri[len(ONTOLOGY_NS):]
    if iri.startswith(("http://", "https://")):
        return iri
    return None


@bp.route("/")
def home() -> Response:
    """What is here, with links, and a few resources of each main class to start browsing from."""
    classes = []
    try:
        store, build = get_kg().get()
        status = f"Live build {build.name}: {get_kg().cached('quads', len)} quads."
        classes = get_kg().cached("home", _home_classes)
    except StoreError as err:
        status = str(err)
    return Response(render_template("home.html", status=status, dumps=DUMP_EXTENSIONS, classes=classes),
                    mimetype="text/html")


def _home_classes(store: ox.Store) -> list[dict]:
    out = []
    for name in ("State", "Person", "Position", "MilitantGroup", "Meeting", "Visit", "Attack", "Designation",
                 "Agreement", "Claim", "Article"):
        rows = list(store.query(
            f"SELECT ?s (SAMPLE(?l) AS ?label) WHERE {{ ?s a <{ONTOLOGY_NS}{name}> OPTIONAL {{ ?s <{RDFS_LABEL}> ?l }} "
            "} GROUP BY ?s ORDER BY ?s"))
        if rows:
            examples = [{"href": local_href(r["s"].value) or "#",
                         "label": r["label"].value if r["label"] else compact(r["s"].value)} for r in rows[:5]]
            out.append({"label": name, "count": len(rows), "examples": examples})
    return out


def query_page() -> Response:
    """The query page: an editor with the prefixes and example queries, a results table and downloads."""
    initial = request.args.get("query") or EXAMPLES[0].query
    examples = [{"key": e.key, "title": e.title, "query": e.query} for e in EXAMPLES]
    body = render_template("query.html", examples=EXAMPLES, initial=initial, prefixes=PREFIXES,
                           examples_json=_script_json(examples), prefixes_json=_script_json(PREFIXES))
    return Response(body, mimetype="text/html")


def _script_json(value) -> str:
    """JSON safe inside a <script type="application/json"> element (no </script>, no HTML comment openers)."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@bp.route("/query")
def query_alias() -> Response:
    """The query page at a memorable address."""
    return query_page()


@bp.route("/id/<path:rest>")
def resource(rest: str) -> Response:
    """A resource: HTML for browsers, RDF by content negotiation or by suffix (.ttl, .nt, .jsonld, .rdf)."""
    stem, dot, suffix = rest.rpartition(".")
    fmt = None
    if dot and suffix in SUFFIXES and "/" in stem:
        rest, fmt = stem, RDF_FORMATS[SUFFIXES[suffix]]
    iri = ID_SPACE + rest
    try:
        ox.NamedNode(iri)
    except ValueError:
        abort(404, description="not a resource IRI")
    try:
        store, _ = get_kg().get()
    except StoreError as err:
        return Response(f"503 Service Unavailable: {err}\n", status=503, mimetype="text/plain",
                        headers={"Retry-After": "30"})
    if fmt is None:
        media = negotiate(request.headers.get("Accept"), RESOURCE_OFFERS)
        if media is None:
            return Response("406 Not Acceptable: resources are available as " + ", ".join(RESOURCE_OFFERS) + "\n",
                            status=406, mimetype="text/plain")
        if media not in ("text/html", "application/xhtml+xml"):
            fmt = next(f for f in RDF_FORMATS.values() if f.media_type == media)
    triples = list(resource_query(store, DESCRIBE, iri))
    if not triples:
        abort(404, description=f"no resource {iri} in the knowledge graph")
    if fmt is not None:
        items = [ox.Quad(t.subject, t.predicate, t.object) for t in triples] if fmt.quads else triples
        prefixes = PREFIXES if fmt.name in ("ttl", "trig", "rdfxml") else None
        response = Response(ox.serialize(items, format=fmt.ox_format, prefixes=prefixes), mimetype=fmt.media_type)
    else:
        response = Response(render_template("resource.html", **resource_page(store, iri, rest)), mimetype="text/html")
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = ", ".join(f'</id/{rest}.{ext}>; rel="alternate"; type="{RDF_FORMATS[name].media_type}"'
                                         for ext, name in SUFFIXES.items())
    return response


def _rows(solutions, names) -> list[dict]:
    return [{n: row[n] for n in names} for row in solutions]


def resource_page(store: ox.Store, iri: str, rest: str) -> dict:
    """What the resource page shows: label, types, properties, evidence with its article, inbound links."""
    properties: OrderedDict[str, dict] = OrderedDict()
    label, types = None, []
    for row in resource_query(store, OUTBOUND, iri):
        p, o = row["p"].value, row["o"]
        value = link(o)
        if row["label"] is not None and isinstance(o, ox.NamedNode):
            value["text"] = row["label"].value
        if p == RDFS_LABEL and label is None and isinstance(o, ox.Literal):
            label = o.value
        if p == RDF_TYPE:
            types.append(value)
            continue
        properties.setdefault(p, {"predicate": link(row["p"]), "values": []})["values"].append(value)
    inbound = []
    for row in resource_query(store, INBOUND, iri):
        subject = link(row["s"])
        if row["label"] is not None:
            subject["text"] = row["label"].value
        inbound.append({"subject": subject, "predicate": link(row["p"])})
    evidence = []
    this = {"text": label or compact(iri), "href": local_href(iri)}
    rows = [dict(r, fact=None) for r in _rows(resource_query(store, OWN_EVIDENCE, iri), ("sentence", "article", "title"))]
    rows += _rows(resource_query(store, LINKED_EVIDENCE, iri), ("fact", "factLabel", "sentence", "article", "title"))
    for row in rows:
        fact = dict(this) if row["fact"] is None else link(row["fact"])
        if row.get("factLabel") is not None:
            fact["text"] = row["factLabel"].value
        article = link(row["article"]) if isinstance(row["article"], ox.NamedNode) else None
        if article and row["title"] is not None:
            article["text"] = row["title"].value
        evidence.append({"fact": fact, "sentence": row["sentence"].value, "article": article})
    alternates = [{"name": name, "href": f"/id/{rest}.{ext}", "media": RDF_FORMATS[SUFFIXES[ext]].media_type}
                  for ext, name in (("ttl", "Turtle"), ("nt", "N-Triples"), ("jsonld", "JSON-LD"), ("rdf", "RDF/XML"))]
    return {"iri": iri, "label": label or compact(iri), "types": types, "properties": list(properties.values()),
            "inbound": inbound[:INBOUND_LIMIT], "inbound_capped": len(inbound) > INBOUND_LIMIT,
            "evidence": evidence, "alternates": alternates}
