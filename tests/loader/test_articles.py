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
    [(b"", "empty"), (b"\x00\x01binary", "binary"), (b"caf\xe9 latin-1", "UTF-8")],
)
def test_unreadable_files_are_rejected_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    (item,) = list(read_articles(path))
    assert isinstance(item, Rejection) and reason in item.reason


def test_article_identity_comes_from_content():
    a = Article(text="Same   text.", source_file="a.txt")
    b = Article(text="Same text.", source_file="b.txt")
    assert a.slug == b.slug and len(a.slug) == 16
