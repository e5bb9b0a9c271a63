"""Serving the app with gunicorn, a production WSGI server (never Flask's development server)."""

from __future__ import annotations

import sys
from pathlib import Path

from gunicorn.app.base import BaseApplication

from loader.store import current_build

from . import create_app


class _Gunicorn(BaseApplication):
    def __init__(self, app, options: dict):
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self):
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        return self._app


def serve(*, store: Path, host: str | None = None, port: int | None = None, workers: int | None = None) -> int:
    """Run the web app on host:port until interrupted; prints the URL to open."""
    overrides = {"STORE": str(store)}
    if host:
        overrides["HOST"] = host
    if port:
        overrides["PORT"] = port
    if workers:
        overrides["WORKERS"] = workers
    app = create_app(overrides)
    cfg = app.config
    if current_build(Path(cfg["STORE"])) is None:
        print(f"khyber serve: no knowledge graph at {cfg['STORE']}; run `khyber build --store {cfg['STORE']}` first",
              file=sys.stderr)
        return 2
    bind = f"{cfg['HOST']}:{cfg['PORT']}"
    print(f"Khyber is serving {cfg['STORE']}: open http://{cfg['HOST']}:{cfg['PORT']}/", flush=True)
    options = {
        "bind": bind,
        "workers": int(cfg["WORKERS"]),
        "worker_class": "sync",
        "timeout": int(float(cfg["QUERY_TIMEOUT_S"])) + 20,
        "accesslog": "-",
        "limit_request_line": 8190,
    }
    _Gunicorn(app, options).run()
    return 0
