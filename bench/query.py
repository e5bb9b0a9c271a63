"""Query latency, HTTP throughput, dumps and server memory at several KG sizes, in one run.

    python bench/query.py                          # 10k, 100k and 1M triples
    python bench/query.py --sizes 10000,100000 --rdflib-max 100000 --rdflib-timeout 30

For each synthetic KG (bench/generate.py, cached under var/bench/): the query page's example queries
(server/examples.py) timed three ways, p50 and p95 of repeated runs:
  * through the HTTP endpoint of `khyber serve` (started here, loopback, default settings),
  * on raw pyoxigraph (the same store opened read-only in this process; results consumed up to the
    endpoint's row limit and serialized as SPARQL JSON, as the endpoint does),
  * on rdflib's own engine (in-memory Dataset in a child process, each query capped at
    --rdflib-timeout seconds and reported as "> N s" when cut off);
then ratios, HTTP throughput with 16 and 50 concurrent clients (wrk, bounded in time), `khyber dump`
time and size, the server's RSS, and cold start times. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
import pyoxigraph as ox

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
from generate import load_kg_store, write_kg  # noqa: E402

from loader.query import PREFIXES  # noqa: E402
from server.examples import EXAMPLES, Example  # noqa: E402

MAX_ROWS = 10000  # the endpoint's default max_rows: raw runs consume as many rows
JOIN_QUERIES = {"posts", "posts-dedup", "meetings", "article", "designations"}
# The "posts" example joins triples repeated in every article graph that mentions a person or post
# (the union default graph keeps the repeats), so its intermediate results grow with the square of the
# mentions. The same answer, joining de-duplicated sub-selects instead:
POSTS_DEDUP = Example("posts-dedup", "Who holds which post (de-duplicated joins)", """\
SELECT ?person ?name ?position ?post ?of WHERE {
  { SELECT DISTINCT ?person ?position WHERE { ?person kh:holdsPosition ?position } }
  { SELECT DISTINCT ?person ?name WHERE { ?person rdfs:label ?name } }
  { SELECT DISTINCT ?position ?post WHERE { ?position rdfs:label ?post } }
  OPTIONAL { SELECT DISTINCT ?position ?of WHERE { ?position kh:positionOf/rdfs:label ?of } }
}
ORDER BY ?post ?name""")


def _label(size: int) -> str:
    return f"{size // 1_000_000}M" if size >= 1_000_000 else f"{size // 1000}k"


def prepare(size: int, work: Path) -> tuple[Path, Path]:
    """The N-Quads file and the Khyber store for one size (generated once)."""
    nq = work / f"kg-{_label(size)}.nq"
    store = work / f"store-kg-{_label(size)}"
    if not (work / f"kg-{_label(size)}.complete").exists():
        shutil.rmtree(store, ignore_errors=True)
        write_kg(size, nq)
        load_kg_store(nq, store)
        (work / f"kg-{_label(size)}.complete").write_text("")
    return nq, store


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def repeat(run, *, budget_s: float, least: int = 5, most: int = 50, warm: bool = True) -> list[float]:
    """Time `run` (after a warm-up run) until the time budget or `most` runs; at least `least` unless slow."""
    if warm:
        run()
    samples: list[float] = []
    spent = 0.0
    while len(samples) < most and (len(samples) < least or spent < budget_s):
        started = time.perf_counter()
        run()
        took = time.perf_counter() - started
        samples.append(took)
        spent += took
        if spent > budget_s and took > budget_s / least:
            break  # a slow query: a few runs say enough
    return samples


def raw_runner(store: ox.Store, text: str):
    """A function running one query on raw pyoxigraph, consuming and serializing its results."""

    def run():
        result = store.query(text, prefixes=PREFIXES)
        if isinstance(result, ox.QuerySolutions):
            rows = []
            for row in result:
                rows.append(row)
                if len(rows) >= MAX_ROWS:
                    break
            out = {"head": {"vars": [v.value for v in result.variables]},
                   "results": {"bindings": [{v.value: _json_term(row[v]) for v in result.variables if row[v] is not None}
                                            for row in rows]}}
            return json.dumps(out)
        return bool(result)
    return run


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


class ServerTimeout(Exception):
    """The endpoint stopped the query at its time limit (503)."""


def http_runner(base: str, text: str):
    """A function running one query through the endpoint (GET, SPARQL JSON results)."""
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": text})

    def run():
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.read()
        except urllib.error.HTTPError as err:
            if err.code == 503:
                raise ServerTimeout(err.read().decode()) from None
            raise
    return run


def http_samples(base: str, text: str, *, budget: float) -> list[float] | None:
    """Timed runs through the endpoint, or None when the server stopped the query at its limit."""
    try:
        return repeat(http_runner(base, text), budget_s=budget)
    except ServerTimeout:
        return None


# ------------------------------------------------------------------------------------------
# engines in child processes that can be killed when a query runs too long (neither rdflib nor
# pyoxigraph can be interrupted from Python)

def _engine_worker(kind: str, paths: list[str], conn) -> None:
    if kind == "rdflib":
        import rdflib
        from rdflib.plugins import sparql

        sparql.SPARQL_LOAD_GRAPHS = False
        started = time.perf_counter()
        dataset = rdflib.Dataset(default_union=True)
        for path in paths:
            dataset.parse(path, format="nquads" if path.endswith(".nq") else "nt")

        def runner(text):
            def run():
                result = dataset.query(text, initNs=PREFIXES)
                return sum(1 for _ in result) if result.type == "SELECT" else 1
            return run
    else:
        started = time.perf_counter()
        from loader.store import open_read_only

        store, _build = open_read_only(Path(paths[0]))

        def runner(text):
            return raw_runner(store, text)
    conn.send(("loaded", time.perf_counter() - started))
    while True:
        message = conn.recv()
        if message is None:
            return
        text, budget = message
        run = runner(text)
        started = time.perf_counter()
        try:
            run()  # warm-up (and the one timed run when the budget is 0)
        except Exception as err:  # noqa: BLE001 - an engine's failure is a result to report
            conn.send(("error", f"error: {type(err).__name__}"))
            continue
        first = time.perf_counter() - started
        conn.send(("warm", first))
        conn.send(("samples", repeat(run, budget_s=budget, warm=False) if budget else [first]))


class Engine:
    """One engine (rdflib's or raw pyoxigraph) in a child process; a query over the cap is killed."""

    def __init__(self, kind: str, paths: list[Path], *, cap: float, load_timeout: float = 180.0):
        self.kind, self.paths = kind, [str(p) for p in paths]
        self.cap, self.load_timeout = cap, load_timeout
        self.proc = None
        self.load_seconds: float | None = None

    def _start(self) -> bool:
        ctx = mp.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_engine_worker, args=(self.kind, self.paths, child), daemon=True)
        self.proc.start()
        if not self.conn.poll(self.load_timeout):
            self.stop()
            return False
        _tag, self.load_seconds = self.conn.recv()
        return True

    def samples(self, text: str, *, budget: float) -> list[float] | str | None:
        """Timed runs of the query (one when budget is 0), None when a run passed the cap, or an error."""
        if self.proc is None and not self._start():
            return None
        self.conn.send((text, budget))
        if not self.conn.poll(self.cap):
            self.stop()  # restarted (and reloaded) for the next query
            return None
        tag, first = self.conn.recv()
        if tag == "error":
            return first
        if not self.conn.poll(budget + 2 * self.cap + 10):
            self.stop()
            return None
        return self.conn.recv()[1]

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.join()
            self.proc = None


