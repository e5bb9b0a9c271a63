"""Reading article files: front matter, JSON, several articles per file, page furniture, title/date/dateline.

Input is untrusted (scraped from anywhere): every file either yields Articles or Rejections with a reason,
never an exception. Limits are checked before work (a file's size before it is read), text is decoded
explicitly (UTF-8, UTF-16 with a byte-order mark, else Windows-1252 with a warning when it reads as text),
HTML is reduced to text by a linear scanner, control characters and lone surrogates are removed, metadata
fields must be scalars, and URLs become valid IRIs (percent-encoded) or are dropped with a warning.
Nothing here fetches anything: JSON is read with `json`, never as JSON-LD, so `@context` means nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox
import yaml

from .dates import parse_written_date

TEXT_SUFFIXES = {".txt", ".md"}
JSON_SUFFIXES = {".json", ".jsonl"}
SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ARTICLES_PER_FILE = 10_000
MAX_ARTICLE_CHARS = 500_000  # ~100 pages; news articles are a few thousand characters
MAX_FRONT_MATTER_CHARS = 20_000
MAX_FIELD_CHARS = 2_000
MAX_URL_CHARS = 2_000
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
    """Every article in one file, or a Rejection per unreadable file or record; never raises."""
    path = Path(path)
    name = display_name(path)
    try:
        raw, warnings = _read_text(path)
    except ArticleError as err:
        yield Rejection(name, str(err))
        return
    except OSError as err:
        yield Rejection(name, f"cannot read the file: {err.strerror or err}")
        return
    try:
        if path.suffix.lower() in JSON_SUFFIXES:
            items = _json_articles(raw, name, jsonl=path.suffix.lower() == ".jsonl")
        else:
            if looks_like_html_document(raw):
                raw = html_to_text(raw)
                warnings.append("HTML page: markup, scripts and styles removed")
            items = text_articles(raw, name)
        for item in items:
            if isinstance(item, Article) and warnings:
                item.warnings[:0] = warnings
            yield item
    except RecursionError:
        yield Rejection(name, "nested too deeply to read")
    except Exception as err:  # noqa: BLE001 - a reader bug must reject one file, not stop the build
        yield Rejection(name, f"could not be read ({type(err).__name__}: {_clip(str(err), 200)})")


def display_name(path: Path) -> str:
    """A file's name as printable text (undecodable bytes in the name become U+FFFD)."""
    return re.sub(r"[\t\n\r]", "\ufffd", _printable(os.fsencode(path.name).decode("utf-8", "replace")))


