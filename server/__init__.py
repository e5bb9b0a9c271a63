"""Khyber's web app: SPARQL endpoint, dumps, ontology and resource pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .settings import SETTINGS

if TYPE_CHECKING:  # Flask is imported lazily: query worker processes (server.qworker) never need it
    from flask import Flask

# Pages only load their own scripts, styles and data; nothing from other sites.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def create_app(config: dict | None = None) -> "Flask":
    """Build the Flask app: settings defaults, then KHYBER_* environment variables, then `config`."""
    from flask import Flask, Response
    from flask_cors import CORS
    from werkzeug.exceptions import HTTPException

    app = Flask(__name__)
    app.config.update({s.config_key: s.default for s in SETTINGS})
    app.config.from_prefixed_env("KHYBER")
    if config:
        app.config.update(config)
    for s in SETTINGS:  # environment variables and flags arrive as text or JSON: one type per setting
        app.config[s.config_key] = s.coerce(app.config.get(s.config_key))
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_REQUEST_BYTES"]
    app.debug = False
    from . import browse, dumps, kg, meta, ontology, sparql

    kg.init_app(app)
    for module in (sparql, dumps, ontology, browse, meta):
        app.register_blueprint(module.bp)
    # Anyone may read from any origin; nothing here uses cookies or credentials.
    CORS(app, origins="*", send_wildcard=True, methods=["GET", "HEAD", "POST", "OPTIONS"], supports_credentials=False,
         expose_headers=["ETag", "Content-Disposition", "X-Khyber-Truncated", "Retry-After"])

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if response.mimetype == "text/html":
            response.headers.setdefault("Content-Security-Policy", CSP)
        return response

    @app.errorhandler(HTTPException)
    def _http_error(err):
        """Errors as one line of plain text (no HTML page, never a stack trace)."""
        if err.code and err.code < 400:
            return err
        response = Response(f"{err.code} {err.name}: {err.description}\n", status=err.code, mimetype="text/plain")
        for name in ("Allow", "Retry-After"):
            if err.get_response().headers.get(name):
                response.headers[name] = err.get_response().headers[name]
        return response

    @app.errorhandler(Exception)
    def _internal_error(err):
        app.logger.exception("internal error")
        return Response("500 Internal Server Error: the error was logged\n", status=500, mimetype="text/plain")

    return app
