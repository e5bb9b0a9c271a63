"""The example queries of ontology/README.md run and answer on the ontology plus the sample KG."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from .conftest import ONTOLOGY_TTL, REPO, SAMPLE_KG

README = REPO / "ontology" / "README.md"
BLOCKS = re.findall(r"```sparql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def store() -> ox.Store:
    st = ox.Store()
    for path in (ONTOLOGY_TTL, SAMPLE_KG):
        st.load(path.read_bytes(), format=ox.RdfFormat.TURTLE)
    return st


def test_readme_has_queries():
    """The guide has a prefix block and at least four example queries."""
    assert len(BLOCKS) >= 5 and "PREFIX kh:" in BLOCKS[0]


@pytest.mark.parametrize("query", BLOCKS[1:], ids=[f"query{i}" for i in range(1, len(BLOCKS))])
def test_readme_query_answers(query, store):
    """Each example query parses and returns at least one row on the sample KG (no inference needed)."""
    assert list(store.query(BLOCKS[0] + query))