def _read_text(path: Path) -> tuple[str, list[str]]:
    """The file's text and decoding warnings; rejects by size before reading a byte."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise ArticleError("not a regular file")
    if info.st_size == 0:
        raise ArticleError("empty file")
    if info.st_size > MAX_FILE_BYTES:
        raise ArticleError(f"file is {info.st_size} bytes; the limit is {MAX_FILE_BYTES}")
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat()
    if len(data) > MAX_FILE_BYTES:
        raise ArticleError(f"file is over {MAX_FILE_BYTES} bytes")
    return decode_bytes(data)


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """Decode a file: UTF-8 (BOM optional); UTF-16/32 with a BOM; else Windows-1252 if it reads as text.

    Articles scraped from older sites are often Windows-1252 or Latin-1: rejecting them would lose news,
    so they are decoded, with a warning naming the first invalid UTF-8 byte. Bytes that decode to
    something that is not text (NULs, many control characters, little ASCII) are rejected as binary.
    """
    if not data.strip():
        raise ArticleError("empty file (only whitespace)")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom):].decode(codec)), [f"decoded as {codec.upper()} (byte-order mark)"]
            except UnicodeDecodeError as err:
                raise ArticleError(f"invalid {codec.upper()} text (byte {err.start}: {err.reason})") from None
    if b"\x00" in data:
        raise ArticleError("binary file (contains NUL bytes), not text")
    try:
        return _check_text(data.decode("utf-8-sig")), []
    except UnicodeDecodeError as err:
        position = err.start
    try:
        text, codec = data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        text, codec = data.decode("latin-1"), "Latin-1"  # bytes cp1252 leaves undefined
    ascii_text = sum(1 for ch in text if " " <= ch <= "~" or ch in "\t\n\r")
    if ascii_text < 0.7 * len(text):
        raise ArticleError(f"not text: invalid UTF-8 at byte {position} and mostly non-ASCII as {codec}")
    return _check_text(text), [f"not UTF-8 (invalid byte at {position}); decoded as {codec}"]


def _check_text(text: str) -> str:
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise ArticleError(f"binary data, not text ({controls} control characters)")
    return text


# ---------------------------------------------------------------- JSON

def _json_articles(raw: str, name: str, *, jsonl: bool) -> Iterator[Article | Rejection]:
    """Articles of a JSON file (one object or a list) or a JSON Lines file (each line on its own)."""
    records: list[tuple[str, object]] = []
    if jsonl:
        for number, line in enumerate(raw.splitlines(), 1):
            if line.strip():
                try:
                    records.append((f"{name}:{number}", _load_json(line)))
                except ArticleError as err:
                    records.append((f"{name}:{number}", err))
    else:
        try:
            data = _load_json(raw)
        except ArticleError as err:
            yield Rejection(name, str(err))
            return
        items = data if isinstance(data, list) else [data]
        records = [(f"{name}#{i}" if len(items) > 1 else name, item) for i, item in enumerate(items, 1)]
    if not records:
        yield Rejection(name, "no JSON records found")
    for source, record in records[:MAX_ARTICLES_PER_FILE]:
        if isinstance(record, ArticleError):
            yield Rejection(source, str(record))
            continue
        try:
            yield _article_from_record(record, source)
        except ArticleError as err:
            yield Rejection(source, str(err))
    if len(records) > MAX_ARTICLES_PER_FILE:
        yield Rejection(name, f"more than {MAX_ARTICLES_PER_FILE} articles in one file; the rest were skipped")


def _load_json(text: str) -> object:
    try:
        return json.loads(text)
    except RecursionError:
        raise ArticleError("JSON nested too deeply") from None
    except ValueError as err:  # JSONDecodeError, and e.g. integers beyond Python's digit limit
        raise ArticleError(f"invalid JSON: {_clip(str(err), 200)}") from None


def _article_from_record(record: object, source: str) -> Article:
    if not isinstance(record, dict):
        raise ArticleError("a JSON article must be an object with a 'text' field")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ArticleError("missing or empty 'text' field")
    meta = {key: record.get(key) for key in META_FIELDS if record.get(key) is not None}
    warnings = []
    if looks_like_html(text):
        text = html_to_text(text)
        warnings.append("HTML markup removed from the text")
    return _build_article(text, source, meta, warnings)


# ---------------------------------------------------------------- text

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_RULE_LINE = re.compile(r"^\s*(?:={3,}|\*\s*\*\s*\*[\s*]*|_{3,}|\f)\s*$")
_TIMESTAMP_LINE = re.compile(r"^\s*(?:Updated|Published|Posted|Last updated)\b[: ]", re.I)
_KEY_LINE = re.compile(r"^[A-Za-z_][\w-]*\s*:")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser: same safe types, 5x faster
_SHORT_LINE = 400  # furniture, captions and timestamps are short; long lines are never tested against them


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
            warnings = []
            if looks_like_html(body):
                body = html_to_text(body)
                warnings.append("HTML markup removed from the text")
            yield _build_article(body, source, meta, warnings)
        except ArticleError as err:
            yield Rejection(source, str(err))
    if len(chunks) > MAX_ARTICLES_PER_FILE:
        yield Rejection(name, f"more than {MAX_ARTICLES_PER_FILE} articles in one file; the rest were skipped")


def _split_articles(raw: str) -> list[str]:
    """Cut a file at explicit separators, front-matter blocks and new story headers."""
    lines = raw.split("\n")
    closes = _front_matter_closes(lines)
    cuts = [0]
    blank_run = 0
    for i, line in enumerate(lines):
        is_rule = len(line) < _SHORT_LINE and (line.strip() or "\f" in line) and _RULE_LINE.match(line)
        if not line.strip() and not is_rule:  # a form feed alone is a page break, not a blank line
            blank_run += 1
            continue
        if i > 0 and is_rule:
            cuts.append(i)
        elif i > 0 and closes[i]:
            cuts.append(i)
        elif blank_run >= 2 and cuts[-1] < i and _is_story_header(lines, i):
            cuts.append(i)
        blank_run = 0
    cuts.append(len(lines))
    chunks = []
    for start, end in zip(cuts, cuts[1:]):
        chunk_lines = lines[start:end]
        if chunk_lines and len(chunk_lines[0]) < _SHORT_LINE and _RULE_LINE.match(chunk_lines[0]):
            chunk_lines = chunk_lines[1:]
        chunks.append("\n".join(chunk_lines).strip("\n"))
    return chunks


def _front_matter_closes(lines: list[str]) -> list[bool]:
    """For each line: is it a `---` opening a front-matter block (key lines, then `---` within 40 lines)?

    A backward pass finds each `---`'s candidate closing line, a forward pass keeps the blocks that do not
    overlap (a block's closing `---` never opens another): linear, whatever the file holds.
    """
    n = len(lines)
    close_of = [-1] * n
    next_stop = n  # index of the nearest following line that is `---` or neither blank nor `key:`
    for i in range(n - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped == "---":
            j = next_stop
            if i + 1 < j < min(n, i + 40) and lines[j].strip() == "---":
                close_of[i] = j
            next_stop = i
        elif stripped and not _KEY_LINE.match(stripped[:200]):
            next_stop = i
    starts = [False] * n
    i = 0
    while i < n:
        if close_of[i] >= 0:
            starts[i] = True
            i = close_of[i] + 1
        else:
            i += 1
    return starts


def _is_story_header(lines: list[str], i: int) -> bool:
    """A headline-like line whose next few lines carry a page timestamp ("Updated ...")."""
    if not _looks_like_headline(lines[i]):
        return False
    following = [ln for ln in lines[i + 1 : i + 12] if ln.strip()][:5]
    return any(_TIMESTAMP_LINE.match(ln[:100]) for ln in following)


def _looks_like_headline(line: str) -> bool:
    text = line.strip()
    if len(text) > _SHORT_LINE:
        return False
    words = text.split()
    return 2 <= len(words) <= 30 and not text.endswith((".", ":", ";", ",")) and not text.startswith(("•", "-", "*"))


def _front_matter(chunk: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(chunk.lstrip("\n"))
    if not match:
        return {}, chunk
    block = match.group(1)
    if len(block) > MAX_FRONT_MATTER_CHARS:
        raise ArticleError(f"front matter is {len(block)} characters; the limit is {MAX_FRONT_MATTER_CHARS}")
    try:
        meta = yaml.load(block, Loader=_YAML_LOADER) or {}
    except yaml.YAMLError as err:
        raise ArticleError(f"front matter is not valid YAML: {_clip(str(err).splitlines()[0], 200)}") from None
    except RecursionError:
        raise ArticleError("front matter is nested too deeply") from None
    except (ValueError, TypeError, OverflowError) as err:  # e.g. `date: 2024-13-45` fails inside PyYAML
        raise ArticleError(f"front matter has an impossible value: {_clip(str(err), 200)}") from None
    if not isinstance(meta, dict):
        raise ArticleError("front matter must be a mapping of fields (title, date, url, publisher)")
    return {k: v for k, v in meta.items() if k in META_FIELDS and v is not None}, chunk.lstrip("\n")[match.end():]


# ---------------------------------------------------------------- HTML

_HTML_DOCUMENT = re.compile(r"\A\s*(?:<!--.*?-->\s*)?<(?:!doctype\s+html|html\b|head\b|body\b)", re.I | re.S)
_HTML_TAG_NAMES = (
    "html|head|body|div|p|br|span|a|script|style|table|tr|td|li|ul|ol|h[1-6]|meta|link|iframe|noscript|"
    "article|section|header|footer|nav|img|figure|figcaption|strong|em|b|i|blockquote|form|input|button"
)
_HTML_TAG = re.compile(rf"</?(?:{_HTML_TAG_NAMES})\b[^<>]{{0,2000}}>", re.I)
_HTML_TOKEN = re.compile(r"<!--|<[!?]|<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*>")
_SKIP_CONTENT = {"script", "style", "noscript", "template", "svg", "iframe", "object", "textarea", "select"}
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "header",
          "footer", "blockquote", "figure", "figcaption", "ul", "ol", "table", "title", "hr", "pre", "main", "nav"}


def looks_like_html_document(text: str) -> bool:
    """Whether a whole file is an HTML page (starts with a doctype/html/head/body tag)."""
    return bool(_HTML_DOCUMENT.match(text[:5000]))


def looks_like_html(text: str) -> bool:
    """Whether text carries HTML markup (a page, or tag soup pasted into a field): three or more known tags."""
    count = 0
    for _ in _HTML_TAG.finditer(text):
        count += 1
        if count >= 3:
            return True
    return looks_like_html_document(text)


def html_to_text(markup: str) -> str:
    """The visible text of HTML (tags dropped, script/style content dropped, entities decoded).

    A linear scanner: the standard library's HTMLParser takes quadratic time on unclosed comments and
    declarations (minutes for a megabyte), which a hostile page would use.
    """
    lower = markup.lower()
    out: list[str] = []
    i, n = 0, len(markup)
    while i < n:
        token = _HTML_TOKEN.search(markup, i)
        if token is None:
            out.append(markup[i:])
            break
        out.append(markup[i : token.start()])
        if token.group(0) == "<!--":
            end = markup.find("-->", token.end())
            i = n if end < 0 else end + 3
            continue
        if token.group(0) in ("<!", "<?"):  # doctype, CDATA, processing instruction
            end = markup.find(">", token.end())
            i = n if end < 0 else end + 1
            continue
        name = token.group(2).lower()
        i = token.end()
        if not token.group(1) and name in _SKIP_CONTENT and not token.group(0).endswith("/>"):
            close = lower.find(f"</{name}", i)
            end = markup.find(">", close) if close >= 0 else -1
            i = n if end < 0 else end + 1
        elif name in _BLOCK:
            out.append("\n\n" if name not in ("br", "li", "tr") else "\n")
    text = html.unescape("".join(out))
    text = re.sub(r"[ \t\xa0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


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
# Characters no RDF literal should carry: C0/C1 controls (XML 1.0 forbids them in results), lone
# surrogates (JSON "\ud800" escapes; they cannot be encoded as UTF-8) and the non-characters U+FFFE/U+FFFF.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _build_article(text: str, source: str, meta: dict, warnings: list[str] | None = None) -> Article:
    warnings = list(warnings or [])
    text, removed = _UNSAFE_CHARS.subn("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if removed:
        warnings.append(f"{removed} control or invalid characters removed")
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleError(f"article text is {len(text)} characters; the limit is {MAX_ARTICLE_CHARS}")
    lines = [ln.rstrip() for ln in text.split("\n")]
    kept: list[str] = []
    header_date: dt.date | None = None
    title = None
    meta_title = _meta_str(meta, "title", warnings)
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if kept and kept[-1] != "":
                kept.append("")
            continue
        short = len(stripped) <= _SHORT_LINE
        if short and any(p.match(stripped) for p in _FURNITURE):
            continue
        if short and _TIMESTAMP_LINE.match(stripped):
            header_date = header_date or parse_written_date(_TIMESTAMP_LINE.sub("", stripped, count=1))
            continue
        if short and not kept and _is_date_line(stripped):
            header_date = header_date or parse_written_date(stripped)  # a bare "12 August 2024" under the title
            continue
        if title is None and not kept and _looks_like_headline(stripped) and not _opens_with_dateline(stripped):
            title = stripped
            if meta_title is None or _same_text(title, meta_title):
                continue
            # front matter names the title: a different first line is text, not a headline to drop
        if title and stripped == title:
            continue  # pages repeat the headline under the timestamp
        if short and _CAPTION_CREDIT.search(stripped) and not _DATELINE.match(stripped):
            continue
        kept.append(stripped)
    body = "\n".join(kept).strip()
    if not body:
        raise ArticleError("no article text after removing page furniture")
    title = meta_title or title
    date = _meta_date(meta.get("date"), warnings) or header_date
    url = _clean_url(meta.get("url"), warnings)
    dateline = None
    first_para = next((ln for ln in body.split("\n") if ln and not ln.startswith("•")), "")
    match = _DATELINE.match(first_para[:200])
    if match and _is_dateline_place(match.group("place")):
        dateline = match.group("place").split("/")[0].strip()
        if date is None and match.group("when"):
            date = parse_written_date(match.group("when"))
    return Article(
        text=body,
        source_file=_printable(source),
        title=title,
        date=date,
        url=url,
        publisher=_meta_str(meta, "publisher", warnings),
        dateline=dateline,
        warnings=warnings,
    )


def _opens_with_dateline(line: str) -> bool:
    """'ISLAMABAD: ...' opens a story's first paragraph; it is never a headline."""
    match = _DATELINE.match(line[:200])
    return bool(match) and match.group("place").isupper() and len(match.group("place")) > 2


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _is_date_line(line: str) -> bool:
    """A header line that is only a date ('12 August 2024', 'Monday, 12 August 2024 10:15 PKT')."""
    parsed = parse_written_date(line)
    return parsed is not None and len(line.split()) <= 8 and not line.rstrip().endswith(".")


def _is_dateline_place(place: str) -> bool:
    # A dateline is an upper-case place ("ISLAMABAD") or a short Title Case one before a date/agency.
    return place.isupper() or len(place.split()) <= 3


def _printable(text: str) -> str:
    return _UNSAFE_CHARS.sub("\ufffd", text)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clean_str(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(_UNSAFE_CHARS.sub("", str(value)).split())
    return text or None


def _meta_str(meta: dict, key: str, warnings: list[str]) -> str | None:
    """A metadata field as one line of text; lists, mappings and other non-scalars are dropped with a warning."""
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float, dt.date)):
        warnings.append(f"{key} is a {type(value).__name__}, not text; ignored")
        return None
    if isinstance(value, int) and abs(value) > 10**100:
        warnings.append(f"{key} is an enormous number; ignored")
        return None
    text = _clean_str(value)
    if text and len(text) > MAX_FIELD_CHARS:
        warnings.append(f"{key} is {len(text)} characters; cut to {MAX_FIELD_CHARS}")
        text = text[:MAX_FIELD_CHARS]
    return text


