"""A real `khyber serve` process (gunicorn, query worker processes) on a free port, shared by the server tests."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.processes import stop, wait_until

LIVE_TIMEOUT_S = 3  # the live server's query time limit: short, so runaway tests finish quickly


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def khyber_command() -> list[str]:
    """How to run the `khyber` command here (the console script, or the module)."""
    exe = shutil.which("khyber")
    return [exe] if exe else [sys.executable, "-m", "loader.cli"]


class LiveServer:
    """A running server: its base URL, process and log."""

    def __init__(self, base: str, process: subprocess.Popen, log: Path):
        self.base, self.process, self.log = base, process, log

    def get(self, path: str, headers: dict | None = None, timeout: float = 30):
        """GET a path; returns (status, headers, body) without raising on HTTP errors."""
        return self.request(path, headers=headers, timeout=timeout)

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None,
                timeout: float = 30):
        """Send one request; returns (status, headers, body) without raising on HTTP errors."""
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as err:
            with err:
                return err.code, err.headers, err.read()

    def health(self) -> dict:
        """The parsed /-/health document."""
        return json.loads(self.get("/-/health")[2])


@pytest.fixture(scope="session")
def live_server(built_store, tmp_path_factory):
    """`khyber serve` on the bundled articles, with a short query timeout; stopped at the end of the session."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    handle = open(log, "w")
    process = subprocess.Popen(
        [*khyber_command(), "serve", "--store", str(built_store), "--port", str(port), "--workers", "2",
         "--timeout", str(LIVE_TIMEOUT_S), "--query-workers", "2", "--query-memory-mb", "1024",
         "--cache-dir", str(tmp_path_factory.mktemp("cache"))],
        stdout=handle, stderr=subprocess.STDOUT, start_new_session=True, cwd=str(Path(__file__).parents[2]))
    server = LiveServer(f"http://127.0.0.1:{port}", process, log)
    # Wait until a query is answered: the query workers have started too.
    if not wait_until(lambda: server.get("/sparql?query=ASK%7B%7D", timeout=10)[0] == 200, process):
        stop(process)
        pytest.fail(f"khyber serve did not start: {log.read_text()[-3000:]}")
    yield server
    stop(process)
    handle.close()
