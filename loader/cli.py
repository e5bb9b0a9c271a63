"""The `khyber` command: build, dump, query, validate, serve (a thin shell over the library)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_SOME_REJECTED, EXIT_ERROR = 0, 1, 2


def default_store() -> Path:
    """The store directory: $KHYBER_STORE, else var/khyber-store under the working directory."""
    return Path(os.environ.get("KHYBER_STORE", "var/khyber-store"))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="khyber", description="Khyber: a knowledge graph of US–Pakistan security relations.")
    parser.add_argument("--version", action="version", version=f"khyber {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_store(p):
        p.add_argument("--store", type=Path, default=None, help="store directory (default: $KHYBER_STORE or var/khyber-store)")
        return p

    def with_endpoint(p):
        p.add_argument("--sparql-endpoint", default=None, metavar="URL",
                       help="use this SPARQL 1.1 server instead of the embedded store (default: $KHYBER_SPARQL_ENDPOINT)")
        p.add_argument("--sparql-update-endpoint", default=None, metavar="URL",
                       help="its SPARQL Update URL when not the same (default: $KHYBER_SPARQL_UPDATE_ENDPOINT)")
        return p

    p = with_endpoint(with_store(sub.add_parser("build", help="load articles into the store")))
    p.add_argument("paths", nargs="*", type=Path, help="article files or folders (default: data/articles)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument("--prune", action="store_true", help="remove articles that are no longer in PATHs")
    p.add_argument("--quiet", action="store_true", help="print only rejections")
    p.add_argument("--emit-nquads", type=Path, default=None, metavar="DIR",
                   help="also write every stored graph as an N-Quads file into DIR (for a bulk loader)")

    p = with_endpoint(with_store(sub.add_parser("dump", help="write the whole KG, ontology included")))
    p.add_argument("--format", default="ttl", choices=["ttl", "nt", "trig", "nq", "jsonld"])
    p.add_argument("--output", type=Path, default=None, help="file to write (default: standard output)")

    p = with_endpoint(with_store(sub.add_parser("query", help="run a SPARQL query and print the results")))
    p.add_argument("sparql", help="the query text, or @FILE to read it from a file")
    p.add_argument("--format", default=None, choices=["table", "json", "xml", "csv", "tsv", "ttl", "nt"],
                   help="output format (default: table for SELECT/ASK, Turtle for CONSTRUCT/DESCRIBE)")

    with_store(sub.add_parser("validate", help="SHACL-validate the whole KG"))

    p = sub.add_parser("ontology", help="regenerate ontology/khyber.{owl,jsonld,html} from ontology/khyber.ttl")
    p.add_argument("--check", action="store_true", help="only report stale artifacts (exit 1 if any)")

    p = with_store(sub.add_parser("evaluate", help="precision/recall/F1 of the KG against gold annotations"))
    p.add_argument("--gold", default="tests/gold", help="folder of gold JSON files (default: tests/gold)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--verbose", action="store_true", help="list every miss and spurious fact")

    p = with_store(sub.add_parser("serve", help="serve the KG over HTTP"))
    from server.settings import SETTINGS  # the settings table gives every serve option (and its KHYBER_* variable)

    for setting in SETTINGS:
        if setting.name != "store":
            p.add_argument(setting.cli_flag, dest=setting.name, default=None, type=type(setting.default),
                           help=f"{setting.help} (default: {setting.default!r}; env {setting.env})")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `khyber` console script; returns the exit code."""
    args = _parser().parse_args(argv)
    store = getattr(args, "store", None) or default_store()
    try:
        return COMMANDS[args.command](args, store)
    except KeyboardInterrupt:
        return EXIT_ERROR
    except (OSError, RuntimeError, ValueError) as err:
        print(f"khyber {args.command}: error: {err}", file=sys.stderr)
        return EXIT_ERROR


def _build(args, store: Path) -> int:
    from .build import DEFAULT_ARTICLES, build

    report = build(args.paths or [DEFAULT_ARTICLES], store, jobs=args.jobs, prune=args.prune, progress=not args.quiet,
                   backend=_remote(args), emit_nquads=args.emit_nquads)
    for rejection in report.rejected:
        print(f"rejected: {rejection['source']}: {rejection['reason']}", file=sys.stderr)
        for line in rejection.get("violations", [])[:10]:
            print(f"    {line}", file=sys.stderr)
    if not args.quiet:
        for warning in report.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(f"loaded {len(report.loaded)} articles ({len(report.unchanged)} unchanged, {len(report.replaced)} replaced, "
              f"{len(report.removed)} removed, {len(report.duplicates)} duplicates, {len(report.rejected)} rejected) "
              f"into {store} in {report.seconds:.1f} s; {report.triples_asserted} triples asserted, "
              f"{report.triples_inferred} inferred; report: {store}/reports/last-build.json")
    return report.exit_code


def _dump(args, store: Path) -> int:
    from .formats import RDF_FORMATS, dump
    from .store import open_read_only

    remote = _remote(args)
    kg = remote.store() if remote else open_read_only(store)[0]
    fmt = RDF_FORMATS[args.format]
    if args.output:
        tmp = args.output.with_name(args.output.name + ".part")
        dump(kg, fmt, str(tmp))
        os.replace(tmp, args.output)  # never leave a half-written dump under the real name
    else:
        dump(kg, fmt, sys.stdout.buffer)
    return EXIT_OK


def _query(args, store: Path) -> int:
    from .query import QueryError, run_query
    from .store import open_read_only

    text = Path(args.sparql[1:]).read_text() if args.sparql.startswith("@") else args.sparql
    remote = _remote(args)
    if remote:
        from .backends import run_remote_query

        try:
            sys.stdout.write(run_remote_query(remote, text, args.format))
        except QueryError as err:
            print(f"khyber query: {err}", file=sys.stderr)
            return EXIT_ERROR
        return EXIT_OK
    kg, _ = open_read_only(store)
    try:
        output = run_query(kg, text, args.format)
    except QueryError as err:
        print(f"khyber query: {err}", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(output)
    return EXIT_OK


def _remote(args):
    """The SPARQL server named by --sparql-endpoint or $KHYBER_SPARQL_ENDPOINT, else None (embedded store)."""
    from .backends import SparqlBackend

    return SparqlBackend.from_env(getattr(args, "sparql_endpoint", None), getattr(args, "sparql_update_endpoint", None))


def _validate(args, store: Path) -> int:
    from .store import open_read_only
    from .validate_kg import validate_store

    kg, _ = open_read_only(store)
    conforms, lines = validate_store(kg)
    for line in lines:
        print(line)
    print("conforms" if conforms else f"{len(lines)} violations", file=sys.stderr)
    return EXIT_OK if conforms else EXIT_SOME_REJECTED


def _serve(args, store: Path) -> int:
    from server.wsgi import serve

    from server.settings import SETTINGS

    settings = {s.name: getattr(args, s.name) for s in SETTINGS if s.name != "store"}
    return serve(store=store, **settings)


def _ontology(args, store: Path) -> int:
    from .ontology_artifacts import main as artifacts_main

    return artifacts_main(["--check"] if args.check else [])


def _evaluate(args, store: Path) -> int:
    from .evaluate import main as evaluate_main

    argv = ["--store", str(store), "--gold", args.gold] + ["--json"] * args.json + ["--verbose"] * args.verbose
    return evaluate_main(argv)


COMMANDS = {"build": _build, "dump": _dump, "query": _query, "validate": _validate, "serve": _serve,
            "evaluate": _evaluate, "ontology": _ontology}


if __name__ == "__main__":
    sys.exit(main())
