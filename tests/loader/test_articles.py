"""Reading article files: splitting, front matter, JSON, furniture and rejections."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from loader.articles import Article, Rejection, read_articles

TWO_STORIES = """First headline about talks

Short Url
Updated 16 September 2024
Follow

First headline about talks

ISLAMABAD: Officials met on Monday to discuss security.

Second paragraph of the first story.


Second story headline here

Updated 03 February 2026
Follow

KABUL: Something else happened on Tuesday.
"""


def _read(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return list(read_articles(path))


def test_file_with_two_stories_is_split_with_titles_dates_and_datelines(tmp_path):
    items = _read(tmp_path, "two.txt", TWO_STORIES)
    assert [type(i) for i in items] == [Article, Article]
    first, second = items
    assert (first.source_file, second.source_file) == ("two.txt#1", "two.txt#2")
    assert first.title == "First headline about talks"
    assert first.date == dt.date(2024, 9, 16) and second.date == dt.date(2026, 2, 3)
    assert (first.dateline, second.dateline) == ("ISLAMABAD", "KABUL")
    assert "Short Url" not in first.text and "Follow" not in first.text
    assert first.text.count("First headline") == 0  # the repeated headline is furniture


def test_front_matter_gives_metadata(tmp_path):
    text = "---\ntitle: A title\ndate: 2025-03-02\nurl: https://example.org/a\npublisher: Example\n---\nBody text here.\n"
    (article,) = _read(tmp_path, "fm.md", text)
    assert (article.title, article.date, article.url, article.publisher) == (
        "A title", dt.date(2025, 3, 2), "https://example.org/a", "Example")


def test_bad_front_matter_url_and_date_are_dropped_with_warnings(tmp_path):
    text = "---\ntitle: T\ndate: not a date\nurl: http://exa mple.org/>x\n---\nBody text here.\n"
    (article,) = _read(tmp_path, "bad.md", text)
    assert article.url is None and article.date is None
    assert len(article.warnings) == 2


def test_invalid_yaml_front_matter_rejects_only_that_article(tmp_path):
    text = "---\ntitle: [unclosed\n---\nBody.\n"
    (item,) = _read(tmp_path, "yaml.md", text)
    assert isinstance(item, Rejection) and "YAML" in item.reason


def test_jsonl_records_each_become_articles_and_bad_records_are_rejected(tmp_path):
    lines = [json.dumps({"text": "Story one.", "title": "One"}), json.dumps({"title": "no text"}), "{broken"]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    items = list(read_articles(path))
    assert isinstance(items[0], Article) and items[0].title == "One"
    assert isinstance(items[1], Rejection) and "text" in items[1].reason
    path.write_text("\n".join(lines), encoding="utf-8")
    assert any(isinstance(i, Rejection) and "invalid JSON" in i.reason for i in read_articles(path))


@pytest.mark.parametrize(
    "content, reason",
    [(b"", "empty"), (b" \n\t\n", "empty"), (b"\x00\x01binary", "binary"),
     (bytes(range(256)) * 40, "binary"), (b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f text" * 10, "binary"),
     (b"\x8f\xa0\xe9\xff\xfe\xc3" * 100, "not text"), (b"\xff\xfeA\x00\x00\xd8", "UTF-16")],
)
def test_unreadable_files_are_rejected_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    (item,) = list(read_articles(path))
    assert isinstance(item, Rejection) and reason in item.reason and item.source == "bad.txt"


def test_article_identity_comes_from_content():
    a = Article(text="Same   text.", source_file="a.txt")
    b = Article(text="Same text.", source_file="b.txt")
    assert a.slug == b.slug and len(a.slug) == 16


# ---------------------------------------------------------------- hostile input (issue 6)

BODY = "ISLAMABAD: Officials of Pakistan and the United States met on Monday to discuss security."


def test_windows_1252_text_is_decoded_with_a_warning(tmp_path):
    path = tmp_path / "cp.txt"
    path.write_bytes(f"{BODY} The caf\u00e9 \u201cquote\u201d \u2014 dash.".encode("cp1252"))
    (article,) = list(read_articles(path))
    assert isinstance(article, Article)
    assert "caf\u00e9 \u201cquote\u201d \u2014 dash" in article.text
    assert any("not UTF-8" in w and "Windows-1252" in w for w in article.warnings)


def test_utf16_with_byte_order_mark_is_decoded(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes(BODY.encode("utf-16"))
    (article,) = list(read_articles(path))
    assert article.text == BODY and any("UTF-16" in w for w in article.warnings)


def test_huge_file_is_rejected_by_size_without_being_read(tmp_path):
    import time
    import tracemalloc

    path = tmp_path / "huge.txt"
    block = (BODY + "\n\n").encode() * 1000
    with open(path, "wb") as handle:
        while handle.tell() < 100 * 1024 * 1024:
            handle.write(block)
    tracemalloc.start()
    started = time.perf_counter()
    items = list(read_articles(path))
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(items) == 1 and isinstance(items[0], Rejection) and "limit" in items[0].reason
    assert peak < 1024 * 1024 and elapsed < 1.0  # the 100 MB were never read


def test_html_page_becomes_its_visible_text(tmp_path):
    page = ("<!DOCTYPE html><html><head><title>Talks in Islamabad</title><style>p { color: red }</style>"
            "<script>var x = '<p>ISLAMABAD: fake</p>'; document.write(x);</script></head><body>"
            "<nav><a href='/'>Home</a></nav><p>" + BODY + "</p><p>They agreed to meet again &amp; talk.</p>"
            "<!-- tracking --><noscript><img src=x></noscript><div>Second paragraph<br>continues.</div></body></html>")
    (article,) = _read(tmp_path, "page.txt", page)
    assert isinstance(article, Article)
    assert BODY in article.text and "They agreed to meet again & talk." in article.text
    for junk in ("<", "color: red", "document.write", "fake", "tracking"):
        assert junk not in article.text
    assert article.dateline is None or article.dateline == "ISLAMABAD"
    assert any("HTML" in w for w in article.warnings)


def test_html_soup_in_a_json_text_field_is_stripped(tmp_path):
    record = {"text": "<div><p>" + BODY + "</p><script>alert(1)</script><p>More <b>text</b>.</p></div>"}
    (article,) = _read(tmp_path, "soup.json", json.dumps(record))
    assert BODY in article.text and "alert" not in article.text and "<" not in article.text


@pytest.mark.parametrize("markup", ["<!--" * 200_000, "<!x " * 200_000, "<script>" + "a<b" * 200_000,
                                    "<" * 1_000_000, "<a " + 'b="c" ' * 200_000, "<p>x" * 200_000],
                         ids=["comments", "declarations", "script", "lt", "attributes", "tags"])
def test_pathological_html_is_handled_in_linear_time(markup):
    import time

    from loader.articles import html_to_text

    started = time.perf_counter()
    html_to_text(markup)
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_rejected_not_a_crash(tmp_path, depth):
    for name, content in (("deep.json", "[" * depth + "]" * depth),
                          ("deep.jsonl", json.dumps({"text": BODY}) + "\n" + '{"a":' * depth + "1" + "}" * depth)):
        items = _read(tmp_path, name, content)
        assert all(isinstance(i, (Article, Rejection)) for i in items)
        assert any(isinstance(i, Rejection) for i in items)
        assert name != "deep.jsonl" or isinstance(items[0], Article)


@pytest.mark.parametrize(
    "front_matter, problem", ids=["bad-date", "deep", "billion-laughs", "python-tag", "list"], argvalues=
    [("date: 2024-13-45", "impossible"),                 # PyYAML raises ValueError, not YAMLError
     ("title: " + "[" * 5000, "front matter"),
     ("a: &a [1,2,3,4,5,6,7,8,9]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ntitle: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]", None),  # a billion laughs
     ("title: !!python/object/apply:os.system ['echo pwned']", "YAML"),
     ("- just\n- a list", "mapping")],
)
def test_hostile_front_matter_never_crashes(tmp_path, front_matter, problem):
    (item,) = _read(tmp_path, "fm.md", f"---\n{front_matter}\n---\n{BODY}\n")
    if problem is None:
        assert isinstance(item, Article) and item.title is None and any("title" in w for w in item.warnings)
    else:
        assert isinstance(item, Rejection) and problem in item.reason


@pytest.mark.parametrize(
    "url, expected",
    [("https://example.org/a b>c", "https://example.org/a%20b%3Ec"),
     ('"https://example.org/long-\\npath?q=<x>"', "https://example.org/long-path?q=%3Cx%3E"),
     ("https://example.org/\u00fcber#a#b", "https://example.org/%C3%BCber#a%23b"),
     ("https://example.org/100%", "https://example.org/100%25"),
     ("https://exa mple.org/", None), ("javascript:alert(1)", None), ("file:///etc/passwd", None),
     ("[1, 2]", None), ("http://", None)],
)
def test_front_matter_urls_become_valid_iris_or_are_dropped(tmp_path, url, expected):
    import pyoxigraph as ox

    (article,) = _read(tmp_path, "u.md", f"---\nurl: {url}\n---\n{BODY}\n")
    assert article.url == expected
    if expected:
        ox.NamedNode(article.url)
        if expected != url:
            assert any("percent-encoded" in w for w in article.warnings)
    else:
        assert any("url" in w for w in article.warnings)


def test_bad_dates_in_front_matter_are_warnings(tmp_path):
    for value in ("31 February 2024", "yesterday", "9999999999", "[2024]", "2024-02-30"):
        (item,) = _read(tmp_path, "d.md", f"---\ndate: {value}\n---\n{BODY}\n")
        assert isinstance(item, (Article, Rejection))
        if isinstance(item, Article):
            assert item.date is None and item.warnings


def test_control_characters_and_lone_surrogates_are_removed(tmp_path):
    record = {"text": BODY + " Bell\u0007 vt\u000b ff\u000c nul-free\u0085 \ud800 end.", "title": "T\u0000itle\udfff"}
    (article,) = _read(tmp_path, "ctl.json", json.dumps(record))
    article.text.encode("utf-8")  # no lone surrogates left
    assert "Bell vt ff nul-free  end." in article.text and article.title == "Title"
    assert any("control" in w for w in article.warnings)


def test_undecodable_file_name_is_reported_printably(tmp_path):
    import os

    path = tmp_path / os.fsdecode(b"caf\xe9-\n.txt")
    path.write_text(BODY, encoding="utf-8")
    (article,) = list(read_articles(path))
    article.source_file.encode("utf-8")
    assert "\n" not in article.source_file and article.source_file.startswith("caf")


def test_a_file_of_500_articles_is_split_into_500(tmp_path):
    parts = [f"---\ntitle: Story {i}\ndate: 2024-05-{i % 28 + 1:02d}\n---\nISLAMABAD: Story number {i} happened.\n"
             for i in range(500)]
    items = _read(tmp_path, "many.md", "".join(parts))
    assert len(items) == 500 and all(isinstance(i, Article) for i in items)
    assert [i.title for i in items] == [f"Story {i}" for i in range(500)]
    assert items[499].source_file == "many.md#500" and "number 499" in items[499].text


def test_long_lines_and_many_separators_stay_fast(tmp_path):
    import time

    contents = {
        "paren.txt": BODY + "\n" + "(" * 300_000 + "\n",
        "keys.txt": "---\n" + "a: 1\n---\n" * 100_000,
        "rules.txt": (BODY + "\n===\n") * 20_000,
        "capital.txt": "ISLAMABAD " + "Aa " * 200_000 + "\n" + BODY,
    }
    for name, content in contents.items():
        started = time.perf_counter()
        items = _read(tmp_path, name, content)
        assert items and time.perf_counter() - started < 5.0, name


def test_oversized_article_text_is_rejected(tmp_path):
    from loader.articles import MAX_ARTICLE_CHARS

    (item,) = _read(tmp_path, "big.json", json.dumps({"text": "word " * (MAX_ARTICLE_CHARS // 4)}))
    assert isinstance(item, Rejection) and "limit" in item.reason


def test_json_with_oversized_integer_or_wrong_shapes_is_rejected_per_record(tmp_path):
    items = _read(tmp_path, "n.json", '{"text": "x", "n": ' + "9" * 5000 + "}")
    assert len(items) == 1 and isinstance(items[0], Rejection)
    items = _read(tmp_path, "shapes.json", json.dumps([{"text": BODY, "title": {"a": 1}, "url": 5, "date": [1]},
                                                       "string", None, {"text": 42}]))
    assert isinstance(items[0], Article) and items[0].title is None and len(items[0].warnings) == 3
    assert [type(i) for i in items[1:]] == [Rejection] * 3


def test_json_ld_context_is_never_fetched(tmp_path):
    """A JSON article is data for the reader, never JSON-LD: its @context is not dereferenced."""
    import socket

    record = {"@context": "http://127.0.0.1:9/context.jsonld", "@id": "file:///etc/passwd", "text": BODY}
    opened = []
    original = socket.socket.connect

    def spy(self, address):
        opened.append(address)
        return original(self, address)

    socket.socket.connect = spy
    try:
        (article,) = _read(tmp_path, "ld.json", json.dumps(record))
    finally:
        socket.socket.connect = original
    assert isinstance(article, Article) and opened == []


def test_form_feed_page_breaks_separate_articles():
    from loader.articles import text_articles

    items = list(text_articles("Officials met in Islamabad.\n\f\nTroops moved to the border.", "ff.txt"))
    assert [i.text for i in items] == ["Officials met in Islamabad.", "Troops moved to the border."]
