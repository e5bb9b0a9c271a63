"""Shared fixtures: the repository paths and a store built once from the bundled articles."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "data" / "articles"


@pytest.fixture(scope="session")
def built_store(tmp_path_factory) -> Path:
    """A store built from data/articles (once per test session)."""
    from loader.build import build

    store = tmp_path_factory.mktemp("kg") / "store"
    report = build([ARTICLES], store, jobs=2)
    assert report.exit_code == 0, report.rejected
    return store


@pytest.fixture(scope="session")
def kg_dump_path(built_store, tmp_path_factory) -> Path:
    """A dump of a built KG: $KHYBER_KG_DUMP when set, else the bundled articles' KG as N-Quads."""
    import os

    from loader.formats import RDF_FORMATS, dump
    from loader.store import open_read_only

    given = os.environ.get("KHYBER_KG_DUMP")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("kg-dump") / "kg.nq"
    store, _ = open_read_only(built_store)
    with open(out, "wb") as handle:
        dump(store, RDF_FORMATS["nq"], handle)
    return out
