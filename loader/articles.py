"""Reading article files: front matter, JSON, several articles per file, page furniture, title/date/dateline."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from .dates import parse_written_date

TEXT_SUFFIXES = {".txt", ".md"}
JSON_SUFFIXES = {".json", ".jsonl"}
SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ARTICLES_PER_FILE = 10_000
META_FIELDS = ("title", "date", "url", "publisher")


@dataclass
class Article:
    """One news article, cleaned of page furniture, with what is known of its metadata."""

    text: str
    source_file: str
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    publisher: str | None = None
    dateline: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the whitespace-normalised text: the article's identity."""
        normalised = " ".join(self.text.split())
        return hashlib.sha256(normalised.encode("utf-8")).hexdigest()

    @property
    def slug(self) -> str:
        """Stable short id derived from the content, used in the article's IRI."""
        return self.content_hash[:16]


@dataclass
class Rejection:
    """An input that could not become an article, with the reason."""

    source: str
    reason: str


class ArticleError(ValueError):
    """An article file or record that cannot be read; the message says why."""


# ---------------------------------------------------------------- discovery

def find_article_files(paths: Iterable[Path]) -> list[Path]:
    """Article files under the given files/folders, in a stable order."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found.extend(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.exists():
            found.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return sorted(set(found))


def read_articles(path: Path) -> Iterator[Article | Rejection]:
    """Every article in one file, or a Rejection per unreadable file or record."""
    path = Path(path)
    name = path.name
    try:
        raw = _read_text(path)
    except ArticleError as err:
        yield Rejection(name, str(err))
        return
    if path.suffix.lower() in JSON_SUFFIXES:
        yield from _json_articles(raw, name, jsonl=path.suffix.lower() == ".jsonl")
    else:
        yield from text_articles(raw, name)


def _read_text(path: Path) -> str:
    size = path.stat().st_size
    if size == 0:
        raise ArticleError("empty file")
    if size > MAX_FILE_BYTES:
        raise ArticleError(f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise ArticleError("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ArticleError(f"not UTF-8 text (byte {err.start}: {err.reason})") from None


# ---------------------------------------------------------------- JSON

def _json_articles(raw: str, name: str, *, jsonl: bool) -> Iterator[Article | Rejection]:
    records: list[tuple[str, object]] = []
    try:
        if jsonl:
            for number, line in enumerate(raw.splitlines(), 1):
                if line.strip():
                    records.append((f"{name}:{number}", json.loads(line)))
        else:
            data = json.loads(raw)
            items = data if isinstance(data, list) else [data]
            records = [(f"{name}#{i}" if len(items) > 1 else name, item) for i, item in enumerate(items, 1)]
    except RecursionError:
        yield Rejection(name, "JSON nested too deeply")
        return
    except json.JSONDecodeError as err:
        yield Rejection(name, f"invalid JSON: {err}")
        return
    for source, record in records[:MAX_ARTICLES_PER_FILE]:
        try:
            yield _article_from_record(record, source)
        except ArticleError as err:
            yield Rejection(source, str(err))


def _article_from_record(record: object, source: str) -> Article:
    if not isinstance(record, dict):
        raise ArticleError("a JSON article must be an object with a 'text' field")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ArticleError("missing or empty 'text' field")
    meta = {key: record.get(key) for key in META_FIELDS if record.get(key) is not None}
    return _build_article(text, source, meta)


# ---------------------------------------------------------------- text

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_RULE_LINE = re.compile(r"^\s*(?:={3,}|\*\s*\*\s*\*[\s*]*|_{3,}|\f)\s*$")
_TIMESTAMP_LINE = re.compile(r"^\s*(?:Updated|Published|Posted|Last updated)\b[: ]", re.I)


def text_articles(raw: str, name: str) -> Iterator[Article | Rejection]:
    """Split a text file into articles and parse each one's front matter and furniture."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    chunks = [c for c in _split_articles(raw) if c.strip()]
    if not chunks:
        yield Rejection(name, "no article text found")
        return
    for number, chunk in enumerate(chunks[:MAX_ARTICLES_PER_FILE], 1):
        source = f"{name}#{number}" if len(chunks) > 1 else name
        try:
            meta, body = _front_matter(chunk)
            if not body.strip():
                raise ArticleError("article has front matter but no text")
            yield _build_article(body, source, meta)
        except ArticleError as err:
            yield Rejection(source, str(err))
    if len(chunks) > MAX_ARTICLES_PER_FILE:
        yield Rejection(name, f"more than {MAX_ARTICLES_PER_FILE} articles in one file; the rest were skipped")


def _split_articles(raw: str) -> list[str]:
    """Cut a file at explicit separators, front-matter blocks and new story headers."""
    lines = raw.split("\n")
    cuts = [0]
    blank_run = 0
    for i, line in enumerate(lines):
        if not line.strip():
            blank_run += 1
            continue
        if i > 0 and _RULE_LINE.match(line):
            cuts.append(i)
        elif i > 0 and line.strip() == "---" and _is_front_matter_start(lines, i):
            cuts.append(i)
        elif blank_run >= 2 and cuts[-1] < i and _is_story_header(lines, i):
            cuts.append(i)
        blank_run = 0
    cuts.append(len(lines))
    chunks = []
    for start, end in zip(cuts, cuts[1:]):
        chunk_lines = lines[start:end]
        if chunk_lines and _RULE_LINE.match(chunk_lines[0]):
            chunk_lines = chunk_lines[1:]
        chunks.append("\n".join(chunk_lines).strip("\n"))
    return chunks


