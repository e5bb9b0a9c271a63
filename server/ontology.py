"""The ontology in Turtle (its source), RDF/XML for Protégé, JSON-LD and HTML documentation."""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, abort, redirect, request

from loader.resources import ONTOLOGY_DIR

from .conneg import negotiate

bp = Blueprint("ontology", __name__)

MEDIA_TYPES = {
    "ttl": "text/turtle",
    "owl": "application/rdf+xml",
    "jsonld": "application/ld+json",
    "html": "text/html",
}
OFFERS = ["text/html", "text/turtle", "application/rdf+xml", "application/ld+json", "application/owl+xml"]
_ETAGS: dict[tuple, str] = {}


def _etag(path) -> str:
    """A content hash of the file (cached by size and modification time)."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _ETAGS:
        _ETAGS[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:20]
    return _ETAGS[key]


@bp.route("/ontology.<ext>")
def ontology_file(ext: str) -> Response:
    """Serve ontology/khyber.<ext> (the generated artifacts and the Turtle source), with an ETag."""
    if ext not in MEDIA_TYPES:
        abort(404)
    path = ONTOLOGY_DIR / f"khyber.{ext}"
    if not path.exists():
        abort(404)
    # Small files: read whole (no open file handle to leak), answered conditionally (304 on If-None-Match).
    response = Response(path.read_bytes(), mimetype=MEDIA_TYPES[ext])
    response.set_etag(_etag(path))
    response.last_modified = path.stat().st_mtime
    response.cache_control.no_cache = True
    response.make_conditional(request)
    if ext != "html":
        response.headers["Content-Disposition"] = f'inline; filename="khyber.{ext}"'
    return response


@bp.route("/ontology")
def ontology() -> Response:
    """The ontology by content negotiation: HTML for browsers, RDF for tools (303 to the file)."""
    media = negotiate(request.headers.get("Accept"), OFFERS)
    if media is None:
        return Response("406 Not Acceptable: the ontology is available as " + ", ".join(OFFERS) + "\n",
                        status=406, mimetype="text/plain")
    ext = {"text/html": "html", "text/turtle": "ttl", "application/ld+json": "jsonld"}.get(media, "owl")
    response = redirect(f"/ontology.{ext}", code=303)
    response.headers["Vary"] = "Accept"
    return response
