"""Build throughput: articles per second and peak memory of `khyber build`, at several sizes.

    python bench/build.py                      # 100 and 1,000 synthetic articles
    python bench/build.py --sizes 100,1000,10000 --jobs 2

For each size: a fresh full build (articles/s overall and after start-up, peak memory of the whole
process tree), then a rebuild with nothing changed and one with 1 % of the files changed
(incremental), and for the smallest size the same full build on one core (does it scale?).
Articles come from bench/generate.py (cached under var/bench/). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from generate import write_articles  # noqa: E402


def run_build(paths: list[Path], store: Path, *, jobs: int) -> dict:
    """Run `khyber build` in a child process; wall time, peak RSS (tree sum and largest process), report."""
    cmd = [sys.executable, "-m", "loader.cli", "build", *map(str, paths), "--store", str(store), "--jobs", str(jobs), "--quiet"]
    started = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = {"tree": 0, "largest": 0}
    done = threading.Event()

    def sample():
        parent = psutil.Process(child.pid)
        while not done.is_set():
            try:
                procs = [parent, *parent.children(recursive=True)]
                rss = [p.memory_info().rss for p in procs]
            except psutil.Error:
                rss = [0]
            peak["tree"] = max(peak["tree"], sum(rss))
            peak["largest"] = max(peak["largest"], max(rss))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _out, err = child.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if child.returncode not in (0, 1):
        raise RuntimeError(f"build failed ({child.returncode}): {err.decode()[-2000:]}")
    report = json.loads((store / "reports" / "last-build.json").read_text())
    return {"seconds": seconds, "peak_tree_mb": peak["tree"] / 2**20, "peak_largest_mb": peak["largest"] / 2**20,
            "loaded": len(report["loaded"]), "rejected": len(report["rejected"]), "unchanged": len(report["unchanged"]),
            "replaced": len(report["replaced"]), "triples": report["triples_asserted"] + report["triples_inferred"]}


def articles_dir(count: int, root: Path) -> Path:
    """Synthetic articles for this size (generated once, then reused)."""
    folder = root / f"articles-{count}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        write_articles(count, folder)
        (folder / ".complete").write_text("")
    return folder


def main(argv: list[str] | None = None) -> int:
    """Run the build benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="comma-separated article counts")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--work", type=Path, default=REPO / "var" / "bench")
    parser.add_argument("--no-single-core", action="store_true", help="skip the one-core comparison")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start; jobs={args.jobs}")
    # Start-up cost (interpreter, ontology, shapes, workers warming) from a one-article build.
    one = articles_dir(1, args.work)
    store = args.work / "store-build-1"
    shutil.rmtree(store, ignore_errors=True)
    startup = run_build([one], store, jobs=args.jobs)["seconds"]
    rows = []
    for count in sizes:
        folder = articles_dir(count, args.work)
        store = args.work / f"store-build-{count}"
        shutil.rmtree(store, ignore_errors=True)
        full = run_build([folder], store, jobs=args.jobs)
        rows.append((f"full build, {args.jobs} jobs", count, full, startup))
        again = run_build([folder], store, jobs=args.jobs)
        rows.append(("rebuild, nothing changed", count, again, None))
        changed = sorted(folder.glob("*.md"))[:: max(1, count // max(1, count // 100))][: max(1, count // 100)]
        backup = {p: p.read_text() for p in changed}
        try:
            for path in changed:
                path.write_text(backup[path].replace("officials said", "officials told reporters", 1))
            rows.append((f"rebuild, {len(changed)} changed", count, run_build([folder], store, jobs=args.jobs), None))
        finally:
            for path, text in backup.items():
                path.write_text(text)
        if count == min(sizes) and not args.no_single_core and args.jobs > 1:
            store1 = args.work / f"store-build-{count}-1job"
            shutil.rmtree(store1, ignore_errors=True)
            rows.append(("full build, 1 job", count, run_build([folder], store1, jobs=1), startup))
            shutil.rmtree(store1, ignore_errors=True)
        shutil.rmtree(store, ignore_errors=True)
    print("\n| run | articles | loaded | rejected | seconds | articles/s | articles/s after start-up | "
          "peak RSS, all processes (MB) | peak RSS, largest process (MB) | triples |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, count, r, start in rows:
        processed = r["loaded"] + r["rejected"] if "full" in name else r["loaded"] + r["replaced"]
        rate = processed / r["seconds"] if r["seconds"] else 0
        steady = f"{processed / (r['seconds'] - start):.1f}" if start and r["seconds"] > start else ""
        print(f"| {name} | {count} | {r['loaded']} | {r['rejected']} | {r['seconds']:.1f} | {rate:.1f} | {steady} | "
              f"{r['peak_tree_mb']:.0f} | {r['peak_largest_mb']:.0f} | {r['triples']} |")
    print(f"\nstart-up (a one-article build): {startup:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
