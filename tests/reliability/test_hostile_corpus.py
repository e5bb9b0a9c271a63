"""1,000+ generated hostile files through the reader and a build; every dump of the result re-parses (issue 6)."""

from __future__ import annotations

import socket
import time

import pyoxigraph as ox
import pytest

from loader.articles import Article, Rejection, read_articles
from loader.build import build
from loader.formats import DUMP_FORMATS, RDF_FORMATS
from loader.store import open_read_only

from .conftest import khyber
from .hostile import write_corpus

UNSAFE = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))]


@pytest.fixture(scope="module")
def trap():
    """A local listener standing in for every URL the corpus points at: nothing may connect to it."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        listener.setblocking(False)
        yield listener


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, trap):
    folder = tmp_path_factory.mktemp("hostile") / "corpus"
    host, port = trap.getsockname()
    return folder, write_corpus(folder, trap=f"http://{host}:{port}")


def _assert_nothing_connected(trap) -> None:
    with pytest.raises(BlockingIOError):
        trap.accept()


def test_every_hostile_file_yields_articles_or_rejections(corpus, trap):
    _folder, paths = corpus
    assert len(paths) >= 1000
    started = time.perf_counter()
    articles = rejections = 0
    for path in paths:
        items = list(read_articles(path))
        assert items, path
        for item in items:
            if isinstance(item, Rejection):
                rejections += 1
                assert item.source and item.reason
                (item.source + item.reason).encode("utf-8")
            else:
                assert isinstance(item, Article)
                articles += 1
                item.text.encode("utf-8")
                assert item.text.strip() and not any(ch in item.text for ch in UNSAFE)
                assert item.url is None or ox.NamedNode(item.url)
                for value in (item.title, item.publisher, item.source_file):
                    assert value is None or ("\n" not in value and not any(ch in value for ch in UNSAFE))
    assert time.perf_counter() - started < 30
    assert articles > 500 and rejections > 500  # the corpus exercises both ways out
    _assert_nothing_connected(trap)


@pytest.mark.slow
def test_hostile_corpus_builds_and_every_dump_reparses(corpus, trap, tmp_path):
    folder, _paths = corpus
    store = tmp_path / "store"
    started = time.perf_counter()
    report = build([folder], store, jobs=2)
    assert time.perf_counter() - started < 60
    assert report.exit_code == 1 and len(report.loaded) > 50 and len(report.duplicates) > 500
    assert all(r["source"] and r["reason"] for r in report.rejected)
    assert not [r for r in report.rejected if "internal error" in r["reason"] or "cannot be stored" in r["reason"]]
    assert report.files >= 1000

    kg, _ = open_read_only(store)
    sources = [row["u"] for row in kg.query("SELECT ?u WHERE { ?a <http://purl.org/dc/terms/source> ?u }",
                                            use_default_graph_as_union=True)]
    assert sources and all(isinstance(u, ox.NamedNode) for u in sources)
    assert any("%20" in u.value or "%3E" in u.value for u in sources)  # hostile URLs were percent-encoded
    # the named graphs are the KG; the default graph is their de-duplicated union (not dumped twice)
    named = [q for q in kg if not isinstance(q.graph_name, ox.DefaultGraph)]
    quads, triples = len(named), len({(q.subject, q.predicate, q.object) for q in named})
    del kg

    for name in DUMP_FORMATS:
        out = tmp_path / f"dump.{name}"
        result = khyber("dump", "--store", str(store), "--format", name, "--output", str(out))
        assert result.returncode == 0, result.stderr[-2000:]
        fmt = RDF_FORMATS[name]
        parsed = list(ox.parse(path=str(out), format=fmt.ox_format))
        if fmt.quads:
            assert len(set(parsed)) == quads, name
        else:
            assert len({(q.subject, q.predicate, q.object) for q in parsed}) == triples, name
    _assert_nothing_connected(trap)
