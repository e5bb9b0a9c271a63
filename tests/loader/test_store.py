"""The store: builds are switched atomically, incremental, and a failed build leaves the live KG alone."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from loader.build import build
from loader.store import StoreError, build_lock, current_build, open_read_only, rdflib_dataset

ARTICLE = """---
title: {title}
date: 2024-05-06
---
ISLAMABAD: Interior Minister Wali Khanzada met US Ambassador Peter Ramsey in Islamabad on Monday. {extra}
"""


def _articles(tmp_path, extra=""):
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    (folder / "a.md").write_text(ARTICLE.format(title="Talks", extra=extra), encoding="utf-8")
    return folder


def _article_graphs(store_dir):
    store, _ = open_read_only(store_dir)
    rows = store.query("SELECT DISTINCT ?a WHERE { ?a a <https://w3id.org/khyber/ontology#Article> }",
                       use_default_graph_as_union=True)
    return {row["a"].value for row in rows}


def test_rebuild_without_changes_changes_nothing(tmp_path):
    folder, store = _articles(tmp_path), tmp_path / "store"
    first = build([folder], store, jobs=1)
    size = len(open_read_only(store)[0])
    second = build([folder], store, jobs=1)
    assert first.loaded == ["a.md"] and second.loaded == [] and second.unchanged == ["a.md"]
    assert len(open_read_only(store)[0]) == size


def test_changed_article_replaces_its_graph(tmp_path):
    folder, store = _articles(tmp_path), tmp_path / "store"
    build([folder], store, jobs=1)
    before = _article_graphs(store)
    _articles(tmp_path, extra="They discussed trade.")
    report = build([folder], store, jobs=1)
    after = _article_graphs(store)
    assert report.replaced == ["a.md"] and len(after) == 1 and after != before


def test_prune_removes_vanished_articles(tmp_path):
    folder, store = _articles(tmp_path), tmp_path / "store"
    build([folder], store, jobs=1)
    (folder / "a.md").unlink()
    (folder / "b.md").write_text("Another story entirely, about nothing.\n", encoding="utf-8")
    report = build([folder], store, jobs=1, prune=True)
    assert report.removed == ["a.md"]
    assert len(_article_graphs(store)) == 1


def test_failed_build_leaves_previous_kg_live(tmp_path, monkeypatch):
    folder, store = _articles(tmp_path), tmp_path / "store"
    build([folder], store, jobs=1)
    live = current_build(store)
    (folder / "b.md").write_text("A second story.\n", encoding="utf-8")

    def explode(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("loader.build._apply", explode)
    with pytest.raises(RuntimeError):
        build([folder], store, jobs=1)
    assert current_build(store) == live
    assert len(list((store / "builds").iterdir())) == 1  # the aborted build's directory is gone


def test_only_one_build_at_a_time(tmp_path):
    with build_lock(tmp_path):
        with pytest.raises(StoreError, match="another build"):
            with build_lock(tmp_path):
                pass


def test_rdflib_api_over_the_store_uses_oxigraph(tmp_path):
    folder, store = _articles(tmp_path), tmp_path / "store"
    build([folder], store, jobs=1)
    kg, _ = open_read_only(store)
    dataset = rdflib_dataset(kg)
    rows = list(dataset.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert int(rows[0][0]) == len(kg)
    assert isinstance(kg, ox.Store)


def test_open_without_build_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="khyber build"):
        open_read_only(tmp_path / "nothing")


def test_a_graph_oxigraph_cannot_hold_is_refused_before_the_store_changes(tmp_path):
    from rdflib import Graph, Literal, URIRef

    from loader.store import NewBuild

    with build_lock(tmp_path):
        new = NewBuild(tmp_path)
        good = Graph()
        good.add((URIRef("https://example.org/s"), URIRef("https://example.org/p"), Literal("kept")))
        name = URIRef("https://example.org/graph")
        new.replace_graph(name, good)
        bad = Graph()
        bad.add((URIRef("https://example.org/a b>"), URIRef("https://example.org/p"), Literal("x")))
        with pytest.raises(ValueError, match="cannot be stored"):
            new.replace_graph(name, bad)
        assert len(new.store) == 1  # the old content of the graph is intact
        new.abort()


def test_an_article_that_cannot_be_stored_is_rejected_and_the_rest_load(tmp_path, monkeypatch):
    from rdflib import Literal, URIRef

    import loader.build

    folder, store = _articles(tmp_path), tmp_path / "store"
    (folder / "b.md").write_text("---\ntitle: Other\n---\nPESHAWAR: Another story about talks.\n", encoding="utf-8")
    real = loader.build.process_article

    def poisoned(article):
        result = real(article)
        if article.source_file == "b.md":
            result.graph.add((URIRef("https://example.org/bad iri"), URIRef("https://example.org/p"), Literal(1)))
        return result

    monkeypatch.setattr(loader.build, "process_article", poisoned)
    report = build([folder], store, jobs=1)
    assert report.loaded == ["a.md"]
    assert [r["source"] for r in report.rejected] == ["b.md"] and "cannot be stored" in report.rejected[0]["reason"]
    assert len(_article_graphs(store)) == 1


def test_stale_builds_are_removed_and_recent_live_ones_kept(tmp_path):
    import os

    from loader.store import KEEP_OLD_BUILDS, LIVE_MARKER, remove_stale_builds

    folder, store = _articles(tmp_path), tmp_path / "store"
    for extra in ("one.", "two.", "three."):
        _articles(tmp_path, extra=extra)
        build([folder], store, jobs=1)
    live = current_build(store)
    went_live = [p for p in (store / "builds").iterdir() if (p / LIVE_MARKER).exists()]
    assert live in went_live and len(went_live) <= KEEP_OLD_BUILDS + 1
    crashed = store / "builds" / "20000101T000000-1-000000"
    crashed.mkdir()
    os.symlink("builds/x", store / ".current-x")
    removed = remove_stale_builds(store)
    assert crashed in removed and not crashed.exists() and not (store / ".current-x").exists()
    assert current_build(store) == live and live.exists()


def test_triple_format_dumps_hold_each_triple_once():
    """Regression: a triple in several graphs (one per article) was written once per graph in .ttl/.nt dumps."""
    import io

    from loader.formats import RDF_FORMATS, dump

    store = ox.Store()
    s, p, o = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("o")
    for graph in (ox.NamedNode("http://example.org/g1"), ox.NamedNode("http://example.org/g2"), ox.DefaultGraph()):
        store.add(ox.Quad(s, p, o, graph))
    for name in ("nt", "ttl"):
        buffer = io.BytesIO()
        dump(store, RDF_FORMATS[name], buffer)
        assert len(list(ox.parse(buffer.getvalue(), format=RDF_FORMATS[name].ox_format))) == 1


def test_one_person_node_across_articles_with_shorter_names(tmp_path):
    """'Ishaq Dar' in one article and 'Mohammad Ishaq Dar' in another are one node in the queried KG."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.md").write_text("---\ndate: 2024-05-06\n---\nISLAMABAD: Foreign Minister Mohammad Rafiq Dar met "
                                 "Qatari officials in Islamabad on Monday.\n", encoding="utf-8")
    (folder / "b.md").write_text("---\ndate: 2024-05-09\n---\nISLAMABAD: Foreign Minister Rafiq Dar flew to Doha "
                                 "on Thursday for talks with Qatari officials.\n", encoding="utf-8")
    build([folder], tmp_path / "store", jobs=1)
    kg, _ = open_read_only(tmp_path / "store")
    people = {row["p"].value for row in kg.query(
        "SELECT DISTINCT ?p WHERE { ?p a <https://w3id.org/khyber/ontology#Person> }")}
    assert people == {"https://w3id.org/khyber/id/person/mohammad-rafiq-dar"}
    alt = {row["l"].value for row in kg.query(
        "SELECT ?l WHERE { <https://w3id.org/khyber/id/person/mohammad-rafiq-dar> "
        "<http://www.w3.org/2004/02/skos/core#altLabel> ?l }")}
    assert "Rafiq Dar" in alt
    # the named graphs still say what each article printed
    named = {row["p"].value for row in kg.query(
        "SELECT DISTINCT ?p WHERE { GRAPH ?g { ?p a <https://w3id.org/khyber/ontology#Person> } }")}
    assert "https://w3id.org/khyber/id/person/rafiq-dar" in named
