"""Every server setting in one table: name, default, help. CLI flags, env vars and docs come from it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    """One setting: `KHYBER_<NAME>` in the environment, `<NAME>` in app.config."""

    name: str
    default: object
    help: str

    @property
    def config_key(self) -> str:
        """The key in Flask's app.config."""
        return self.name.upper()


SETTINGS = [
    Setting("store", "var/khyber-store", "store directory holding the built KG"),
    Setting("host", "127.0.0.1", "address to listen on"),
    Setting("port", 8000, "port to listen on"),
    Setting("workers", 2, "WSGI worker processes"),
    Setting("query_timeout_s", 10.0, "hard limit on one SPARQL query's run time, in seconds"),
    Setting("max_rows", 10000, "most result rows one SELECT returns"),
    Setting("max_request_bytes", 1_000_000, "largest request body accepted (bytes)"),
]
