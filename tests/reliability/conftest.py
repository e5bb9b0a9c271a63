"""Helpers for the reliability tests: the real `khyber` command, a served store, article folders."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.processes import stop  # noqa: F401  (used here and by the reliability tests)

REPO = Path(__file__).resolve().parents[2]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
ARTICLES = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kh:Article }"

STORY = """---
title: Security talks round {n}
date: 2024-05-{day:02d}
url: https://example.org/news/{n}
publisher: Example News
---
ISLAMABAD: Interior Minister Wali Khanzada met US Ambassador Peter Ramsey in Islamabad on Monday for round {n}
of talks on counter-terrorism cooperation. The Tehreek-e-Taliban Pakistan (TTP) was discussed, officials said.
"""


def khyber_command() -> list[str]:
    """How to run the `khyber` command here (the console script, or the module)."""
    exe = shutil.which("khyber")
    return [exe] if exe else [sys.executable, "-m", "loader.cli"]


def khyber(*args: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run `khyber ARGS` to completion; returns the finished process (text output)."""
    return subprocess.run([*khyber_command(), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, cwd=REPO)


def write_stories(folder: Path, numbers) -> Path:
    """One small distinct article file per number (story-N.md)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in numbers:
        (folder / f"story-{n}.md").write_text(STORY.format(n=n, day=n % 28 + 1), encoding="utf-8")
    return folder


def dump_lines(store: Path, fmt: str = "nq") -> list[str]:
    """The whole KG through `khyber dump`, as sorted lines (N-Quads: a canonical form without blank nodes)."""
    result = khyber("dump", "--store", str(store), "--format", fmt)
    assert result.returncode == 0, result.stderr
    return sorted(line for line in result.stdout.splitlines() if line.strip())


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(base: str, path: str, timeout: float = 30) -> tuple[int, bytes]:
    """GET base+path; (status, body) without raising on HTTP errors."""
    try:
        with urllib.request.urlopen(base + path, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, err.read()


def sparql_count(base: str, query: str = COUNT, timeout: float = 30) -> tuple[int, int | None]:
    """(status, the single integer a COUNT query returns) over HTTP."""
    import json

    status, body = http(base, "/sparql?" + urllib.parse.urlencode({"query": query, "format": "json"}), timeout)
    if status != 200:
        return status, None
    return status, int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@contextmanager
def serving(store: Path, log: Path, *extra: str):
    """`khyber serve` on a free port until the block ends; yields (base URL, process)."""
    port = free_port()
    handle = open(log, "a")
    process = subprocess.Popen([*khyber_command(), "serve", "--store", str(store), "--port", str(port), *extra],
                               stdout=handle, stderr=subprocess.STDOUT, start_new_session=True, cwd=REPO)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if http(base, "/sparql?query=ASK%7B%7D", timeout=10)[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"khyber serve did not start: {log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield base, process
    finally:
        stop(process)
        handle.close()


