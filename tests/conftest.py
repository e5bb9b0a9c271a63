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
