"""The persistent knowledge-graph store: Oxigraph on disk, one directory per build, switched atomically.

Layout of a store directory:
    current -> builds/<id>     symlink to the live build, replaced atomically (os.replace)
    builds/<id>/oxigraph/      the pyoxigraph (RocksDB) store
    builds/<id>/manifest.json  which articles the build holds: content hash -> source file, graph IRI
    build.lock                 held by the one build that may run at a time

A build copies the live build (a RocksDB checkpoint), applies its changes to the copy, fsyncs it and then
moves `current`: a build killed at any moment leaves the previous KG complete and served. Each build that
went live gets a `LIVE` marker; the next build (under the lock) deletes every build directory that is
neither live, nor the previous one, nor among the last KEEP_OLD_BUILDS that went live: the leftovers
of killed builds.

For crash tests, `KHYBER_CRASH_AT=<point>` makes the build SIGKILL itself at a named point:
`backup` (copy made), `graph:<n>` (n graphs written), `manifest` (manifest written, not yet live),
`switch` (new link made, not yet moved), `live` (moved, old builds not yet pruned).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

DEFAULT_STORE = Path("var/khyber-store")
MANIFEST = "manifest.json"
LIVE_MARKER = "LIVE"
KEEP_OLD_BUILDS = 2


class StoreError(RuntimeError):
    """The store directory is missing, locked or unreadable; the message says which."""


@dataclass
class Manifest:
    """What one build holds: article content hash -> {source_file, graph}."""

    articles: dict[str, dict]
    built_at: float
    version: int = 1

    @classmethod
    def read(cls, build_dir: Path) -> "Manifest":
        """The manifest of a build directory (empty when there is none)."""
        path = build_dir / MANIFEST
        if not path.exists():
            return cls({}, 0.0)
        data = json.loads(path.read_text())
        return cls(data.get("articles", {}), data.get("built_at", 0.0), data.get("version", 1))

    def write(self, build_dir: Path) -> None:
        """Write and fsync the manifest."""
        path = build_dir / MANIFEST
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w") as handle:
            json.dump({"version": self.version, "built_at": self.built_at, "articles": self.articles}, handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)


def current_build(store_dir: Path) -> Path | None:
    """The live build directory of a store, or None if nothing was built yet."""
    link = Path(store_dir) / "current"
    if not link.exists():
        return None
    return link.resolve()


def open_read_only(store_dir: Path) -> tuple[ox.Store, Path]:
    """Open the live build read-only (for queries, dumps, the server)."""
    build = current_build(store_dir)
    if build is None:
        raise StoreError(f"{store_dir}: no knowledge graph built yet (run `khyber build --store {store_dir}`)")
    try:
        return ox.Store.read_only(str(build / "oxigraph")), build
    except OSError as err:
        raise StoreError(f"{build}: cannot open the store: {err}") from err


def rdflib_dataset(store: ox.Store) -> Dataset:
    """An rdflib Dataset over an Oxigraph store: rdflib's API, Oxigraph's query engine."""
    from oxrdflib import OxigraphStore

    return Dataset(store=OxigraphStore(store=store), default_union=True)


@contextmanager
def build_lock(store_dir: Path):
    """Hold the store's build lock; a second concurrent build fails fast instead of corrupting."""
    store_dir.mkdir(parents=True, exist_ok=True)
    with open(store_dir / "build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"{store_dir}: another build is running") from None
        yield


class NewBuild:
    """A build in progress: a writable copy of the live KG that becomes live on commit()."""

    def __init__(self, store_dir: Path):
        self.store_dir = Path(store_dir)
        (self.store_dir / "builds").mkdir(parents=True, exist_ok=True)
        self.previous = current_build(self.store_dir)
        remove_stale_builds(self.store_dir)
        self.build_id = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
        self.dir = self.store_dir / "builds" / self.build_id
        self.dir.mkdir()
        if self.previous is not None:
            ox.Store.read_only(str(self.previous / "oxigraph")).backup(str(self.dir / "oxigraph"))
            self.manifest = Manifest.read(self.previous)
        else:
            self.manifest = Manifest({}, 0.0)
        self.store = ox.Store(str(self.dir / "oxigraph"))
        self._graphs_written = 0
        _crash_point("backup")

    def replace_graph(self, name: URIRef, graph: Graph) -> None:
        """Replace one named graph's content with an rdflib graph's triples.

        The triples are parsed by Oxigraph before the store is touched, so a graph Oxigraph cannot hold
        (an invalid IRI, say) raises ValueError and leaves the old graph in place.
        """
        target = ox.NamedNode(str(name))
        quads = []
        if len(graph):
            try:
                # rdflib raises a bare Exception for an IRI with a space or `>`; Oxigraph re-checks the rest
                data = graph.serialize(format="nt", encoding="utf-8")
                quads = [ox.Quad(t.subject, t.predicate, t.object, target)
                         for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
            except Exception as err:  # noqa: BLE001 - any failure here means this graph cannot be stored
                raise ValueError(f"graph {name} cannot be stored: {err}") from None
        if self.store.contains_named_graph(target):
            self.store.remove_graph(target)
        self.store.extend(quads)
        self._graphs_written += 1
        _crash_point(f"graph:{self._graphs_written}")

    def remove_graph(self, name: URIRef) -> None:
        """Drop a named graph if present."""
        target = ox.NamedNode(str(name))
        if self.store.contains_named_graph(target):
            self.store.remove_graph(target)

    def commit(self) -> Path:
        """Make this build the live one (atomic symlink switch) and prune old builds."""
        materialize_union(self.store)
        self.store.flush()
        del self.store
        self.manifest.built_at = time.time()
        self.manifest.write(self.dir)
        _fsync_tree(self.dir)
        _crash_point("manifest")
        link = self.store_dir / "current"
        tmp = self.store_dir / f".current-{self.build_id}"
        os.symlink(Path("builds") / self.build_id, tmp)
        _crash_point("switch")
        os.replace(tmp, link)
        _fsync_dir(self.store_dir)
        _mark_live(self.dir)
        _crash_point("live")
        remove_stale_builds(self.store_dir, keep=self.previous)
        return self.dir

    def abort(self) -> None:
        """Throw the build away; the live KG is untouched."""
        if hasattr(self, "store"):
            del self.store
        shutil.rmtree(self.dir, ignore_errors=True)


UNION_UPDATE = "INSERT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"


def materialize_union(store: ox.Store) -> None:
    """Make the default graph the de-duplicated union of all named graphs: the KG as one graph.

    Queries run against it. Oxigraph's "default graph as union" repeats a triple once per graph that holds it
    (a person's label once per article naming them), which makes joins grow with the square of the mentions
    (measured: "who holds which post" > 10 s at 10k quads on the union, 0.04 s on distinct triples).
    """
    store.clear_graph(ox.DefaultGraph())
    store.update(UNION_UPDATE)
    link_people(store)


PERSON = "https://w3id.org/khyber/ontology#Person"
SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"


def link_people(store: ox.Store) -> dict[str, str]:
    """One node per person across articles: 'Rafiq Dar' in one article, 'Mohammad Rafiq Dar' in another.

    Articles mint a person's IRI from the name they print. Here, in the default graph only (the named graphs
    keep what each article said), a person whose name is a shorter form of exactly one other person's name
    (the same surname, every word in order) is merged into that person: its statements move to the fuller
    name's IRI, its name becomes an skos:altLabel, and owl:sameAs records the link. Returns alias -> canonical.
    """
    rows = store.query(f"SELECT DISTINCT ?p ?name WHERE {{ ?p a <{PERSON}> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name }}")
    names: dict[str, set[str]] = {}
    for row in rows:
        names.setdefault(row["p"].value, set()).add(" ".join(row["name"].value.split()))
    mapping: dict[str, str] = {}
    for iri, labels in names.items():
        words = max((label.split() for label in labels), key=len)
        if len(words) < 2:
            continue
        fuller = [other for other, other_labels in names.items() if other != iri and any(
            _shorter_form(words, label.split()) for label in other_labels)]
        if len(fuller) == 1:
            mapping[iri] = fuller[0]
    # follow chains (A -> B -> C) to the fullest name
    for alias in list(mapping):
        seen = {alias}
        while mapping[alias] in mapping and mapping[alias] not in seen:
            seen.add(mapping[alias])
            mapping[alias] = mapping[mapping[alias]]
    for alias, canonical in mapping.items():
        a, c = f"<{alias}>", f"<{canonical}>"
        store.update(f"DELETE {{ {a} ?p ?o }} INSERT {{ {c} ?p ?o }} WHERE {{ {a} ?p ?o }}")
        store.update(f"DELETE {{ ?s ?p {a} }} INSERT {{ ?s ?p {c} }} WHERE {{ ?s ?p {a} }}")
        store.update(f"INSERT DATA {{ {a} <{SAME_AS}> {c} }}")
        store.update(
            f"DELETE {{ {c} <http://www.w3.org/2000/01/rdf-schema#label> ?l }} "
            f"INSERT {{ {c} <http://www.w3.org/2004/02/skos/core#altLabel> ?l }} "
            f"WHERE {{ {c} <http://www.w3.org/2000/01/rdf-schema#label> ?l . "
            f"FILTER NOT EXISTS {{ GRAPH ?g {{ {c} <http://www.w3.org/2000/01/rdf-schema#label> ?l }} }} }}")
    return mapping


def _shorter_form(words: list[str], other: list[str]) -> bool:
    """Whether `words` is `other` with some leading/middle words left out, the surname kept."""
    if len(words) >= len(other) or words[-1].lower() != other[-1].lower():
        return False
    position = 0
    for word in other:
        if position < len(words) and word.lower() == words[position].lower():
            position += 1
    return position == len(words)


def remove_stale_builds(store_dir: Path, *, keep: Path | None = None) -> list[Path]:
    """Delete killed builds' leftovers and old builds; call only while holding the build lock.

    Kept: the live build, `keep` (the build that was live when the caller started: the server may
    still be answering from it) and the last KEEP_OLD_BUILDS builds that went live.
    """
    store_dir = Path(store_dir)
    builds = store_dir / "builds"
    if not builds.is_dir():
        return []
    live = current_build(store_dir)
    if live is not None and not (live / LIVE_MARKER).exists():
        _mark_live(live)  # went live, but the build was killed before it could mark it
    keep_set = {p.resolve() for p in (live, keep) if p is not None}
    went_live = sorted((p for p in builds.iterdir() if (p / LIVE_MARKER).exists()),
                       key=lambda p: (p / LIVE_MARKER).stat().st_mtime)
    keep_set.update(p.resolve() for p in went_live[-KEEP_OLD_BUILDS:])
    removed = []
    for path in builds.iterdir():
        if path.resolve() not in keep_set:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    for link in store_dir.glob(".current-*"):  # a switch that was killed half-way
        link.unlink(missing_ok=True)
    return removed


def _mark_live(build_dir: Path) -> None:
    (build_dir / LIVE_MARKER).write_text(time.strftime("%Y-%m-%dT%H:%M:%S%z") + "\n")


def _crash_point(name: str) -> None:
    """Fault injection for crash tests: SIGKILL this process at the point named in $KHYBER_CRASH_AT."""
    if os.environ.get("KHYBER_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _fsync_tree(root: Path) -> None:
    """fsync every file and folder under root, so the build survives power loss as well as a kill."""
    for folder, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(folder))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
