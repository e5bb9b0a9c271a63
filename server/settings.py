"""Every server setting in one table: name, default, help. CLI flags, env vars and docs come from it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    """One setting: `KHYBER_<NAME>` in the environment, `<NAME>` in app.config, `--<name>` (or `flag`) on the CLI."""

    name: str
    default: object
    help: str
    flag: str | None = None

    @property
    def config_key(self) -> str:
        """The key in Flask's app.config."""
        return self.name.upper()

    @property
    def env(self) -> str:
        """The environment variable that sets it."""
        return f"KHYBER_{self.name.upper()}"

    @property
    def cli_flag(self) -> str:
        """The `khyber serve` option that sets it."""
        return self.flag or "--" + self.name.replace("_", "-")

    def coerce(self, value):
        """The value converted to the default's type (environment variables and flags arrive as text)."""
        kind = type(self.default)
        if value is None or isinstance(value, kind):
            return value
        if kind is bool:
            return str(value).strip().lower() in ("1", "true", "yes", "on")
        return kind(value)


SETTINGS = [
    Setting("store", "var/khyber-store", "store directory holding the built KG"),
    Setting("host", "127.0.0.1", "address to listen on"),
    Setting("port", 8000, "port to listen on"),
    Setting("workers", 2, "WSGI worker processes"),
    Setting("query_timeout_s", 10.0, "hard limit on one SPARQL query's run time, in seconds (the query's process "
            "is killed)", flag="--timeout"),
    Setting("max_rows", 10000, "most result rows (or triples) one query returns; more are cut off and the "
            "response says so in X-Khyber-Truncated"),
    Setting("max_request_bytes", 1_000_000, "largest request body accepted (bytes); larger gets 413"),
    Setting("max_query_length", 100_000, "longest query text accepted (characters); longer gets 413"),
    Setting("max_query_nesting", 64, "deepest bracket nesting accepted in a query; deeper gets 400"),
    Setting("query_workers", 2, "query worker processes per WSGI worker (pre-started, reused, killed at the "
            "deadline)"),
    Setting("query_memory_mb", 2048, "address-space limit of one query worker process, in MiB (0 = none)"),
    Setting("cache_dir", "", "folder for generated dump files (default: khyber-cache in the system temp folder)"),
    Setting("access_log", "-", "where the access log goes: '-' for standard output, a file path, or '' for none"),
]

BY_NAME = {s.name: s for s in SETTINGS}


def get(config, name: str):
    """A setting's value from a Flask config (or any mapping), converted to the setting's type."""
    setting = BY_NAME[name]
    return setting.coerce(config.get(setting.config_key, setting.default))
