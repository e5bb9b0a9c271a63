"""Pages for people: the home page and resource pages."""

from __future__ import annotations

from flask import Blueprint, Response, render_template_string

from loader.store import StoreError

from .kg import get_kg

bp = Blueprint("browse", __name__)

HOME = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Khyber</title></head>
<body>
<h1>Khyber</h1>
<p>A knowledge graph of US–Pakistan security relations, built from news articles.</p>
<p>{{ status }}</p>
<ul>
  <li><a href="/sparql">/sparql</a>: SPARQL 1.1 query endpoint (GET ?query= or POST)</li>
  <li>Dumps: {% for ext in dumps %}<a href="/dump.{{ ext }}">/dump.{{ ext }}</a> {% endfor %}</li>
  <li>Ontology: <a href="/ontology.ttl">Turtle</a>, <a href="/ontology.owl">RDF/XML (Protégé)</a>,
      <a href="/ontology.jsonld">JSON-LD</a>, <a href="/ontology.html">documentation</a></li>
</ul>
</body></html>
"""


@bp.route("/")
def home() -> Response:
    """What is here, with links."""
    try:
        store, build = get_kg().get()
        status = f"Live build {build.name}: {len(store)} quads."
    except StoreError as err:
        status = str(err)
    return Response(render_template_string(HOME, status=status, dumps=["ttl", "nt", "trig", "nq", "jsonld"]),
                    mimetype="text/html")
