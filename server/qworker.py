"""A query worker process: runs one SPARQL query at a time on a read-only store and answers serialized bytes.

Started by `server.isolation.Worker` as `python -m server.qworker MEMORY_MB`. It reads length-prefixed pickled
requests on stdin and writes length-prefixed pickled answers on stdout. Whatever a query does to this process
(runs for hours, exhausts memory, makes Oxigraph abort or segfault) costs only this process: the server kills
it at the deadline, or sees it die, and starts another.
"""

from __future__ import annotations

import os
import pickle
import resource
import signal
import struct
import sys
import threading
from collections import OrderedDict

import pyoxigraph as ox

from loader.formats import RDF_FORMATS, RESULTS_FORMATS, write_boolean, write_solutions
from loader.query import PREFIXES, QueryError, QueryRefused, QueryTooComplex, UpdateRefused, check_algebra

_HEADER = struct.Struct(">I")
_CHECKED: OrderedDict[str, QueryError | None] = OrderedDict()  # query text -> verdict of the algebra check
_CHECK_CACHE = 512


def read_frame(stream) -> object | None:
    """One length-prefixed pickled object from a binary stream, or None at end of file."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    return pickle.loads(stream.read(size))


def write_frame(stream, obj) -> None:
    """Write one length-prefixed pickled object and flush."""
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


class _Stores:
    """The read-only store of the build the last request named (reopened when the live build moves)."""

    def __init__(self):
        self.path: str | None = None
        self.store: ox.Store | None = None

    def get(self, path: str) -> ox.Store:
        if path != self.path:
            self.store = None
            self.store = ox.Store.read_only(path)
            self.path = path
        return self.store


def _algebra_verdict(text: str) -> None:
    """Run rdflib's parse-tree check once per distinct query text (cached: it costs milliseconds)."""
    if text in _CHECKED:
        _CHECKED.move_to_end(text)
        verdict = _CHECKED[text]
    else:
        try:
            check_algebra(text)
            verdict = None
        except QueryError as err:
            verdict = err
        _CHECKED[text] = verdict
        if len(_CHECKED) > _CHECK_CACHE:
            _CHECKED.popitem(last=False)
    if verdict is not None:
        raise verdict


def handle(stores: _Stores, request: dict) -> tuple:
    """Answer one request: ("ok", kind, format name, body, count, truncated) or ("error", kind, message)."""
    text = request["query"]
    try:
        _algebra_verdict(text)
    except UpdateRefused as err:
        return ("error", "update", str(err))
    except QueryTooComplex as err:
        return ("error", "complex", str(err))
    except QueryRefused as err:
        return ("error", "refused", str(err))
    options: dict = {"prefixes": PREFIXES}
    default_graphs, named_graphs = request.get("default_graphs"), request.get("named_graphs")
    if default_graphs is None and named_graphs is None:
        pass  # the store's default graph is the KG's de-duplicated union (loader.store.materialize_union)
    else:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs or []]
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    if request.get("substitutions"):
        options["substitutions"] = {ox.Variable(k): v for k, v in request["substitutions"].items()}
    try:
        store = stores.get(request["store"])
    except OSError as err:
        return ("error", "store", f"cannot open the store: {err}")
    try:
        result = store.query(text, **options)
        max_rows = int(request.get("max_rows") or 0)
        if isinstance(result, ox.QueryBoolean):
            fmt = RESULTS_FORMATS[request["results_format"]]
            return ("ok", "boolean", fmt.name, write_boolean(bool(result), fmt), 1, False)
        if isinstance(result, ox.QuerySolutions):
            fmt = RESULTS_FORMATS[request["results_format"]]
            variables = [v.value for v in result.variables]
            rows, truncated = [], False
            for solution in result:
                if max_rows and len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append([solution[v] for v in variables])
            return ("ok", "solutions", fmt.name, write_solutions(variables, rows, fmt), len(rows), truncated)
        fmt = RDF_FORMATS[request["rdf_format"]]
        triples, truncated = [], False
        for triple in result:
            if max_rows and len(triples) >= max_rows:
                truncated = True
                break
            triples.append(triple)
        items = [ox.Quad(t.subject, t.predicate, t.object) for t in triples] if fmt.quads else triples
        prefixes = PREFIXES if fmt.name in ("ttl", "trig", "rdfxml") else None
        body = ox.serialize(items, format=fmt.ox_format, prefixes=prefixes)
        return ("ok", "graph", fmt.name, body, len(triples), truncated)
    except SyntaxError as err:
        return ("error", "syntax", f"syntax error: {err}")
    except (OSError, ValueError, TypeError, RuntimeError) as err:
        return ("error", "evaluation", f"query evaluation failed: {err}")


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when the server process that started it dies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _limit_memory(megabytes: int) -> None:
    """Cap this process's address space: an allocation beyond it fails (Oxigraph then aborts: only us)."""
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _limit_cpu(seconds: float) -> None:
    """Backstop to the server's kill: the kernel ends this process after `seconds` more CPU time."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    total = int(used.ru_utime + used.ru_stime + seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (total, hard))


def serve(inp, out) -> None:
    """Answer requests until stdin closes (the server went away)."""
    stores = _Stores()
    write_frame(out, ("ready", os.getpid()))
    while True:
        request = read_frame(inp)
        if request is None:
            return
        _limit_cpu(2 * float(request.get("timeout", 10)) + 5)
        try:
            answer = handle(stores, request)
        except RecursionError:
            answer = ("error", "complex", "the query is nested too deeply")
        except MemoryError:
            answer = ("error", "memory", "the query needed more memory than a query worker may use")
        except Exception as err:  # noqa: BLE001 - whatever goes wrong, answer (the server shows no stack trace)
            answer = ("error", "evaluation", f"query evaluation failed: {type(err).__name__}: {err}")
        write_frame(out, answer)


def main(argv: list[str]) -> int:
    """Entry point: python -m server.qworker MEMORY_MB."""
    _die_with_parent()
    memory_mb = int(argv[1]) if len(argv) > 1 else 0
    # Keep the protocol channel private: anything a library prints goes to stderr instead of stdout.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    inp = os.fdopen(os.dup(0), "rb")
    from rdflib.plugins.sparql import parser  # noqa: F401  (import before the memory cap, once)

    _limit_memory(memory_mb)
    # rdflib's parser recurses a lot per bracket level: give it room (the nesting limit bounds the depth).
    sys.setrecursionlimit(20_000)
    threading.stack_size(64 * 1024 * 1024)
    worker = threading.Thread(target=serve, args=(inp, out), name="query-worker")
    worker.start()
    worker.join()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
