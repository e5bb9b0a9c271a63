"""Downloads of the whole KG in every standard RDF syntax."""

from __future__ import annotations

from flask import Blueprint, Response, abort

from loader.formats import DUMP_FORMATS, RDF_FORMATS, dump

from .kg import get_store

bp = Blueprint("dumps", __name__)


@bp.route("/dump.<ext>")
def dump_file(ext: str) -> Response:
    """The whole KG (all graphs, ontology included) as /dump.ttl, .nt, .trig, .nq or .jsonld."""
    if ext not in DUMP_FORMATS:
        abort(404)
    fmt = RDF_FORMATS[ext]
    body = dump_bytes(fmt)
    response = Response(body, mimetype=fmt.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="khyber.{fmt.extension}"'
    return response


def dump_bytes(fmt) -> bytes:
    """The serialized KG in one format."""
    import io

    buffer = io.BytesIO()
    dump(get_store(), fmt, buffer)
    return buffer.getvalue()
