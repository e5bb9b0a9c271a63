"""HTTP load test of `khyber serve` with locust (headless, loopback only, bounded in time).

    python bench/load.py                              # 50 users, 30 s normal mix, then 30 s with hostile queries
    python bench/load.py --duration 15 --json out.json --store var/khyber-store

Starts `khyber serve` on a free loopback port (building data/articles into var/bench/load-store first
when no --store is given), runs bench/locustfile.py against it with 50 concurrent users over the query
page's example queries, dumps and pages, then the same with hostile queries mixed in (SERVICE, FROM
<file:>, updates, deep nesting, catastrophic regex, cartesian ORDER BY, huge VALUES). Meanwhile it samples
the resident memory (RSS) of the server's whole process tree (gunicorn master, WSGI workers and their
query worker processes). Prints per phase: requests, errors, p50/p95/p99 latency, requests per second and
peak RSS; with --json, writes the same figures to a file. Exit status 1 when a phase had errors.

Errors: in the normal phase anything but 200; in the hostile phase connection errors and 5xx other than
503 (400/403/408/413/429/503 are the expected answers to hostile queries and to overload).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"


def khyber_command() -> list[str]:
    """How to run `khyber` here (the console script, or the module)."""
    exe = shutil.which("khyber")
    return [exe] if exe else [sys.executable, "-m", "loader.cli"]


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            with open(f"/proc/{current}/status") as handle:
                total += next((int(line.split()[1]) * 1024 for line in handle if line.startswith("VmRSS:")), 0)
        except OSError:
            continue
    return total


class MemorySampler(threading.Thread):
    """Samples a process tree's RSS every `interval` seconds until stopped."""

    def __init__(self, pid: int, interval: float = 0.5):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples: list[int] = []
        self._stop_event = threading.Event()

    def run(self):
        while not self._stop_event.is_set():
            self.samples.append(tree_rss(self.pid))
            self._stop_event.wait(self.interval)

    def stop(self) -> list[int]:
        """Stop sampling; the samples taken."""
        self._stop_event.set()
        self.join()
        return self.samples


def start_server(store: Path, log: Path, *, workers: int, timeout: float, query_memory_mb: int
                 ) -> tuple[subprocess.Popen, str]:
    """`khyber serve` on a free loopback port, once it answers a query."""
    port = free_port()
    handle = open(log, "a")
    process = subprocess.Popen(
        [*khyber_command(), "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--timeout", str(timeout), "--query-memory-mb", str(query_memory_mb),
         "--access-log", ""],
        stdout=handle, stderr=subprocess.STDOUT, start_new_session=True, cwd=REPO)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=10) as response:
                if response.status == 200:
                    return process, base
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop_server(process)
            raise RuntimeError(f"khyber serve did not start; see {log}")
        time.sleep(0.3)


def stop_server(process: subprocess.Popen) -> None:
    """SIGTERM the server's process group, SIGKILL if it lingers."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_locust(base: str, mix: str, *, users: int, seconds: int, out: Path) -> dict:
    """One headless locust run; returns the aggregated figures and the per-request-name rows."""
    prefix = out / mix
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "-u", str(users),
               "-r", str(users), "-t", f"{seconds}s", "--host", base, "--csv", str(prefix), "--only-summary",
               "--stop-timeout", "10", "--exit-code-on-error", "0", "--loglevel", "WARNING"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=seconds + 120,
                            env={**os.environ, "KHYBER_LOAD_MIX": mix})
    stats_file = Path(f"{prefix}_stats.csv")
    if result.returncode != 0 or not stats_file.exists():
        raise RuntimeError(f"locust failed ({result.returncode}): {result.stderr[-3000:]}")
    with open(stats_file, newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    failures = []
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists():
        with open(failures_file, newline="") as handle:
            failures = [{"name": r["Name"], "error": r["Error"], "count": int(r["Occurrences"])}
                        for r in csv.DictReader(handle)]
    return {
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "p50_ms": float(total["50%"]), "p95_ms": float(total["95%"]), "p99_ms": float(total["99%"]),
        "max_ms": float(total["Max Response Time"]), "rps": float(total["Requests/s"]),
        "failures": failures,
        "by_name": {r["Name"]: {"requests": int(r["Request Count"]), "errors": int(r["Failure Count"]),
                                "p50_ms": float(r["50%"]), "p99_ms": float(r["99%"])}
                    for r in rows if r["Name"] != "Aggregated"},
    }


def default_store() -> Path:
    """var/bench/load-store, built from data/articles when missing."""
    store = REPO / "var" / "bench" / "load-store"
    if not (store / "current").exists():
        print(f"building data/articles into {store} ...", file=sys.stderr)
        result = subprocess.run([*khyber_command(), "build", str(REPO / "data" / "articles"), "--store", str(store),
                                 "--quiet"], cwd=REPO)
        if result.returncode not in (0, 1):
            raise SystemExit("build failed")
    return store


def main(argv: list[str] | None = None) -> int:
    """Run both phases and print (and optionally save) the figures; exit 1 on any error."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=None, help="built store to serve (default: var/bench/load-store)")
    parser.add_argument("--users", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--duration", type=int, default=30, help="seconds per phase (default 30)")
    parser.add_argument("--workers", type=int, default=2, help="WSGI worker processes (default 2)")
    parser.add_argument("--timeout", type=float, default=5.0, help="server query time limit, s (default 5)")
    parser.add_argument("--query-memory-mb", type=int, default=2048,
                        help="address-space limit of each query worker process, MiB (default 2048)")
    parser.add_argument("--phases", default="normal,hostile", help="which mixes to run (default: normal,hostile)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)

    store = args.store or default_store()
    out = Path(tempfile.mkdtemp(prefix="khyber-load-"))
    process, base = start_server(store, out / "serve.log", workers=args.workers, timeout=args.timeout,
                                 query_memory_mb=args.query_memory_mb)
    figures: dict = {"users": args.users, "seconds_per_phase": args.duration, "workers": args.workers,
                     "query_memory_mb": args.query_memory_mb,
                     "idle_rss_mb": round(tree_rss(process.pid) / 2**20, 1), "phases": {}}
    try:
        for mix in args.phases.split(","):
            sampler = MemorySampler(process.pid)
            sampler.start()
            phase = run_locust(base, mix, users=args.users, seconds=args.duration, out=out)
            # queries still running when the clients stop are killed at their deadline: let that happen
            # before reading the memory "after the phase"
            time.sleep(float(args.timeout) + 2)
            samples = sampler.stop()
            phase["peak_rss_mb"] = round(max(samples) / 2**20, 1)
            phase["end_rss_mb"] = round(samples[-1] / 2**20, 1)
            phase["rss_samples"] = len(samples)
            with urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=30) as response:
                phase["answers_after"] = response.status  # the server still answers normally
            figures["phases"][mix] = phase
    finally:
        stop_server(process)
    print(f"load test: {args.users} users, {args.duration} s per phase, {args.workers} WSGI workers, "
          f"idle server RSS {figures['idle_rss_mb']} MB")
    print("| phase | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for mix, p in figures["phases"].items():
        print(f"| {mix} | {p['requests']} | {p['errors']} | {p['rps']:.0f} | {p['p50_ms']:.0f} | {p['p95_ms']:.0f} "
              f"| {p['p99_ms']:.0f} | {p['max_ms']:.0f} | {p['peak_rss_mb']} |")
        for failure in p["failures"][:10]:
            print(f"    error: {failure['name']}: {failure['error']} x{failure['count']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    shutil.rmtree(out, ignore_errors=True)
    return 1 if any(p["errors"] for p in figures["phases"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