def _meta_date(value: object, warnings: list[str]) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or isinstance(value, bool):
        warnings.append(f"date is a {type(value).__name__}, not a date; ignored")
        return None
    parsed = parse_written_date(value[:100])
    if parsed is None:
        warnings.append(f"date {_clip(_printable(value), 40)!r} is not a date; ignored")
    return parsed


# RFC 3987 iunreserved / sub-delims / gen-delims that may appear unencoded in a path, query or fragment.
_IRI_SAFE = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/?#%]")
_HOST_OK = re.compile(r"^[\w.\-~!$&'()*+,;=:@\[\]%]+$")
_PERCENT_OK = re.compile(r"%(?![0-9A-Fa-f]{2})")


def clean_iri(value: str) -> str:
    """An http(s) URL as a valid IRI, else ArticleError.

    Tabs and newlines are removed (as browsers' URL parsers do: scrapers wrap long URLs); spaces, `<`, `>`,
    quotes, braces, controls and non-ASCII characters in the path, query and fragment are percent-encoded;
    the result must pass Oxigraph's IRI parser, so every dump writes and re-reads it.
    """
    url = re.sub(r"[\t\n\r]", "", value).strip()
    if len(url) > MAX_URL_CHARS:
        raise ArticleError(f"URL is {len(url)} characters long")
    match = re.match(r"^(https?)://([^/?#]*)(.*)$", url, re.I | re.S)
    if not match:
        raise ArticleError("not an http(s) URL")
    scheme, host, rest = match.groups()
    if not host or not _HOST_OK.match(host) or _UNSAFE_CHARS.search(host):
        raise ArticleError("no valid host name")
    rest = _PERCENT_OK.sub("%25", rest)
    rest = "".join(ch if _IRI_SAFE.match(ch) else "".join(f"%{b:02X}" for b in ch.encode("utf-8", "replace"))
                   for ch in rest)
    if rest.count("#") > 1:  # only one fragment separator is allowed
        head, _, fragment = rest.partition("#")
        rest = head + "#" + fragment.replace("#", "%23")
    iri = f"{scheme.lower()}://{host}{rest}"
    try:
        ox.NamedNode(iri)
    except ValueError as err:
        raise ArticleError(f"not a valid IRI ({err})") from None
    return iri


def _clean_url(value: object, warnings: list[str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        warnings.append(f"url is a {type(value).__name__}, not text; ignored")
        return None
    try:
        iri = clean_iri(value)
    except ArticleError as err:
        warnings.append(f"url {_clip(_printable(value), 60)!r} ignored: {err}")
        return None
    if iri != value.strip():
        warnings.append(f"url {_clip(_printable(value), 60)!r} percent-encoded to a valid IRI")
    return iri
