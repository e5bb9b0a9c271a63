"""Khyber against a real SPARQL 1.1 server: Virtuoso open source, started on loopback by this test.

Build into the server through SPARQL Update, read it back through SPARQL Query, rebuild
incrementally, emit N-Quads, and compare with the embedded store built from the same articles.
Skipped (with the reason) when Virtuoso is not installed; CI installs it (.ci/run).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from loader.backends import BackendError, SparqlBackend, run_remote_query
from loader.build import build
from loader.query import QueryError
from loader.store import open_read_only

REPO = Path(__file__).resolve().parents[2]
ARTICLES = sorted((REPO / "data" / "articles").glob("*.txt"))[:2]
KHYBER = "https://w3id.org/khyber/"
pytestmark = pytest.mark.slow

INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxCheckpointRemap = 2000
CheckpointInterval = 0
DirsAllowed = .
ThreadsPerQuery = 1
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """A fresh Virtuoso on loopback ports with a temporary database; its SPARQL endpoint URL."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if server is None or isql is None:
        pytest.skip("Virtuoso is not installed (Debian: apt-get install virtuoso-opensource; .ci/run does)")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql, http = _free_port(), _free_port()
    (folder / "virtuoso.ini").write_text(INI.format(d=folder, sql=sql, http=http))
    log = open(folder / "stdout.log", "w")
    proc = subprocess.Popen([server, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                            cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{http}/sparql"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"}), timeout=5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Virtuoso did not start: {(folder / 'stdout.log').read_text()[-2000:]}")
                time.sleep(0.5)
        # The anonymous SPARQL user may update (a test instance on loopback only).
        subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                       check=True, capture_output=True, timeout=60)
        yield endpoint
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _graphs(backend: SparqlBackend) -> dict[str, set]:
    """Khyber's graphs on the server: graph IRI -> set of (s, p, o) without blank nodes."""
    rows = backend.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    out: dict[str, set] = {}
    for row in rows:
        if row["g"].value.startswith(KHYBER) and not any(isinstance(row[k], ox.BlankNode) for k in "spo"):
            out.setdefault(row["g"].value, set()).add((row["s"], row["p"], row["o"]))
    return out


def _embedded_graphs(store: ox.Store) -> dict[str, set]:
    out: dict[str, set] = {}
    for q in store:
        if isinstance(q.graph_name, ox.DefaultGraph):
            continue  # the embedded store's default graph is the union of its named graphs
        if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.predicate, q.object)):
            out.setdefault(q.graph_name.value, set()).add((q.subject, q.predicate, q.object))
    return out


def test_build_into_virtuoso_matches_the_embedded_store(virtuoso, tmp_path):
    """The same articles built into Virtuoso and into the embedded store give the same graphs.

    (Article graphs are compared through the emitted N-Quads of the same build: extraction may pick
    a different evidence sentence in a second build in the same process, which is not the backend's
    doing.)
    """
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in ARTICLES:
        shutil.copy(path, articles / path.name)
    backend = SparqlBackend(virtuoso)
    remote = build([articles], tmp_path / "remote-reports", jobs=1, backend=backend, emit_nquads=tmp_path / "nq")
    assert remote.exit_code == 0, remote.rejected
    assert len(remote.loaded) >= 2
    local = build([articles], tmp_path / "local", jobs=1)
    assert sorted(local.loaded) == sorted(remote.loaded)
    on_server = _graphs(backend)
    embedded = _embedded_graphs(open_read_only(tmp_path / "local")[0])
    assert set(on_server) == set(embedded)  # same graphs: articles, inferences, ontology, reference
    for name in (n for n in embedded if "/graph/" in n):  # ontology and reference: exactly the same
        assert on_server[name] == embedded[name], name
    # the manifest comes back from the server: one entry per article, with both of its graphs there
    manifest = backend.articles()
    assert len(manifest) == len(remote.loaded)
    for entry in manifest.values():
        assert entry["graph"] in on_server and entry["inferred"] in on_server

    # emitted N-Quads: one file per stored graph, and exactly what the server holds
    emitted: dict[str, set] = {}
    for path in (tmp_path / "nq").glob("*.nq"):
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            if not any(isinstance(t, ox.BlankNode) for t in (quad.subject, quad.predicate, quad.object)):
                emitted.setdefault(quad.graph_name.value, set()).add((quad.subject, quad.predicate, quad.object))
    assert set(emitted) == set(on_server)
    for name, triples in emitted.items():
        assert on_server[name] == triples, name

    # incremental: nothing changed, then one article edited, then one removed with --prune
    again = build([articles], tmp_path / "remote-reports", jobs=1, backend=backend)
    assert again.loaded == [] and len(again.unchanged) == len(remote.loaded)
    first, second = sorted(articles.iterdir())
    first.write_text(first.read_text(encoding="utf-8") + "\nOfficials said talks would continue.\n", encoding="utf-8")
    edited = build([articles], tmp_path / "remote-reports", jobs=1, backend=backend)
    assert edited.replaced == [first.name] or first.name in edited.replaced[0], edited
    assert len(backend.articles()) == len(remote.loaded)
    second.unlink()
    pruned = build([articles], tmp_path / "remote-reports", jobs=1, backend=backend, prune=True)
    assert pruned.removed, pruned
    remaining = _graphs(backend)
    for entry in manifest.values():
        if entry["source_file"].startswith(second.name):
            assert entry["graph"] not in remaining and entry["inferred"] not in remaining


def test_khyber_query_and_dump_read_the_server(virtuoso, tmp_path):
    """`khyber query --sparql-endpoint` prints a table; updates are refused before reaching the server."""
    backend = SparqlBackend(virtuoso)
    out = run_remote_query(backend, "SELECT ?g WHERE { GRAPH ?g { ?g a kh:Article } }")
    assert "rows)" in out
    assert run_remote_query(backend, "ASK { ?s a kh:Article }").strip() == "true"
    assert run_remote_query(backend, "ASK { ?s a kh:NoSuchClass }").strip() == "false"
    assert "kh:Article" in run_remote_query(backend, "CONSTRUCT { ?s a kh:Article } WHERE { ?s a kh:Article }")
    assert run_remote_query(backend, "SELECT ?s WHERE { ?s a kh:Article } LIMIT 1", "csv").startswith("s\r\n")
    with pytest.raises(QueryError):
        run_remote_query(backend, "DROP ALL")
    store = backend.store()
    assert len(store) > 0


def test_unreachable_server_is_a_clear_error():
    """A server that is not there fails with the URL in the message, not a traceback."""
    backend = SparqlBackend(f"http://127.0.0.1:{_free_port()}/sparql")
    with pytest.raises(BackendError, match="127.0.0.1"):
        backend.articles()
