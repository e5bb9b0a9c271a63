"""Khyber's web app: SPARQL endpoint, dumps, ontology and resource pages."""

from __future__ import annotations

from flask import Flask

from .settings import SETTINGS


def create_app(config: dict | None = None) -> Flask:
    """Build the Flask app: settings defaults, then KHYBER_* environment variables, then `config`."""
    app = Flask(__name__)
    app.config.update({s.config_key: s.default for s in SETTINGS})
    app.config.from_prefixed_env("KHYBER")
    if config:
        app.config.update(config)
    from . import browse, dumps, kg, ontology, sparql

    kg.init_app(app)
    for module in (sparql, dumps, ontology, browse):
        app.register_blueprint(module.bp)

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    return app
