"""Serving the app with gunicorn, a production WSGI server (never Flask's development server)."""

from __future__ import annotations

import sys
from pathlib import Path

from gunicorn.app.base import BaseApplication

from loader.store import current_build

from . import create_app
from .settings import BY_NAME


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


def serve(*, store: Path | None = None, **settings) -> int:
    """Run the web app until interrupted; prints the URL to open. `settings` are names of the settings table."""
    overrides = {BY_NAME[name].config_key: value for name, value in settings.items() if value is not None}
    if store is not None:
        overrides["STORE"] = str(store)
    app = create_app(overrides)
    cfg = app.config
    if current_build(Path(cfg["STORE"])) is None:
        print(f"khyber serve: no knowledge graph at {cfg['STORE']}; run `khyber build --store {cfg['STORE']}` first",
              file=sys.stderr)
        return 2
    print(f"Khyber is serving {cfg['STORE']}: open http://{cfg['HOST']}:{cfg['PORT']}/", flush=True)

    def post_worker_init(worker):
        """Start this server worker's query worker processes before its first request."""
        from .kg import start_pool

        start_pool(app)

    def worker_exit(server, worker):
        """Stop this server worker's query workers with it."""
        pools = app.extensions.get("khyber_query_pools", {})
        for pool in list(pools.values()):
            pool.close()

    options = {
        "bind": f"{cfg['HOST']}:{cfg['PORT']}",
        "workers": int(cfg["WORKERS"]),
        "worker_class": "sync",
        # The query deadline is enforced by killing the query's process; this is only a backstop.
        "timeout": int(float(cfg["QUERY_TIMEOUT_S"])) + 30,
        "graceful_timeout": 10,
        "limit_request_line": 8190,
        "post_worker_init": post_worker_init,
        "worker_exit": worker_exit,
        "errorlog": "-",
        "loglevel": "info",
    }
    if cfg["ACCESS_LOG"]:
        options["accesslog"] = cfg["ACCESS_LOG"]
        options["access_log_format"] = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
    _Gunicorn(app, options).run()
    return 0
