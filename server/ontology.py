"""The ontology in Turtle (its source), RDF/XML for Protégé, JSON-LD and HTML documentation."""

from __future__ import annotations

from flask import Blueprint, Response, abort

from loader.resources import ONTOLOGY_DIR

bp = Blueprint("ontology", __name__)

MEDIA_TYPES = {
    "ttl": "text/turtle",
    "owl": "application/rdf+xml",
    "jsonld": "application/ld+json",
    "html": "text/html",
}


@bp.route("/ontology.<ext>")
def ontology_file(ext: str) -> Response:
    """Serve ontology/khyber.<ext> (the generated artifacts and the Turtle source)."""
    if ext not in MEDIA_TYPES:
        abort(404)
    path = ONTOLOGY_DIR / f"khyber.{ext}"
    if not path.exists():
        abort(404)
    return Response(path.read_bytes(), mimetype=MEDIA_TYPES[ext])
