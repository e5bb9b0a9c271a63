"""The app's handle on the KG store: opened read-only, reopened when a new build goes live."""

from __future__ import annotations

import atexit
import os
import threading
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, current_app

from loader.store import StoreError, current_build

_EXTENSION = "khyber_kg"
_POOLS = "khyber_query_pools"
_POOL_LOCK = threading.Lock()
_PROCESS_POOLS: dict[tuple, object] = {}  # (pid, size, memory_mb) -> QueryPool: one set of processes per server process


class KGHandle:
    """Read-only access to a store directory's live build; thread-safe."""

    def __init__(self, store_dir: Path):
        self.store_dir = Path(store_dir)
        self._lock = threading.Lock()
        self._build: Path | None = None
        self._store: ox.Store | None = None

    def get(self) -> tuple[ox.Store, Path]:
        """The store of the live build, reopened if `current` moved since last time."""
        build = current_build(self.store_dir)
        if build is None:
            raise StoreError(f"no knowledge graph at {self.store_dir}: run `khyber build --store {self.store_dir}`")
        with self._lock:
            if build != self._build or self._store is None:
                self._store = ox.Store.read_only(str(build / "oxigraph"))
                self._build = build
            return self._store, build

    def cached(self, key: str, compute):
        """A value computed once per live build (counts for VoID and /-/health)."""
        store, build = self.get()
        cache = self.__dict__.setdefault("_cache", {})
        if cache.get("build") != build:
            cache.clear()
            cache["build"] = build
        if key not in cache:
            cache[key] = compute(store)
        return cache[key]

    def version(self) -> str:
        """An identifier of the live build (for ETags)."""
        build = current_build(self.store_dir)
        return build.name if build else "none"

    def last_modified(self) -> float:
        """When the live build went live (seconds since the epoch)."""
        link = self.store_dir / "current"
        return os.lstat(link).st_mtime if os.path.lexists(link) else 0.0


def init_app(app: Flask) -> None:
    """Attach a KG handle for the configured store to the app."""
    app.extensions[_EXTENSION] = KGHandle(Path(app.config["STORE"]))
    app.extensions[_POOLS] = {}


def start_pool(app: Flask):
    """This process's query worker pool for the app's settings, started now if not running yet.

    Pools are per process (a forked server worker must not share its parent's pipes) and shared by the apps of
    one process that have the same settings, so tests' fresh apps do not each start processes.
    """
    from .isolation import QueryPool

    key = (os.getpid(), int(app.config["QUERY_WORKERS"]), int(app.config["QUERY_MEMORY_MB"]))
    with _POOL_LOCK:
        pool = _PROCESS_POOLS.get(key)
        if pool is None:
            for other in [k for k in _PROCESS_POOLS if k[0] != key[0]]:
                del _PROCESS_POOLS[other]  # inherited through fork: not ours to use
            pool = _PROCESS_POOLS[key] = QueryPool(key[1], key[2]).start()
            atexit.register(pool.close)
        app.extensions[_POOLS] = {key[0]: pool}
        return pool


def get_pool():
    """The current app's query worker pool."""
    return start_pool(current_app._get_current_object())


def get_kg() -> KGHandle:
    """The current app's KG handle."""
    return current_app.extensions[_EXTENSION]


def get_store() -> ox.Store:
    """The current app's read-only store."""
    return get_kg().get()[0]
