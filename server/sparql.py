"""The SPARQL 1.1 Protocol endpoint (query operation only), run in isolated worker processes."""

from __future__ import annotations

import math

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from loader.formats import RDF_ALIASES, RDF_FORMATS, RDF_NAMES, RESULTS_ALIASES, RESULTS_FORMATS, RESULTS_NAMES
from loader.query import (PREFIXES, QueryRefused, QueryTooComplex, QueryTooLarge, UpdateRefused,
                          check_query)
from loader.store import StoreError

from .conneg import negotiate
from .isolation import IsolationError, QueryTimeout
from .kg import get_kg, get_pool
from .settings import get as setting

bp = Blueprint("sparql", __name__)

# Media types offered for each kind of result, canonical types first (the first is the default for */*).
RESULT_OFFERS = [f.media_type for f in RESULTS_FORMATS.values()] + list(RESULTS_ALIASES)
GRAPH_OFFERS = [f.media_type for f in RDF_FORMATS.values()] + list(RDF_ALIASES)
DESCRIPTION_OFFERS = ["text/turtle", "text/html", "application/rdf+xml", "application/ld+json",
                      "application/n-triples", "application/trig", "application/n-quads"] + list(RDF_ALIASES)

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


class ProtocolError(Exception):
    """A request the protocol does not allow; answered with `status` and the message."""

    def __init__(self, status: int, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def results_format_for(media_type: str):
    """The SPARQL results format of a negotiated media type (canonical or alias)."""
    for fmt in RESULTS_FORMATS.values():
        if fmt.media_type == media_type:
            return fmt
    return RESULTS_FORMATS[RESULTS_ALIASES[media_type]]


def rdf_format_for(media_type: str):
    """The RDF format of a negotiated media type (canonical or alias)."""
    for fmt in RDF_FORMATS.values():
        if fmt.media_type == media_type:
            return fmt
    return RDF_FORMATS[RDF_ALIASES[media_type]]


def choose_formats() -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """From `format=` or Accept: ((results format name, media type) or None, (RDF format name, media type) or None).

    None means the client accepts no format for that kind of result (a 406 if the query gives that kind).
    """
    requested = request.values.get("format", "").strip().lower()
    if requested:
        results = RESULTS_FORMATS.get(RESULTS_NAMES.get(requested, requested)) or next(
            (f for f in RESULTS_FORMATS.values() if f.media_type == requested), None)
        graph = RDF_FORMATS.get(RDF_NAMES.get(requested, requested)) or next(
            (f for f in RDF_FORMATS.values() if f.media_type == requested), None)
        return ((results.name, results.media_type) if results else None,
                (graph.name, graph.media_type) if graph else None)
    accept = request.headers.get("Accept")
    results_media, graph_media = negotiate(accept, RESULT_OFFERS), negotiate(accept, GRAPH_OFFERS)
    return ((results_format_for(results_media).name, results_media) if results_media else None,
            (rdf_format_for(graph_media).name, graph_media) if graph_media else None)


def _not_acceptable(graph: bool) -> ProtocolError:
    requested = request.values.get("format")
    names = sorted(RDF_FORMATS) if graph else sorted(RESULTS_FORMATS)
    types = [f.media_type for f in (RDF_FORMATS if graph else RESULTS_FORMATS).values()]
    what = "an RDF graph (CONSTRUCT/DESCRIBE)" if graph else "SPARQL results (SELECT/ASK)"
    if requested:
        return ProtocolError(406, f"format={requested} cannot carry {what}; use one of: {', '.join(names)}")
    return ProtocolError(406, f"none of the accepted media types can carry {what}; acceptable: {', '.join(types)}")


def _single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise ProtocolError(400, f"the request has {len(values)} '{name}' parameters; send exactly one")
    return values[0] if values else None


def read_request() -> tuple[str | None, list[str] | None, list[str] | None]:
    """The query text and the protocol's dataset (default-graph-uri, named-graph-uri) of a GET or POST."""
    args = request.args
    if request.method == "POST":
        mimetype = request.mimetype
        if mimetype == "application/sparql-update" or "update" in args:
            raise ProtocolError(403, "updates are not allowed: this is a read-only endpoint")
        if mimetype == "application/x-www-form-urlencoded":
            form = request.form
            if "update" in form:
                raise ProtocolError(403, "updates are not allowed: this is a read-only endpoint")
            if "query" in args:
                raise ProtocolError(400, "send the query either in the URL or in the form, not both")
            query = _single(form.getlist("query"), "query")
            defaults = form.getlist("default-graph-uri") + args.getlist("default-graph-uri")
            named = form.getlist("named-graph-uri") + args.getlist("named-graph-uri")
        elif mimetype == "application/sparql-query":
            charset = request.mimetype_params.get("charset", "utf-8").lower()
            if charset not in ("utf-8", "utf8"):
                raise ProtocolError(400, f"the query must be sent in UTF-8, not {charset}")
            try:
                query = request.get_data(cache=False).decode("utf-8")
            except UnicodeDecodeError as err:
                raise ProtocolError(400, f"the query is not valid UTF-8 (byte {err.start})") from None
            if "query" in args:
                raise ProtocolError(400, "send the query either in the URL or in the body, not both")
            defaults, named = args.getlist("default-graph-uri"), args.getlist("named-graph-uri")
        elif not mimetype:
            raise ProtocolError(415, "a POST needs a Content-Type: application/sparql-query, or "
                                     "application/x-www-form-urlencoded with a 'query' field")
        else:
            raise ProtocolError(415, f"{mimetype} is not a SPARQL query media type: send "
                                     "application/sparql-query, or application/x-www-form-urlencoded with 'query'")
    else:
        if "update" in args:
            raise ProtocolError(403, "updates are not allowed: this is a read-only endpoint")
        query = _single(args.getlist("query"), "query")
        defaults, named = args.getlist("default-graph-uri"), args.getlist("named-graph-uri")
    if not defaults and not named:
        return query, None, None
    for uri in defaults + named:
        if not uri.startswith(("http://", "https://", "urn:")) or any(c in uri for c in "<>\"{}|^`\\ \n"):
            raise ProtocolError(400, f"not a graph IRI: {uri!r}")
    # Graph IRIs only name graphs of the local store: nothing is ever fetched.
    return query, defaults, named or None


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    """Answer a SPARQL query given as ?query=, a form field or an application/sparql-query body."""
    try:
        query, defaults, named = read_request()
        if query is None:
            if request.method == "GET" and not set(request.args) & {"default-graph-uri", "named-graph-uri"}:
                return service_description()
            raise ProtocolError(400, "missing the 'query' parameter")
        return run(query, defaults, named)
    except ProtocolError as err:
        return error(err.status, str(err), err.retry_after)


def run(query: str, defaults: list[str] | None, named: list[str] | None) -> Response:
    """Check a query, run it in a worker process and answer its serialized result."""
    config = current_app.config
    try:
        form = check_query(query, max_length=setting(config, "max_query_length"),
                           max_nesting=setting(config, "max_query_nesting"))
    except QueryTooLarge as err:
        raise ProtocolError(413, str(err)) from None
    except UpdateRefused as err:
        raise ProtocolError(403, str(err)) from None
    except (QueryRefused, QueryTooComplex) as err:
        raise ProtocolError(400, str(err)) from None
    results, graph = choose_formats()
    if form in ("CONSTRUCT", "DESCRIBE") and graph is None or form in ("SELECT", "ASK") and results is None:
        raise _not_acceptable(form in ("CONSTRUCT", "DESCRIBE"))
    try:
        _, build = get_kg().get()
    except StoreError as err:
        raise ProtocolError(503, str(err), retry_after=30) from None
    timeout = setting(config, "query_timeout_s")
    job = {"store": str(build / "oxigraph"), "query": query, "default_graphs": defaults, "named_graphs": named,
           "results_format": results[0] if results else "json", "rdf_format": graph[0] if graph else "ttl",
           "max_rows": setting(config, "max_rows")}
    try:
        answer = get_pool().run(job, timeout=timeout)
    except IsolationError as err:
        current_app.logger.warning("query stopped: %s", err)
        message = f"{err} (limit: {timeout:g} s per query)" if isinstance(err, QueryTimeout) else str(err)
        raise ProtocolError(503, message, retry_after=err.retry_after) from None
    if answer[0] == "error":
        kind, message = answer[1], answer[2]
        status = {"update": 403, "store": 503, "memory": 503}.get(kind, 400)
        raise ProtocolError(status, message, retry_after=30 if status == 503 else None)
    _, kind, fmt_name, body, count, truncated = answer
    chosen = graph if kind == "graph" else results
    if chosen is None:  # the scanner could not tell the form; the engine could
        raise _not_acceptable(kind == "graph")
    media = chosen[1]
    response = Response(body, mimetype=media)
    if media.startswith("text/") or media.endswith(("json", "xml")) or "n-triples" in media:
        response.charset = "utf-8"
    response.headers["Vary"] = "Accept"
    response.headers["X-Khyber-Rows"] = str(count)
    if truncated:
        response.headers["X-Khyber-Truncated"] = f"true; max_rows={setting(config, 'max_rows')}"
    if request.values.get("download"):
        ext = RDF_FORMATS[fmt_name].extension if kind == "graph" else fmt_name
        response.headers["Content-Disposition"] = f'attachment; filename="khyber-results.{ext}"'
    return response


def error(status: int, message: str, retry_after: int | None = None) -> Response:
    """A plain-text error (the parser's message and position for syntax errors; never a stack trace)."""
    response = Response(message.rstrip() + "\n", status=status, mimetype="text/plain")
    if retry_after:
        response.headers["Retry-After"] = str(int(math.ceil(retry_after)))
    return response


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def service_description() -> Response:
    """SPARQL 1.1 Service Description (RDF by content negotiation); browsers asking for HTML get the query page."""
    media = negotiate(request.headers.get("Accept"), DESCRIPTION_OFFERS)
    if media is None:
        return error(406, "the service description is available as: " + ", ".join(DESCRIPTION_OFFERS))
    if media == "text/html":
        from .browse import query_page

        response = query_page()
        response.headers["Vary"] = "Accept"
        return response
    endpoint = _iri(request.url_root.rstrip("/") + "/sparql")
    service, dataset, default = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    t = [ox.Triple(service, RDF_TYPE, _iri(SD + "Service")),
         ox.Triple(service, _iri(SD + "endpoint"), endpoint),
         ox.Triple(service, _iri(SD + "supportedLanguage"), _iri(SD + "SPARQL11Query")),
         ox.Triple(service, _iri(SD + "feature"), _iri(SD + "UnionDefaultGraph")),
         ox.Triple(service, _iri(SD + "defaultDataset"), dataset),
         ox.Triple(dataset, RDF_TYPE, _iri(SD + "Dataset")),
         ox.Triple(dataset, RDF_TYPE, _iri(VOID + "Dataset")),
         ox.Triple(dataset, _iri(SD + "defaultGraph"), default),
         ox.Triple(default, RDF_TYPE, _iri(SD + "Graph")),
         ox.Triple(service, _iri("http://purl.org/dc/terms/description"),
                   ox.Literal("Khyber: a knowledge graph of US–Pakistan security relations built from news "
                              "articles. Read-only; SERVICE, FROM and updates are refused; queries have a time "
                              "limit and a row cap. The default graph is the union of all graphs.", language="en")),
         ox.Triple(dataset, _iri(VOID + "sparqlEndpoint"), endpoint)]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "RDF_XML", "JSON-LD", "TriG"):
        t.append(ox.Triple(service, _iri(SD + "resultFormat"), _iri(FORMATS_NS + name)))
    try:
        store, _ = get_kg().get()
        count = get_kg().cached("triples", len)
        t.append(ox.Triple(default, _iri(VOID + "triples"), ox.Literal(str(count), datatype=_iri(
            "http://www.w3.org/2001/XMLSchema#integer"))))
        for graph in get_kg().cached("graphs", lambda s: sorted(g.value for g in s.named_graphs()
                                                                  if isinstance(g, ox.NamedNode))):
            node = ox.BlankNode()
            t += [ox.Triple(dataset, _iri(SD + "namedGraph"), node),
                  ox.Triple(node, _iri(SD + "name"), _iri(graph))]
    except StoreError:
        pass
    return rdf_response(t, media)


def rdf_response(triples: list, media: str) -> Response:
    """Serialize triples in the negotiated RDF media type."""
    fmt = rdf_format_for(media)
    items = [ox.Quad(x.subject, x.predicate, x.object) for x in triples] if fmt.quads else triples
    prefixes = dict(PREFIXES, sd=SD, void=VOID) if fmt.name in ("ttl", "trig", "rdfxml") else None
    response = Response(ox.serialize(items, format=fmt.ox_format, prefixes=prefixes), mimetype=media)
    response.headers["Vary"] = "Accept"
    return response
