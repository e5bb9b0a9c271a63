"""A short run of the load test (bench/load.py, locust, 50 clients, loopback): no errors, bounded memory."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import REPO

pytestmark = pytest.mark.slow

QUERY_MEMORY_MB = 768
QUERY_WORKERS = 2 * 2  # 2 WSGI workers x 2 query workers each (the server's defaults)


def test_fifty_clients_get_no_errors_and_memory_stays_bounded(built_store, tmp_path):
    out = tmp_path / "load.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "load.py"), "--store", str(built_store), "--users", "50",
         "--duration", "12", "--timeout", "3", "--query-memory-mb", str(QUERY_MEMORY_MB), "--json", str(out)],
        capture_output=True, text=True, timeout=300, cwd=REPO)
    print(result.stdout)
    assert out.exists(), result.stderr[-3000:]
    figures = json.loads(out.read_text())
    normal, hostile = figures["phases"]["normal"], figures["phases"]["hostile"]
    idle = figures["idle_rss_mb"]

    assert normal["errors"] == 0, normal["failures"]
    assert normal["requests"] > 200
    assert {"sparql:posts", "page:/", "page:/query"} <= set(normal["by_name"])
    assert any(name.startswith("dump:") for name in normal["by_name"])
    # ordinary traffic does not grow the server: well under twice its idle size
    assert normal["peak_rss_mb"] < 2 * idle + 200

    assert hostile["errors"] == 0, hostile["failures"]
    assert any(name.startswith("sparql:hostile-") for name in hostile["by_name"])
    # a runaway query is held to its worker's limit, and the memory comes back once it is killed
    assert hostile["peak_rss_mb"] < idle + QUERY_WORKERS * QUERY_MEMORY_MB
    assert hostile["end_rss_mb"] < 2 * idle + 200
    assert normal["answers_after"] == hostile["answers_after"] == 200
    assert result.returncode == 0
