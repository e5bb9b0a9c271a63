"""Crash safety with real SIGKILLs: a killed build leaves the previous KG complete and served (issue 6)."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time

import pytest

from loader.store import LIVE_MARKER, current_build

from .conftest import (ARTICLES, dump_lines, http, khyber, khyber_command, serving, sparql_count, stop,
                       write_stories)

pytestmark = pytest.mark.slow


def _article_count(store) -> int:
    result = khyber("query", "--store", str(store), "--format", "csv", ARTICLES)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[-1])


def _store_lines(store) -> list[str]:
    """The live KG as sorted N-Quads, read in-process (what `khyber dump --format nq` prints)."""
    import io

    import pyoxigraph as ox

    from loader.formats import RDF_FORMATS, dump

    buffer = io.BytesIO()
    dump(ox.Store.read_only(str(current_build(store) / "oxigraph")), RDF_FORMATS["nq"], buffer)
    return sorted(line for line in buffer.getvalue().decode("utf-8").splitlines() if line.strip())


def _kill_after(store, folder, delay: float) -> int:
    """Start `khyber build`, SIGKILL it after `delay` seconds; returns its exit status."""
    process = subprocess.Popen([*khyber_command(), "build", str(folder), "--store", str(store), "--jobs", "1",
                                "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    time.sleep(delay)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    status = process.wait()
    try:
        os.killpg(process.pid, signal.SIGKILL)  # any worker left behind by the kill
    except ProcessLookupError:
        pass
    return status


def test_sigkilled_builds_leave_the_previous_kg_and_the_next_build_cleans_up(tmp_path):
    store = tmp_path / "store"
    first = write_stories(tmp_path / "v1", [1])
    assert khyber("build", str(first), "--store", str(store), "--jobs", "1", "--quiet").returncode == 0
    live, before = current_build(store), dump_lines(store)
    assert _article_count(store) == 1

    second = write_stories(tmp_path / "v2", [1, 2])
    # Killed at each named moment: after the copy, mid-way through writing graphs, with the manifest
    # written, with the new link made but not moved. The previous KG stays live, byte for byte.
    for point in ("backup", "graph:1", "manifest", "switch"):
        result = khyber("build", str(second), "--store", str(store), "--jobs", "1", "--quiet",
                        env={"KHYBER_CRASH_AT": point})
        assert result.returncode == -signal.SIGKILL, (point, result.stderr[-2000:])
        assert current_build(store) == live, point
        assert dump_lines(store) == before, point
    # Each build removed the one killed before it; the last one's directory and half-made link remain.
    leftovers = [p for p in (store / "builds").iterdir() if p != live]
    assert len(leftovers) == 1 and not (leftovers[0] / LIVE_MARKER).exists()
    assert list(store.glob(".current-*"))

    # Killed from outside at several moments (the build takes a few seconds: start-up, then the article).
    outcomes = []
    for delay in (0.5, 3.0):
        status = _kill_after(store, second, delay)
        now = current_build(store)
        if now == live:
            assert _store_lines(store) == before, delay
            outcomes.append("previous")
        else:  # it finished before the kill: then the new KG is complete
            assert status == 0 or (now / LIVE_MARKER).exists()
            assert _article_count(store) == 2
            outcomes.append("new")
            break
    assert outcomes[0] == "previous"

    if current_build(store) == live:
        # Killed after the switch, before old builds are pruned: the new KG is live and complete.
        result = khyber("build", str(second), "--store", str(store), "--jobs", "1", "--quiet",
                        env={"KHYBER_CRASH_AT": "live"})
        assert result.returncode == -signal.SIGKILL
        assert current_build(store) != live and _article_count(store) == 2

    # The next build succeeds, finds nothing to do, and removes every killed build's leftovers.
    result = khyber("build", str(second), "--store", str(store), "--jobs", "1")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "loaded 0 articles (2 unchanged" in result.stdout + result.stderr
    builds = list((store / "builds").iterdir())
    assert all((p / LIVE_MARKER).exists() for p in builds) and len(builds) <= 3
    assert not list(store.glob(".current-*"))
    assert _article_count(store) == 2
    after = dump_lines(store)
    # everything but the ontology's blank nodes (minted anew by each build) is still there
    assert {line for line in before if "_:" not in line} < set(after)


def test_server_answers_every_request_during_a_build_and_after_a_restart(tmp_path):
    store = tmp_path / "store"
    first = write_stories(tmp_path / "v1", [1])
    assert khyber("build", str(first), "--store", str(store), "--jobs", "1", "--quiet").returncode == 0
    second = write_stories(tmp_path / "v2", [1, 2, 3])
    log = tmp_path / "serve.log"
    with serving(store, log, "--workers", "2") as (base, _process):
        status, old_count = sparql_count(base)
        assert status == 200
        seen: list[tuple[float, int, int | None]] = []
        errors: list[str] = []
        stop_polling = threading.Event()

        def poll():
            while not stop_polling.is_set():
                try:
                    status, count = sparql_count(base, timeout=30)
                    seen.append((time.monotonic(), status, count))
                except OSError as err:
                    errors.append(repr(err))

        pollers = [threading.Thread(target=poll) for _ in range(2)]
        for thread in pollers:
            thread.start()
        try:
            started = time.monotonic()
            build = khyber("build", str(second), "--store", str(store), "--jobs", "1", "--quiet")
            built = time.monotonic()
            time.sleep(1.0)
        finally:
            stop_polling.set()
            for thread in pollers:
                thread.join()
        assert build.returncode == 0, build.stderr[-2000:]
        status, new_count = sparql_count(base)
        assert status == 200 and new_count > old_count
        during = [s for s in seen if started <= s[0] <= built]
        assert not errors and len(during) >= 10
        assert {s[1] for s in seen} == {200}
        assert {s[2] for s in seen} <= {old_count, new_count}  # never a half-built KG
        assert seen[-1][2] == new_count
        status, dump = http(base, "/dump.nq")
        assert status == 200
        served = sorted(line for line in dump.decode("utf-8").splitlines() if line.strip())

    # A restarted server finds the KG exactly as it was.
    with serving(store, log, "--workers", "2") as (base, _process):
        assert sparql_count(base) == (200, new_count)
        status, dump = http(base, "/dump.nq")
        assert status == 200
        assert sorted(line for line in dump.decode("utf-8").splitlines() if line.strip()) == served
    assert served == dump_lines(store)
