"""The app's handle on the KG store: opened read-only, reopened when a new build goes live."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, current_app

from loader.store import StoreError, current_build

_EXTENSION = "khyber_kg"


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


def get_kg() -> KGHandle:
    """The current app's KG handle."""
    return current_app.extensions[_EXTENSION]


def get_store() -> ox.Store:
    """The current app's read-only store."""
    return get_kg().get()[0]
