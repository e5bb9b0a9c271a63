"""A deterministic corpus of hostile article files: broken encodings, binary, HTML soup, deep JSON, bad front
matter, hostile URLs, duplicates, odd file names, too-big files. `write_corpus(folder)` makes it."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

BASE = [
    "ISLAMABAD: Interior Minister Wali Khanzada met US Ambassador Peter Ramsey on Monday. They discussed the "
    "Tehreek-e-Taliban Pakistan (TTP) and border security.",
    "WASHINGTON: The State Department designated the Balochistan Liberation Army as a Foreign Terrorist "
    "Organization on Tuesday, a spokesperson said.",
    "PESHAWAR: A suicide bombing killed 12 people and injured 30 at a police station on Friday. The TTP "
    "claimed responsibility.",
    "KABUL: Officials of Pakistan and Afghanistan held talks in Kabul last week on trade and refugees.",
    "ISLAMABAD: Pakistan and the United States signed a $1.5 billion agreement on counter-terrorism training.",
]
HOSTILE_URLS = [
    "https://example.org/a b", "https://example.org/a>b<c", "https://example.org/x\"y{z}|\\^`",
    "https://example.org/line\nbreak", "https://example.org/tab\there", "http://exa mple.org/",
    "javascript:alert(1)", "file:///etc/passwd", "http://127.0.0.1:9/context", "https://example.org/%zz",
    "https://example.org/\u00fcber/\u4e2d\u6587", "https://example.org/#a#b#c", "//no-scheme.org/x",
    "https://[::1/broken", "https://example.org/" + "a" * 5000, "https://example.org/\u0000nul",
    "https://example.org/\ud800", "<https://example.org/>", "https://ex\u200bample.org/", "",
]
BAD_DATES = ["2024-13-45", "2024-02-30", "31 February 2024", "yesterday", "0000-00-00", "99999-01-01",
             "[2024, 5]", "{a: 1}", "2024-05-06T25:61:00", "-1", "1e309", ".nan", "null", "~", "2024/05/06",
             "May 35, 2024", "\"\"", "!!binary aGVsbG8=", "&a x", "*undefined"]
YAML_ATTACKS = [
    "title: !!python/object/apply:os.system ['echo pwned']",
    "title: !!python/name:os.system",
    "a: &a [x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\ntitle: [*c,*c,*c,*c,*c]",
    "title: " + "[" * 3000, "title: " + "{a: " * 500 + "1" + "}" * 500, "- a\n- b", "just a string",
    "title: 'unterminated", "? [complex, key]\n: value", "title:\n  - nested\n  - list", "title: |\n  multi\n  line",
    "url: " + "x" * 30000, "\t\tbad: indentation\n  x", "title: \"\\ud800 surrogate\"", "%YAML 9.9\n---\ntitle: x",
]
HTML_BITS = ["<p>", "</p>", "<div class='x'>", "</div>", "<script>var a='</p>';</script>", "<style>p{x:y}</style>",
             "<!-- comment -->", "<!--", "<br>", "<b>", "</i>", "<![CDATA[x]]>", "<?php echo 1 ?>", "&amp;", "&#x0;",
             "&#99999999;", "&bogus;", "<a href=\"javascript:x\">", "<img src=x onerror=alert(1)>", "<", ">",
             "<iframe src=//x>", "<noscript>", "<svg><script>x</script></svg>", "<!DOCTYPE html>", "<html>",
             "<head><title>T</title></head>", "<body>", "<td>", "<textarea>", "</script>", "<scr<script>ipt>"]


def _name(rng: random.Random, prefix: str, suffix: str, n: int) -> str:
    return f"{prefix}-{n:04d}{suffix}"


TRAP = "http://127.0.0.1:9"  # where hostile JSON-LD contexts and URLs point; `trap=` redirects it


def write_corpus(folder: Path, *, seed: int = 6, unique_stories: int = 5, trap: str = TRAP) -> list[Path]:
    """Write the corpus into `folder`; returns the file paths (1,000+ files).

    The hostility varies file by file; the article texts that survive come from small pools, so a build
    of the whole corpus processes about a hundred distinct articles (duplicates are detected and skipped).
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []

    def write(name: str, data: bytes | str) -> None:
        path = folder / name
        if isinstance(data, str):
            data = data.replace(TRAP, trap).encode("utf-8", "surrogatepass")
        path.write_bytes(data)
        paths.append(path)

    def story(n: int | None = None) -> str:
        text = rng.choice(BASE)
        return text if n is None else f"{text} Report number {n % unique_stories}."

    # 1. random bytes
    for n in range(100):
        write(_name(rng, "bytes", rng.choice([".txt", ".md", ".json", ".jsonl"]), n),
              bytes(rng.randrange(256) for _ in range(rng.choice([1, 7, 100, 4000]))))
    # 2. random code points, controls and surrogates included (as UTF-8 with surrogatepass: invalid UTF-8)
    junk = []
    for _ in range(100):
        alphabet = [chr(rng.randrange(0x110000)) for _ in range(40)] + list("\x00\x01\x0b\x0c\x1b\x7f\x85\u2028 \n")
        junk.append("".join(rng.choice(alphabet) for _ in range(rng.choice([5, 80, 2000]))))
    for n in range(100):
        write(_name(rng, "unicode", ".txt", n), junk[n] if n % 4 else BASE[0] + "\n" + junk[n % 16])
    # 3. HTML soup around a story
    soups = []
    for n in range(100):
        bits = [rng.choice(HTML_BITS) for _ in range(rng.randrange(3, 60))]
        bits.insert(rng.randrange(len(bits) + 1), BASE[n % len(BASE)])
        soups.append("".join(bits))
    for n in range(100):
        soup = soups[n] if n % 10 == 0 else "<html><body><script>x()</script><p>" + BASE[n % 5] + "</p></body></html>"
        write(_name(rng, "soup", rng.choice([".txt", ".md", ".json"]), n),
              json.dumps({"text": soup}) if n % 3 == 2 else soup)
    # 4. JSON: deep nesting, odd shapes, huge numbers, hostile fields
    shapes = [lambda d: "[" * d + "]" * d, lambda d: '{"a":' * d + "1" + "}" * d,
              lambda d: json.dumps({"text": story(), "title": "x", "n": int("9" * min(d, 6000))}) if d < 4300 else "[" * d,
              lambda d: '{"text": ' + "[" * d + '"x"' + "]" * d + "}", lambda d: "NaN", lambda d: '"just a string"',
              lambda d: "[]", lambda d: "{}", lambda d: '{"text": null}', lambda d: '{"text": "' + "\\ud800" * 10 + '"}',
              lambda d: '{"@context": "http://127.0.0.1:9/ctx", "@id": "file:///etc/passwd", "text": "' + story() + '"}',
              lambda d: json.dumps([{"text": story(), "title": {"a": [1]}, "url": 5, "date": [1, 2]}] * 3),
              lambda d: '{"text": "' + story() + '", "text": 5}', lambda d: "\ufeff" + json.dumps({"text": story()})]
    for n in range(150):
        depth = rng.choice([10, 1000, 50_000, 200_000])
        write(_name(rng, "json", ".json", n), shapes[n % len(shapes)](depth))
    # 5. JSON Lines with good and bad lines mixed
    for n in range(100):
        lines = []
        for _ in range(rng.randrange(1, 8)):
            kind = rng.randrange(5)
            lines.append([json.dumps({"text": story(), "url": rng.choice(HOSTILE_URLS)}), "{broken", "[" * 5000,
                          json.dumps({"title": "no text"}), ""][kind])
        write(_name(rng, "lines", ".jsonl", n), "\n".join(lines))
    # 6. front matter: bad dates, hostile URLs, YAML attacks
    for n in range(200):
        if n % 3 == 0:
            block = rng.choice(YAML_ATTACKS)
        else:
            url = rng.choice(HOSTILE_URLS).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            url = url.replace("\t", "\\t")
            block = f'title: Story {n}\ndate: {rng.choice(BAD_DATES)}\nurl: "{url}"\npublisher: {rng.choice(["X", "[1]", "&a y"])}'
        write(_name(rng, "front", ".md", n), f"---\n{block}\n---\n{story(n)}\n")
    # 7. encodings
    codecs = ["cp1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig", "cp437", "koi8-r", "mac-roman"]
    for n in range(100):
        text = BASE[n % 2] + " Caf\u00e9 \u201cquotes\u201d \u2014 na\u00efve r\u00e9sum\u00e9."
        codec = codecs[n % len(codecs)]
        write(_name(rng, "enc", ".txt", n), text.encode(codec, "replace"))
    # 8. structure: separators, furniture only, front matter only, long lines, many articles
    structures = [
        lambda: "---\n---\n" * 50, lambda: "===\n" * 1000, lambda: "Short Url\nFollow\nAdvertisement\n",
        lambda: "---\ntitle: only front matter\n---\n", lambda: "(" * 100_000 + "\n" + story(),
        lambda: (story() + "\n\n\n") * 50, lambda: "\n\n\n".join(f"Headline number {i}\nUpdated 16 September 2024\n{story()}" for i in range(30)),
        lambda: "\r\n".join([story()] * 5), lambda: "\r" * 1000 + story(), lambda: "\f\n" + story() + "\n\f\n" + story(),
        lambda: "a: b\n" * 5000 + "---\n" * 10, lambda: " " * 100_000 + story(), lambda: "\u202e" + story(),
    ]
    for n in range(100):
        write(_name(rng, "shape", ".txt", n), structures[n % len(structures)]())
    write("many-500.md", "".join(f"---\ntitle: Item {i}\n---\n{BASE[i % len(BASE)]} Item {i % unique_stories}.\n"
                                 for i in range(500)))
    # 9. duplicates of one another
    for n in range(50):
        write(_name(rng, "dup", rng.choice([".txt", ".md"]), n), ("\n" * (n % 3)) + BASE[n % 2] + " " * (n % 4))
    # 10. odd file names
    odd = [b"new\nline", b"caf\xe9", b"tab\there", b"sp ace", b"\xff\xfe", b"emoji-\xf0\x9f\x98\x80", b"dot.",
           b"-dash", b"quote\"s", b"back\\slash"]
    for n in range(50):
        name = os.fsdecode(odd[n % len(odd)] + f"-{n}".encode() + rng.choice([b".txt", b".md"]))
        write(name, story())
    # 11. empty and whitespace-only
    for n in range(20):
        write(_name(rng, "empty", ".txt", n), ["", " ", "\n\n\n", "\t \r\n", "\ufeff"][n % 5])
    # 12. too big: a sparse file over the size limit (never read)
    big = folder / "too-big.txt"
    with open(big, "wb") as handle:
        handle.truncate(100 * 1024 * 1024)
    paths.append(big)
    return paths
