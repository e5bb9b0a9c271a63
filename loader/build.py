"""Building the store from article files: incremental, parallel, all-or-nothing per build."""

from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable

from .articles import Article, Rejection, find_article_files, read_articles
from .namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH, inferred_graph
from .pipeline import ArticleResult, process_article, warm
from .resources import ontology_graph, reference_graph
from .store import NewBuild, build_lock

DEFAULT_ARTICLES = Path("data/articles")


@dataclass
class BuildReport:
    """What a build did: counts, rejections with reasons, timings."""

    store: str
    build: str = ""
    files: int = 0
    articles_seen: int = 0
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    triples_asserted: int = 0
    triples_inferred: int = 0
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 when every article loaded, 1 when some were rejected."""
        return 1 if self.rejected else 0


def build(
    paths: Iterable[Path] = (DEFAULT_ARTICLES,),
    store_dir: Path = Path("var/khyber-store"),
    *,
    jobs: int | None = None,
    prune: bool = False,
    progress: bool = False,
    backend=None,
    emit_nquads: Path | None = None,
) -> BuildReport:
    """Load the articles under `paths` into the store; returns the report (also written to the store).

    `backend` (a `loader.backends.SparqlBackend`) loads into a SPARQL server instead of the embedded
    store (`store_dir` then only holds the reports); `emit_nquads` also writes every stored graph
    as an N-Quads file into that folder.
    """
    started = time.perf_counter()
    store_dir = Path(store_dir)
    report = BuildReport(store=str(store_dir))
    files = find_article_files([Path(p) for p in paths])
    report.files = len(files)
    articles = _read_all(files, report)
    with build_lock(store_dir):
        new = backend.begin() if backend is not None else NewBuild(store_dir)
        if emit_nquads is not None:
            from .backends import NQuadsEmitter

            new = NQuadsEmitter(new, Path(emit_nquads))
        try:
            report.build = new.build_id
            todo = _plan(new, articles, report, prune=prune)
            for result in _process(todo, jobs=jobs, progress=progress):
                _apply(new, result, report)
            new.replace_graph(ONTOLOGY_GRAPH, ontology_graph())
            new.replace_graph(REFERENCE_GRAPH, reference_graph())
            new.commit()
        except BaseException:
            new.abort()
            raise
    report.seconds = round(time.perf_counter() - started, 3)
    _write_report(store_dir, report)
    return report


def _read_all(files: list[Path], report: BuildReport) -> list[Article]:
    articles: list[Article] = []
    seen: dict[str, str] = {}
    for path in files:
        for item in read_articles(path):
            if isinstance(item, Rejection):
                report.rejected.append({"source": item.source, "reason": item.reason})
                continue
            report.articles_seen += 1
            report.warnings.extend(f"{item.source_file}: {w}" for w in item.warnings)
            if item.content_hash in seen:
                report.duplicates.append(f"{item.source_file} duplicates {seen[item.content_hash]}")
                continue
            seen[item.content_hash] = item.source_file
            articles.append(item)
    return articles


def _plan(new: NewBuild, articles: list[Article], report: BuildReport, *, prune: bool) -> list[Article]:
    """Which articles need processing; drops graphs of changed (and, with prune, vanished) articles."""
    manifest = new.manifest.articles
    incoming = {a.content_hash: a for a in articles}
    by_source = {a.source_file: a.content_hash for a in articles}
    for content_hash, entry in list(manifest.items()):
        if content_hash in incoming:
            continue
        replaced = by_source.get(entry["source_file"]) is not None
        if replaced or prune:
            new.remove_graph(entry["graph"])
            new.remove_graph(entry["inferred"])
            del manifest[content_hash]
            (report.replaced if replaced else report.removed).append(entry["source_file"])
    todo = []
    for article in articles:
        if article.content_hash in manifest:
            report.unchanged.append(article.source_file)
        else:
            todo.append(article)
    return todo


def _process(articles: list[Article], *, jobs: int | None, progress: bool):
    """Process articles, in parallel across cores when there are several."""
    jobs = jobs or os.cpu_count() or 1
    bar = _progress(len(articles)) if progress else None
    if jobs <= 1 or len(articles) < 4:
        results = map(_safe_process, articles)
        for result in results:
            bar and bar.update(1)
            yield result
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=warm) as pool:  # caches once per worker
            for result in pool.map(_safe_process, articles, chunksize=4):
                bar and bar.update(1)
                yield result
    bar and bar.close()


def _progress(total: int):
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="article", file=sys.stderr, disable=total < 20)


def _safe_process(article: Article) -> ArticleResult | tuple[Article, str]:
    """Process one article; an unexpected error rejects that article, not the build."""
    try:
        return process_article(article)
    except RecursionError:
        return (article, "article too deeply nested to process")
    except Exception as err:  # noqa: BLE001 - one bad article must not stop the others
        return (article, f"internal error while extracting: {type(err).__name__}: {err}")


def _apply(new: NewBuild, result, report: BuildReport) -> None:
    if isinstance(result, tuple):
        article, reason = result
        report.rejected.append({"source": article.source_file, "reason": reason})
        return
    article = result.article
    if not result.conforms:
        report.rejected.append({"source": article.source_file, "reason": "SHACL violations",
                                "violations": result.violations[:50]})
        return
    try:
        new.replace_graph(result.iri, result.graph)
        new.replace_graph(inferred_graph(result.iri), result.inferred)
    except ValueError as err:  # a graph Oxigraph cannot hold rejects this article, not the build
        new.remove_graph(result.iri)
        new.remove_graph(inferred_graph(result.iri))
        report.rejected.append({"source": article.source_file, "reason": f"cannot be stored: {err}"})
        return
    new.manifest.articles[article.content_hash] = {
        "source_file": article.source_file,
        "graph": str(result.iri),
        "inferred": str(inferred_graph(result.iri)),
        "title": article.title,
    }
    report.loaded.append(article.source_file)
    report.warnings.extend(f"{article.source_file}: {w}" for w in article.warnings if w.startswith("extraction of"))
    report.triples_asserted += len(result.graph)
    report.triples_inferred += len(result.inferred)


def _write_report(store_dir: Path, report: BuildReport) -> None:
    reports = store_dir / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    text = json.dumps(asdict(report), indent=1)
    (reports / f"build-{report.build}.json").write_text(text)
    (reports / "last-build.json").write_text(text)
