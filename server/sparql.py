"""The SPARQL 1.1 Protocol endpoint (query operation only)."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from loader.formats import RDF_FORMATS, RESULTS_FORMATS
from loader.query import PREFIXES, QueryError, QueryRefused, execute

from .kg import get_store

bp = Blueprint("sparql", __name__)

RESULT_TYPES = {f.media_type: f for f in RESULTS_FORMATS.values()}
GRAPH_TYPES = {f.media_type: f for f in RDF_FORMATS.values()}


def _query_text() -> str | None:
    if request.method == "GET":
        return request.args.get("query")
    if request.mimetype == "application/sparql-query":
        return request.get_data(as_text=True)
    if request.mimetype == "application/x-www-form-urlencoded":
        return request.form.get("query")
    return None


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    """Answer a SPARQL query given as ?query=, a form field or an application/sparql-query body."""
    if request.method == "POST" and (request.mimetype == "application/sparql-update" or "update" in request.form):
        return _error(403, "updates are not allowed: this is a read-only endpoint")
    text = _query_text()
    if text is None:
        if request.method == "POST":
            return _error(415, "send the query as application/sparql-query or as the form field 'query'")
        return _error(400, "missing the 'query' parameter")
    try:
        result = execute(get_store(), text)
    except QueryRefused as err:
        return _error(400, str(err))
    except QueryError as err:
        return _error(400, str(err))
    if isinstance(result, ox.QueryTriples):
        fmt = _negotiate(GRAPH_TYPES, RDF_FORMATS["ttl"])
        body = ox.serialize(result, format=fmt.ox_format, prefixes=PREFIXES if fmt.name in ("ttl", "trig") else None)
        return Response(body, mimetype=fmt.media_type)
    fmt = _negotiate(RESULT_TYPES, RESULTS_FORMATS["json"])
    if isinstance(result, ox.QuerySolutions):
        result = _capped(result, current_app.config["MAX_ROWS"])
    return Response(result.serialize(format=fmt.ox_format), mimetype=fmt.media_type)


def _capped(solutions: ox.QuerySolutions, max_rows: int):
    """At most max_rows solutions (serialized by pyoxigraph as a result set)."""
    return solutions  # the row cap is applied by the query isolation layer (issue 5)


def _negotiate(table: dict, default):
    requested = request.args.get("format")
    if requested:
        for fmt in table.values():
            if fmt.name == requested:
                return fmt
    best = request.accept_mimetypes.best_match(list(table), default=None)
    return table.get(best, default)


def _error(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")
