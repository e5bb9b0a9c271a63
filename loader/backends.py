"""Where the knowledge graph lives: the embedded Oxigraph store (default), or any SPARQL 1.1 server.

A backend opens a *build* (what `loader.build` writes into: `replace_graph`, `remove_graph`, a
manifest of the articles it holds, `commit`/`abort`) and answers queries. Two implementations:

* `EmbeddedBackend(store_dir)` — the on-disk Oxigraph store of `loader.store` (one directory per
  build, switched atomically).
* `SparqlBackend(query_url, update_url)` — a SPARQL 1.1 server through the standard protocols:
  SPARQL 1.1 Query (POST, `application/sparql-results+json`) and SPARQL 1.1 Update (each graph
  replaced by one request `DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }`). Its manifest
  is read back from the server itself (every article graph holds its `kh:contentHash` and
  `kh:sourceFile`), so incremental builds need no local state. Writes are per graph, not one
  transaction: a build that stops half-way leaves the graphs it already replaced.

`NQuadsEmitter` wraps a build and also writes each graph it stores as an N-Quads file, for a big
engine's bulk loader (`khyber build --emit-nquads DIR`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from .namespaces import inferred_graph
from .query import PREFIXES

ENV_ENDPOINT = "KHYBER_SPARQL_ENDPOINT"
ENV_UPDATE = "KHYBER_SPARQL_UPDATE_ENDPOINT"
ENV_USER, ENV_PASSWORD = "KHYBER_SPARQL_USER", "KHYBER_SPARQL_PASSWORD"
KH = "https://w3id.org/khyber/ontology#"
# Graphs at most this many N-Triples bytes go in one update request; bigger ones in several INSERTs
# (Virtuoso's SPARQL compiler runs out of memory on a ~1 MB request).
MAX_UPDATE_BYTES = 150_000


class BackendError(RuntimeError):
    """The SPARQL server refused or failed a request; the message says what and why."""


class EmbeddedBackend:
    """The default: the embedded, on-disk Oxigraph store."""

    def __init__(self, store_dir: Path):
        self.store_dir = Path(store_dir)

    def begin(self):
        """A new build (a copy of the live KG that becomes live on commit)."""
        from .store import NewBuild

        return NewBuild(self.store_dir)

    def store(self) -> ox.Store:
        """The live KG, read-only."""
        from .store import open_read_only

        return open_read_only(self.store_dir)[0]


class SparqlBackend:
    """A SPARQL 1.1 server reached through the Query and Update protocols."""

    def __init__(self, query_url: str, update_url: str | None = None, *, user: str | None = None,
                 password: str | None = None, timeout: float = 300.0):
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.timeout = timeout
        self._auth = None
        if user:
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
            self._auth = f"Basic {token}"

    @classmethod
    def from_env(cls, endpoint: str | None = None, update: str | None = None) -> "SparqlBackend | None":
        """The backend named by arguments or KHYBER_SPARQL_ENDPOINT / _UPDATE_ENDPOINT / _USER / _PASSWORD."""
        endpoint = endpoint or os.environ.get(ENV_ENDPOINT)
        if not endpoint:
            return None
        return cls(endpoint, update or os.environ.get(ENV_UPDATE), user=os.environ.get(ENV_USER),
                   password=os.environ.get(ENV_PASSWORD))

    # -- protocol ------------------------------------------------------------------------------

    def _post(self, url: str, data: dict, accept: str) -> bytes:
        return self._exchange(url, data, accept)[0]

    def _exchange(self, url: str, data: dict, accept: str) -> tuple[bytes, str]:
        body = urllib.parse.urlencode(data).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        if self._auth:
            headers["Authorization"] = self._auth
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read(), response.headers.get_content_type()
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", "replace").strip()[:500]
            raise BackendError(f"{url}: HTTP {err.code}: {detail}") from None
        except urllib.error.URLError as err:
            raise BackendError(f"{url}: {err.reason}") from None

    def select(self, text: str) -> list[dict]:
        """Run a SELECT (Khyber's prefixes predeclared): one dict of variable -> Oxigraph term per row."""
        body = self._post(self.query_url, {"query": _with_prefixes(text)}, "application/sparql-results+json")
        try:
            data = json.loads(body)
            return [{name: _term(value) for name, value in row.items()} for row in data["results"]["bindings"]]
        except (ValueError, KeyError, TypeError) as err:
            raise BackendError(f"{self.query_url}: unreadable SPARQL JSON results: {err}") from None

    def query(self, text: str, accept: str) -> tuple[bytes, str]:
        """Run any query; the server's response body and media type (negotiated from `accept`)."""
        return self._exchange(self.query_url, {"query": _with_prefixes(text)}, accept)

    def update(self, text: str) -> None:
        """Run a SPARQL 1.1 Update request."""
        self._post(self.update_url, {"update": text}, "*/*")

    # -- graphs --------------------------------------------------------------------------------

    def replace_graph(self, name: URIRef, graph: Graph) -> None:
        """Replace one named graph's content: drop it and insert the triples, in one request when small.

        Blank nodes go through `INSERT { ... } WHERE {}` (some servers, Virtuoso among them, refuse
        them in INSERT DATA), all in one request so that each keeps its identity.
        """
        target = f"<{name}>"
        lines = [line for line in graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
                 if line.strip()]
        if any("_:" in line for line in lines):
            chunks, template = [lines], "INSERT {{ GRAPH {g} {{\n{body}\n}} }} WHERE {{}}"
        else:
            chunks, size, current = [], 0, []
            for line in lines:
                current.append(line)
                size += len(line)
                if size > MAX_UPDATE_BYTES:
                    chunks.append(current)
                    current, size = [], 0
            if current:
                chunks.append(current)
            template = "INSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}"
        operations = [f"DROP SILENT GRAPH {target}"]
        if chunks:
            operations.append(template.format(g=target, body="\n".join(chunks[0])))
        self.update(" ;\n".join(operations))
        for chunk in chunks[1:]:
            self.update(template.format(g=target, body="\n".join(chunk)))

    def remove_graph(self, name: URIRef) -> None:
        """Drop a named graph if present."""
        self.update(f"DROP SILENT GRAPH <{name}>")

    def articles(self) -> dict[str, dict]:
        """The manifest as the server holds it: content hash -> source file, graph, inferred graph, title."""
        solutions = self.select(
            "SELECT ?g ?hash ?file ?title WHERE { GRAPH ?g { ?g a kh:Article ; kh:contentHash ?hash ; "
            "kh:sourceFile ?file . OPTIONAL { ?g dcterms:title ?title } } }")
        manifest = {}
        for row in solutions:
            graph = row["g"].value
            manifest[row["hash"].value] = {"source_file": row["file"].value, "graph": graph,
                                           "inferred": str(inferred_graph(URIRef(graph))),
                                           "title": row["title"].value if "title" in row else None}
        return manifest

    def begin(self) -> "RemoteBuild":
        """A build writing straight into the server."""
        return RemoteBuild(self)

    def store(self) -> ox.Store:
        """All the server's quads in an in-memory Oxigraph store (for dumps of a remote KG)."""
        solutions = self.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        store = ox.Store()
        store.extend(ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in solutions)
        return store


class _Manifest:
    def __init__(self, articles: dict[str, dict]):
        self.articles = articles


class RemoteBuild:
    """A build against a SPARQL server: the same interface as `loader.store.NewBuild`."""

    def __init__(self, backend: SparqlBackend):
        self.backend = backend
        self.build_id = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-remote"
        self.manifest = _Manifest(backend.articles())

    def replace_graph(self, name: URIRef, graph: Graph) -> None:
        """Replace one graph on the server."""
        self.backend.replace_graph(name, graph)

    def remove_graph(self, name) -> None:
        """Drop one graph on the server."""
        self.backend.remove_graph(URIRef(str(name)))

    def commit(self) -> None:
        """Nothing to switch: every graph was written as it came."""

    def abort(self) -> None:
        """Graphs already replaced stay (a SPARQL server has no cross-request transaction)."""


class NQuadsEmitter:
    """Wraps a build; every graph it stores is also written to DIR as one N-Quads file (removed ones deleted)."""

    def __init__(self, inner, directory: Path):
        self.inner = inner
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def _path(self, name) -> Path:
        parts = str(name).rstrip("/").split("/")  # .../id/article/<slug>, .../graph/inferred/<slug>
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in "-".join(parts[-2:]))[:200]
        return self.dir / f"{safe}.nq"

    def replace_graph(self, name, graph: Graph) -> None:
        """Store the graph, then write it as N-Quads (atomically: a temp file renamed)."""
        self.inner.replace_graph(name, graph)
        store = ox.Store()
        target = ox.NamedNode(str(name))
        if len(graph):
            store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=target)
        path = self._path(name)
        tmp = path.with_suffix(".nq.part")
        store.dump(output=str(tmp), format=ox.RdfFormat.N_QUADS)
        os.replace(tmp, path)

    def remove_graph(self, name) -> None:
        """Drop the graph and its file."""
        self.inner.remove_graph(name)
        self._path(name).unlink(missing_ok=True)