def _is_front_matter_start(lines: list[str], i: int) -> bool:
    for j in range(i + 1, min(i + 40, len(lines))):
        if lines[j].strip() == "---":
            return j > i + 1
        if lines[j].strip() and not re.match(r"^[A-Za-z_][\w-]*\s*:", lines[j]):
            return False
    return False


def _is_story_header(lines: list[str], i: int) -> bool:
    """A headline-like line whose next few lines carry a page timestamp ("Updated ...")."""
    if not _looks_like_headline(lines[i]):
        return False
    following = [ln for ln in lines[i + 1 : i + 12] if ln.strip()][:5]
    return any(_TIMESTAMP_LINE.match(ln) for ln in following)


def _looks_like_headline(line: str) -> bool:
    text = line.strip()
    words = text.split()
    return 2 <= len(words) <= 30 and not text.endswith((".", ":", ";", ",")) and not text.startswith(("•", "-", "*"))


def _front_matter(chunk: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(chunk.lstrip("\n"))
    if not match:
        return {}, chunk
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as err:
        raise ArticleError(f"front matter is not valid YAML: {str(err).splitlines()[0]}") from None
    if not isinstance(meta, dict):
        raise ArticleError("front matter must be a mapping of fields (title, date, url, publisher)")
    return {k: v for k, v in meta.items() if k in META_FIELDS and v is not None}, chunk.lstrip("\n")[match.end():]


# ---------------------------------------------------------------- furniture, title, date, dateline

_FURNITURE = [
    re.compile(p, re.I)
    for p in (
        r"^short url$",
        r"^follow( us)?$",
        r"^share( this)?( article)?$",
        r"^also read\b.*$",
        r"^read more\b.*$",
        r"^to read more\b.*$",
        r"^download\b.*\bapps?\b.*$",
        r"^.*\b(?:download|get) (?:our|the)\b.*\bapp\b.*$",
        r"^(?:advertisement|sponsored|subscribe\b.*)$",
        r"^(?:photo|image|file photo)\s*(?:credit|courtesy)?\s*:.*$",
        r"^source\s*:.*$",
    )
]
_CAPTION_CREDIT = re.compile(r"\((?:photo|image|file|courtesy|screengrab|reuters|afp|ap\b|x/|@)[^)]*\)\s*$|\([^)]*(?:office|ministry|department|handout|file|courtesy)[^)]*\)\s*$", re.I)
_DATELINE = re.compile(
    r"^(?P<place>(?:[A-Z][A-Za-z'.]+(?:[ /-][A-Z][A-Za-z'.]+)*))"
    r"(?:\s*,\s*(?P<when>[A-Z][a-z]{2,8}\.? \d{1,2}(?:,? \d{4})?))?"
    r"(?:\s*\((?P<agency>[A-Za-z]{2,10})\))?\s*(?::|\s[-–—]\s?)\s*"
)


def _build_article(text: str, source: str, meta: dict) -> Article:
    warnings: list[str] = []
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n")]
    kept: list[str] = []
    header_date: dt.date | None = None
    title = None
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if kept and kept[-1] != "":
                kept.append("")
            continue
        if any(p.match(stripped) for p in _FURNITURE):
            continue
        if _TIMESTAMP_LINE.match(stripped):
            header_date = header_date or parse_written_date(_TIMESTAMP_LINE.sub("", stripped, count=1))
            continue
        if title is None and not kept and _looks_like_headline(stripped):
            title = stripped
            continue
        if title and stripped == title:
            continue  # pages repeat the headline under the timestamp
        if _CAPTION_CREDIT.search(stripped) and not _DATELINE.match(stripped):
            continue
        kept.append(stripped)
    body = "\n".join(kept).strip()
    if not body:
        raise ArticleError("no article text after removing page furniture")
    title = _clean_str(meta.get("title")) or title
    date = _meta_date(meta.get("date"), warnings) or header_date
    url = _clean_url(meta.get("url"), warnings)
    dateline = None
    first_para = next((ln for ln in body.split("\n") if ln and not ln.startswith("•")), "")
    match = _DATELINE.match(first_para)
    if match and _is_dateline_place(match.group("place")):
        dateline = match.group("place").split("/")[0].strip()
        if date is None and match.group("when"):
            date = parse_written_date(match.group("when"))
    return Article(
        text=body,
        source_file=source,
        title=title,
        date=date,
        url=url,
        publisher=_clean_str(meta.get("publisher")),
        dateline=dateline,
        warnings=warnings,
    )


def _is_dateline_place(place: str) -> bool:
    # A dateline is an upper-case place ("ISLAMABAD") or a short Title Case one before a date/agency.
    return place.isupper() or len(place.split()) <= 3


def _clean_str(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _meta_date(value: object, warnings: list[str]) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    parsed = parse_written_date(str(value))
    if parsed is None:
        warnings.append(f"front matter date {str(value)[:40]!r} is not a date; ignored")
    return parsed


_URL_OK = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def _clean_url(value: object, warnings: list[str]) -> str | None:
    if value is None:
        return None
    url = str(value).strip()
    if _URL_OK.match(url):
        return url
    warnings.append(f"url {url[:60]!r} is not a valid http(s) URL; ignored")
    return None
