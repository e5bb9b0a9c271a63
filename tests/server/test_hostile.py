"""Hostile queries against a running server: nothing is fetched, updates are refused, runaways are killed."""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.server.conftest import LIVE_TIMEOUT_S

pytestmark = pytest.mark.slow


class Listener:
    """A tiny TCP server on 127.0.0.1 that records every connection (anything a query might fetch)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.hits.append(conn.recv(4096))
                    conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/turtle\r\n\r\n<urn:a> <urn:b> <urn:c> .\n")
                except OSError:
                    self.hits.append(b"")

    def close(self):
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture()
def listener():
    listening = Listener()
    yield listening
    listening.close()


def hostile_queries(port: int, secret: Path) -> list[tuple[str, str, int]]:
    """(name, query, expected status): each would reach the network or the file system, or change the store."""
    url = f"http://127.0.0.1:{port}/sparql"
    return [
        ("service", f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", 400),
        ("service silent", f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}", 400),
        ("escaped service", f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}", 400),
        ("escaped service, long form", f"SELECT * WHERE {{ \\U00000053\\u0045RVICE <{url}> {{ ?s ?p ?o }} }}", 400),
        ("service after a dot", f"SELECT * WHERE {{ ?s ?p ?o.SERVICE<{url}>{{ ?s ?p ?o }} }}", 400),
        ("service hidden by a quote in a comment",
         f"SELECT * WHERE {{ ?s ?p ?o # it's '''\nSERVICE <{url}> {{ ?s ?p ?o }} # '''\n}}", 400),
        ("service by variable", f"SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}", 400),
        ("from http", f"SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}", 400),
        ("from named http", f"SELECT * FROM NAMED <http://127.0.0.1:{port}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", 400),
        ("from file", f"SELECT * FROM <file://{secret}> WHERE {{ ?s ?p ?o }}", 400),
        ("escaped from", f"SELECT * \\u0046ROM <file://{secret}> WHERE {{ ?s ?p ?o }}", 400),
        ("load", f"LOAD <http://127.0.0.1:{port}/data.ttl>", 403),
        ("insert", "INSERT DATA { <urn:x> <urn:y> <urn:z> }", 403),
        ("delete where", "DELETE WHERE { ?s ?p ?o }", 403),
        ("escaped drop", "\\u0044ROP ALL", 403),
        ("insert with where", "PREFIX x: <urn:x:> INSERT { ?s x:p 1 } WHERE { ?s ?p ?o }", 403),
    ]


def test_hostile_queries_are_refused_and_nothing_is_fetched(live_server, listener, tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_text("<urn:secret> <urn:is> <urn:leaked> .\n")
    for name, query, expected in hostile_queries(listener.port, secret):
        for send in ("get", "post"):
            if send == "get":
                status, _, body = live_server.get("/sparql?query=" + urllib.parse.quote(query))
            else:
                status, _, body = live_server.request("/sparql", data=query.encode(),
                                                      headers={"Content-Type": "application/sparql-query"})
            assert status == expected, (name, send, status, body)
            assert body.strip() and b"Traceback" not in body and b"leaked" not in body, (name, body)
    time.sleep(0.3)
    assert listener.hits == [], "a query reached the network"
    # The store did not change and the server still answers.
    status, _, body = live_server.get("/sparql?query=" + urllib.parse.quote("ASK { <urn:x> ?p ?o }"))
    assert status == 200 and b"false" in body


def _query_workers(session_id: int) -> dict[int, float]:
    """pid -> CPU seconds of the server's query worker processes (found in /proc by session and command line)."""
    workers = {}
    ticks = 100.0
    try:
        import os

        ticks = float(os.sysconf("SC_CLK_TCK"))
    except (ValueError, OSError):
        pass
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if b"server.qworker" not in cmdline:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        # fields[3] is the session id; fields[11], fields[12] are utime and stime (after the pid and name).
        if int(fields[3]) != session_id or fields[0] == "Z":
            continue
        workers[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    return workers


def test_runaway_query_is_killed_and_the_next_query_is_answered(live_server):
    session = live_server.process.pid  # started with start_new_session: its session id is its pid
    before = _query_workers(session)
    assert before, "no query worker processes found"
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # ~10^15 rows: hours
    started = time.monotonic()
    status, headers, body = live_server.request("/sparql", data=runaway.encode(),
                                                 headers={"Content-Type": "application/sparql-query"},
                                                 timeout=LIVE_TIMEOUT_S + 30)
    elapsed = time.monotonic() - started
    assert status == 503 and int(headers["Retry-After"]) > 0, body
    assert b"time limit" in body
    assert LIVE_TIMEOUT_S - 0.5 <= elapsed < LIVE_TIMEOUT_S + 5
    after = _query_workers(session)
    killed = set(before) - set(after)
    assert killed, "the worker that ran the runaway query is still alive"
    # No worker that was there before is burning CPU (replacements, new pids, are busy loading their libraries).
    time.sleep(1.0)
    later = _query_workers(session)
    busy = {pid: later[pid] - after[pid] for pid in later
            if pid in after and pid in before and later[pid] - after[pid] > 0.5}
    assert not busy, f"query workers still burning CPU: {busy}"
    # The next query is answered normally, promptly.
    started = time.monotonic()
    status, _, body = live_server.get("/sparql?query=" + urllib.parse.quote("ASK { ?g a kh:MilitantGroup }"))
    assert status == 200 and b"true" in body and time.monotonic() - started < 5


def test_many_refusals_and_a_runaway_leave_the_server_healthy(live_server):
    health = live_server.health()
    assert health["status"] == "ok" and health["triples"] > 500
    assert live_server.process.poll() is None
