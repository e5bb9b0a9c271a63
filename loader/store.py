"""The persistent knowledge-graph store: Oxigraph on disk, one directory per build, switched atomically.

Layout of a store directory:
    current -> builds/<id>     symlink to the live build, replaced atomically (os.replace)
    builds/<id>/oxigraph/      the pyoxigraph (RocksDB) store
    builds/<id>/manifest.json  which articles the build holds: content hash -> source file, graph IRI
    build.lock                 held by the one build that may run at a time

A build copies the live build (a RocksDB checkpoint), applies its changes to the copy and then moves
`current`: a build killed at any moment leaves the previous KG complete and served.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

DEFAULT_STORE = Path("var/khyber-store")
MANIFEST = "manifest.json"
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
        self.build_id = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
        self.dir = self.store_dir / "builds" / self.build_id
        self.dir.mkdir()
        if self.previous is not None:
            ox.Store.read_only(str(self.previous / "oxigraph")).backup(str(self.dir / "oxigraph"))
            self.manifest = Manifest.read(self.previous)
        else:
            self.manifest = Manifest({}, 0.0)
        self.store = ox.Store(str(self.dir / "oxigraph"))

    def replace_graph(self, name: URIRef, graph: Graph) -> None:
        """Replace one named graph's content with an rdflib graph's triples."""
        target = ox.NamedNode(str(name))
        self.store.remove_graph(target) if self.store.contains_named_graph(target) else None
        if len(graph):
            data = graph.serialize(format="nt", encoding="utf-8")
            self.store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=target)

    def remove_graph(self, name: URIRef) -> None:
        """Drop a named graph if present."""
        target = ox.NamedNode(str(name))
        if self.store.contains_named_graph(target):
            self.store.remove_graph(target)

    def commit(self) -> Path:
        """Make this build the live one (atomic symlink switch) and prune old builds."""
        self.store.flush()
        del self.store
        self.manifest.built_at = time.time()
        self.manifest.write(self.dir)
        _fsync_dir(self.dir)
        link = self.store_dir / "current"
        tmp = self.store_dir / f".current-{self.build_id}"
        os.symlink(Path("builds") / self.build_id, tmp)
        os.replace(tmp, link)
        _fsync_dir(self.store_dir)
        self._prune()
        return self.dir

    def abort(self) -> None:
        """Throw the build away; the live KG is untouched."""
        if hasattr(self, "store"):
            del self.store
        shutil.rmtree(self.dir, ignore_errors=True)

    def _prune(self) -> None:
        builds = sorted((self.store_dir / "builds").iterdir(), key=lambda p: p.stat().st_mtime)
        live = {self.dir.resolve(), (self.previous.resolve() if self.previous else None)}
        for old in builds[:-KEEP_OLD_BUILDS]:
            if old.resolve() not in live:
                shutil.rmtree(old, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