def run_remote_query(backend: SparqlBackend, text: str, fmt: str | None = None) -> str:
    """`khyber query` against a SPARQL server: the same checks and output formats as on the embedded store."""
    from rdflib.plugins.sparql.parser import parseQuery

    from .query import PREFIXES as _P, RDF_FORMATS, RESULTS_FORMATS, _table, check_query

    check_query(text)
    form = parseQuery(_with_prefixes(text))[1].name  # SelectQuery, AskQuery, ConstructQuery, DescribeQuery
    if form in ("ConstructQuery", "DescribeQuery"):
        body, media = backend.query(text, "application/n-triples, text/turtle;q=0.9")
        source = ox.RdfFormat.N_TRIPLES if "n-triples" in media or "plain" in media else ox.RdfFormat.TURTLE
        rdf = RDF_FORMATS["nt" if fmt == "nt" else "ttl"]
        return ox.serialize(ox.parse(body, format=source), format=rdf.ox_format, prefixes=_P).decode("utf-8")
    body, _media = backend.query(text, "application/sparql-results+json")
    try:
        data = json.loads(body)
    except ValueError as err:
        raise BackendError(f"{backend.query_url}: unreadable SPARQL JSON results: {err}") from None
    if form == "AskQuery":
        if "boolean" in data:
            answer = bool(data["boolean"])
        else:  # Virtuoso answers ASK as one row of __ASK_RETVAL 0/1
            rows = data.get("results", {}).get("bindings", [])
            answer = bool(rows) and next(iter(rows[0].values()), {}).get("value") not in ("0", "false")
        return ("true" if answer else "false") + "\n"
    for row in data.get("results", {}).get("bindings", []):
        for value in row.values():
            if value.get("type") == "bnode":  # server-specific labels Oxigraph's parser refuses
                value["value"] = _term(value).value
            elif value.get("type") == "typed-literal":  # the pre-2013 JSON results spelling
                value["type"] = "literal"
    results = ox.parse_query_results(json.dumps(data).encode("utf-8"), format=ox.QueryResultsFormat.JSON)
    if fmt in RESULTS_FORMATS:
        return results.serialize(format=RESULTS_FORMATS[fmt].ox_format).decode("utf-8")
    return _table(results)


def _term(value: dict):
    """An Oxigraph term from a SPARQL JSON results term (server-specific blank node labels made safe)."""
    kind, text = value["type"], value["value"]
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "typed-literal":
        return ox.Literal(text, datatype=ox.NamedNode(value["datatype"]))
    if kind == "bnode":  # e.g. Virtuoso's "nodeID://b10006"
        return ox.BlankNode("b" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:24])
    if "xml:lang" in value:
        return ox.Literal(text, language=value["xml:lang"])
    if "datatype" in value:
        return ox.Literal(text, datatype=ox.NamedNode(value["datatype"]))
    return ox.Literal(text)


def _with_prefixes(text: str) -> str:
    declared = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if f"{p}:" in text)
    return declared + text