# ------------------------------------------------------------------------------------------
# the server

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`khyber serve` on a free loopback port, stopped with the benchmark."""

    def __init__(self, store: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, KHYBER_ACCESS_LOG="")
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "loader.cli", "serve", "--store", str(store), "--port", str(self.port)],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        ask = http_runner(self.base, "ASK { ?s ?p ?o }")
        deadline = time.monotonic() + 60
        while True:
            try:
                ask()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("khyber serve did not start") from None
                time.sleep(0.05)
        self.cold_start = time.perf_counter() - started

    def rss_mb(self) -> tuple[float, float]:
        """RSS of the server's process tree: the sum, and the largest process, in MiB."""
        parent = psutil.Process(self.proc.pid)
        rss = [p.memory_info().rss for p in [parent, *parent.children(recursive=True)]]
        return sum(rss) / 2**20, max(rss) / 2**20

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.proc.pid, signal.SIGKILL)


def wrk(url: str, connections: int, seconds: int) -> dict:
    """Requests/s and latency percentiles from wrk (Debian package `wrk`)."""
    exe = shutil.which("wrk")
    if exe is None:
        return {"error": "wrk not installed (apt-get install wrk)"}
    out = subprocess.run([exe, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s",
                          "-H", "Accept: application/sparql-results+json", url],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    result = {"raw": out}
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            result["rps"] = float(parts[1])
        elif parts[:1] in (["50%"], ["99%"]):
            result[parts[0]] = parts[1]
        elif "Non-2xx" in line:
            result["non2xx"] = int(parts[-1])
        elif "requests in" in line:
            result["requests"] = int(parts[0])
        elif line.strip().startswith("Socket errors"):
            result["socket_errors"] = line.strip()
    return result


def cold_open(store: Path) -> float:
    """Seconds for a fresh process to open the live build read-only and answer a first query."""
    code = ("import time,sys; t=time.perf_counter(); from loader.store import open_read_only; "
            "s,_=open_read_only(sys.argv[1]); bool(s.query('ASK { ?s ?p ?o }')); print(time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code, str(store)], cwd=REPO, capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def dump(store: Path, fmt: str, work: Path) -> tuple[float, int]:
    """`khyber dump` time and output size."""
    target = work / f"dump.{fmt}"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "loader.cli", "dump", "--store", str(store), "--format", fmt,
                    "--output", str(target)], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    size = target.stat().st_size
    target.unlink()
    return seconds, size


def main(argv: list[str] | None = None) -> int:
    """Run the query benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--work", type=Path, default=REPO / "var" / "bench")
    parser.add_argument("--budget", type=float, default=5.0, help="seconds of repeated runs per query and engine")
    parser.add_argument("--rdflib-max", type=int, default=100000, help="largest KG to try rdflib's engine on")
    parser.add_argument("--rdflib-timeout", type=float, default=30.0, help="cap on one rdflib query, seconds")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="cap on one raw pyoxigraph query, seconds (the endpoint's default limit)")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--queries", default=",".join([*(e.key for e in EXAMPLES), POSTS_DEDUP.key]))
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    examples = [e for e in [*EXAMPLES, POSTS_DEDUP] if e.key in args.queries.split(",")]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    latency, throughput, dumps, memory, starts = [], [], [], [], []
    for size in sizes:
        t = time.perf_counter()
        nq, store_dir = prepare(size, args.work)
        print(f"[{_label(size)}] KG ready ({time.perf_counter() - t:.0f} s)", file=sys.stderr)
        starts.append((size, "open store read-only + first query (fresh process)", cold_open(store_dir)))
        server = Server(store_dir)
        starts.append((size, "`khyber serve` launch to first answer", server.cold_start))
        from loader.store import open_read_only

        probe, _build = open_read_only(store_dir)
        triples = len(probe)
        del probe
        raw = Engine("oxigraph", [store_dir], cap=args.timeout)
        rdf = None
        if size <= args.rdflib_max:
            extra = args.work / "ontology-reference.nt"
            if not extra.exists():
                from loader.resources import ontology_graph, reference_graph
                extra.write_bytes((ontology_graph() + reference_graph()).serialize(format="nt", encoding="utf-8"))
            rdf = Engine("rdflib", [nq, extra], cap=args.rdflib_timeout)
        try:
            for example in examples:
                raw_s = raw.samples(example.query, budget=args.budget)
                raw_s = None if isinstance(raw_s, str) else raw_s
                http_s = http_samples(server.base, example.query, budget=args.budget)
                rdflib_s = rdf.samples(example.query, budget=0) if rdf else "not run"
                latency.append((size, triples, example.key, http_s and percentiles(http_s),
                                raw_s and percentiles(raw_s), rdflib_s[0] if isinstance(rdflib_s, list) else rdflib_s))
                print(f"[{_label(size)}] {example.key}: http {latency[-1][3]}, raw {latency[-1][4]}, "
                      f"rdflib {latency[-1][5]}", file=sys.stderr)
            for clients in (16, 50):
                for key in ("groups", "article"):  # cheap page queries (a 10 s query would only measure the limit)
                    text = next(e.query for e in EXAMPLES if e.key == key)
                    url = f"{server.base}/sparql?" + urllib.parse.urlencode({"query": text})
                    throughput.append((size, key, clients, wrk(url, clients, args.wrk_seconds)))
            memory.append((size, triples, *server.rss_mb()))
        finally:
            server.stop()
            raw.stop()
            if rdf:
                rdf.stop()
        for fmt in ("nt", "ttl", "nq"):
            dumps.append((size, triples, fmt, *dump(store_dir, fmt, args.work)))
    _print(latency, throughput, dumps, memory, starts, args)
    return 0


def _ms(value) -> str:
    return f"{value:.1f}"


def _print(latency, throughput, dumps, memory, starts, args) -> None:
    print("\n### Query latency (ms; p50 / p95)\n")
    print("| KG | query | endpoint p50 | endpoint p95 | pyoxigraph p50 | pyoxigraph p95 | endpoint ÷ pyoxigraph (p50) "
          "| rdflib engine (one run) | rdflib ÷ endpoint |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size, triples, key, http, raw, rdflib_s in latency:
        base = http[0] if http else None
        if rdflib_s is None:
            rd = f"> {args.rdflib_timeout:.0f} s"
            ratio = f"> {args.rdflib_timeout * 1000 / base:,.0f}×" if base else ""
        elif isinstance(rdflib_s, str):
            rd, ratio = rdflib_s, ""
        else:
            rd, ratio = f"{rdflib_s * 1000:,.0f} ms", (f"{rdflib_s * 1000 / base:,.0f}×" if base else "")
        join = " (join)" if key in JOIN_QUERIES else ""
        h50, h95 = (_ms(http[0]), _ms(http[1])) if http else (f"> {args.timeout:.0f} s (limit)", "")
        r50, r95 = (_ms(raw[0]), _ms(raw[1])) if raw else (f"> {args.timeout:.0f} s", "")
        ratio_raw = f"{http[0] / raw[0]:.2f}×" if http and raw else ""
        print(f"| {_label(size)} ({triples:,} quads) | {key}{join} | {h50} | {h95} | {r50} | {r95} | {ratio_raw} | "
              f"{rd} | {ratio} |")
    print("\n### HTTP throughput (wrk, loopback, "
          f"{args.wrk_seconds} s each)\n")
    print("| KG | query | clients | requests/s | latency p50 | latency p99 | requests | non-2xx | errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size, key, clients, r in throughput:
        if "error" in r:
            print(f"| {_label(size)} | {key} | {clients} | {r['error']} | | | | | |")
            continue
        print(f"| {_label(size)} | {key} | {clients} | {r.get('rps', 0):,.0f} | {r.get('50%', '')} | {r.get('99%', '')} | "
              f"{r.get('requests', '')} | {r.get('non2xx', 0)} | {r.get('socket_errors', '')} |")
    print("\n### Dumps (`khyber dump --output`)\n")
    print("| KG | format | seconds | size (MB) |")
    print("|---|---|---|---|")
    for size, triples, fmt, seconds, nbytes in dumps:
        print(f"| {_label(size)} ({triples:,} quads) | {fmt} | {seconds:.1f} | {nbytes / 2**20:.0f} |")
    print("\n### Server memory (after the runs above) and cold start\n")
    print("| KG | server RSS, all processes (MiB) | largest process (MiB) |")
    print("|---|---|---|")
    for size, triples, total, largest in memory:
        print(f"| {_label(size)} ({triples:,} quads) | {total:.0f} | {largest:.0f} |")
    print("\n| KG | what | seconds |")
    print("|---|---|---|")
    for size, what, seconds in starts:
        print(f"| {_label(size)} | {what} | {seconds:.2f} |")


if __name__ == "__main__":
    sys.exit(main())
