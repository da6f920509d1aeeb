"""Hostile pages: extraction gives a record or one clear ExtractError, never anything else.

Hypothesis mutates the real pages of tests/pages (see its SOURCES.md): truncations,
deleted and doubled slices, bit flips, inserted bytes and hostile markup (scripts,
comments, CDATA, numeric entities for surrogates and NUL, entity declarations, byte
order marks, meta charsets), splices of two pages; it also feeds random bytes and
random tag soup, with every kind of content type, file name and URL hint. Fixed
inputs cover huge pages, 100,000 nested elements, entity bombs and charsets that lie.

A record must be usable downstream: every string in it encodes as UTF-8 (a lone
surrogate from `&#xD800;` would break the index and the terminal later) and it
survives the JSON round trip with its fingerprint. An error is one line.
"""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_helpers import PAGES, page_files

from statements.scraper.errors import ExtractError
from statements.scraper.extract import extract_bytes
from statements.scraper.record import Statement

FUZZ = settings(
    max_examples=int(os.environ.get("STATEMENTS_FUZZ_EXAMPLES", "80")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
REAL = {p.name: p.read_bytes() for p in page_files()}
NAMES = sorted(REAL)

CONTENT_TYPES = [
    None,
    "text/html",
    "text/html; charset=utf-8",
    "text/html; charset=windows-1251",
    "text/html; charset=klingon",
    "application/json",
    "application/rss+xml",
    "application/xml",
    "text/plain",
    "text/plain; charset=koi8-r",
    "application/octet-stream",
    "image/png",
    "",
]
HINT_NAMES = [None, "x.html", "x.json", "x.txt", "x.xml", "x", "page.html.gz"]
URLS = [
    None,
    "https://www.state.gov/secretary-blinken/",
    "http://en.kremlin.ru/events/president/news/53035",
    "http://kremlin.ru/events/president/news/76841",
    "https://www.gov.uk/government/speeches/x",
    "https://www.globalsecurity.org/military/library/news/2025/11/x.htm",
    "not a url",
    "https://[::1",
    "javascript:alert(1)",
]
SNIPPETS = [
    b"<script>document.write('<p>')</script>",
    b"<!--",
    b"-->",
    b"<![CDATA[",
    b"]]>",
    b"&#xD800;",
    b"&#0;",
    b"&#99999999;",
    b"&#x1b;]0;pwned&#x7;",
    b"\x1b[2J",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b'<meta charset="utf-16">',
    b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
    b'<?xml version="1.0" encoding="ebcdic"?>',
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>&b;',
    b"<title>",
    b"</title>",
    b"<body>",
    b"</html>",
    b"<p>",
    b'{"title": ',
    b'"text": [1, 2, {}]',
    b"\n\n",
    b"<div class='article__text'>",
    "Заявление Лаврова".encode("cp1251"),
]


def check(data: bytes, **hints: str | None) -> Statement | None:
    """The one allowed outcome: a usable record, or an ExtractError of one line."""
    try:
        record = extract_bytes(data, **hints)  # type: ignore[arg-type]
    except ExtractError as exc:
        message = str(exc)
        assert message and "\n" not in message, message
        return None
    assert isinstance(record, Statement)
    assert record.id and record.title.strip() and record.text.strip()
    for value in record.to_dict().values():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                text.encode("utf-8")  # no lone surrogates
    again = Statement.from_dict(json.loads(record.to_json()))
    assert again.fingerprint() == record.fingerprint()
    return record


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = REAL[draw(st.sampled_from(NAMES))]
    for _ in range(draw(st.integers(1, 4))):
        n = len(data)
        at = draw(st.integers(0, n))
        kind = draw(
            st.sampled_from(["cut", "delete", "double", "flip", "insert", "snippet", "splice"])
        )
        if kind == "cut":
            data = data[:at]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 4096)) :]
        elif kind == "double":
            data = data[:at] + data[at : at + draw(st.integers(1, 4096))] + data[at:]
        elif kind == "flip" and n:
            i = min(at, n - 1)
            data = data[:i] + bytes([data[i] ^ (1 << draw(st.integers(0, 7)))]) + data[i + 1 :]
        elif kind == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
        elif kind == "snippet":
            data = data[:at] + draw(st.sampled_from(SNIPPETS)) + data[at:]
        else:
            other = REAL[draw(st.sampled_from(NAMES))]
            data = data[:at] + other[draw(st.integers(0, len(other))) :]
    return data


HINTS = st.fixed_dictionaries(
    {
        "content_type": st.sampled_from(CONTENT_TYPES),
        "name": st.sampled_from(HINT_NAMES),
        "url": st.sampled_from(URLS),
    }
)


@FUZZ
@given(data=mutated(), hints=HINTS)
def test_mutated_real_pages(data: bytes, hints: dict[str, str | None]) -> None:
    check(data, **hints)


@FUZZ
@given(data=st.binary(max_size=4096), hints=HINTS)
def test_random_bytes(data: bytes, hints: dict[str, str | None]) -> None:
    check(data, **hints)


TAGS = [
    "html", "head", "body", "title", "meta", "p", "div", "span", "article", "main",
    "h1", "br", "table", "tr", "td", "script", "style", "a", "ul", "li", "iframe",
    "svg", "math", "template", "noscript", "form", "b",
]  # fmt: skip
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40
) | st.sampled_from(["The Minister said: security matters.", "В.Путин: Добрый день.", "Q:"])


@st.composite
def tag_soup(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 60))):
        tag = draw(st.sampled_from(TAGS))
        kind = draw(st.integers(0, 3))
        if kind == 0:
            attrs = draw(st.sampled_from(["", ' class="x"', " charset=koi8-r", " id='a\"b"]))
            parts.append(f"<{tag}{attrs}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(TEXT))
    return "".join(parts)


@FUZZ
@given(
    soup=tag_soup(),
    encoding=st.sampled_from(["utf-8", "cp1251", "utf-16", "latin-1"]),
    hints=HINTS,
)
def test_random_tag_soup(soup: str, encoding: str, hints: dict[str, str | None]) -> None:
    check(soup.encode(encoding, "replace"), **hints)


# ---- fixed hostile inputs ------------------------------------------------------------

WORDS = b"The minister said that security matters a great deal to every country. "


@pytest.mark.parametrize(
    ("label", "data"),
    [
        ("100k nested divs", b"<html><body>" + b"<div>" * 100_000 + WORDS * 20
         + b"</div>" * 100_000 + b"</body></html>"),
        ("100k unclosed divs", b"<html><body>" + b"<div>" * 100_000 + WORDS * 20),
        ("nested inline", b"<html><body>" + b"<p><b><i><span>" * 25_000 + WORDS * 20),
        ("nested tables", b"<html><body>" + b"<table><tr><td>" * 30_000 + WORDS * 20),
        ("huge page", b"<html><head><title>Big</title></head><body>"
         + (b"<p>" + WORDS * 5 + b"</p>\n") * 15_000 + b"</body></html>"),
        ("one huge line", b"<html><body><p>" + WORDS * 80_000 + b"</p></body></html>"),
        ("huge attribute", b'<html><body><p title="' + b"x" * 5_000_000 + b'">' + WORDS * 5
         + b"</p></body></html>"),
        ("huge comment", b"<html><body><!--" + b"x" * 5_000_000 + b"--><p>" + WORDS * 5
         + b"</p></body></html>"),
        ("huge plain text", WORDS * 80_000),
        ("over the size cap", b"<html><body><p>" + WORDS * 260_000 + b"</p></body></html>"),
        ("json nested", b'{"title": "x", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
        ("json deep object", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
    ],
)  # fmt: skip
def test_huge_and_deep_pages(label: str, data: bytes) -> None:
    for content_type in (None, "text/html", "application/json", "text/plain"):
        check(data, content_type=content_type, name=None)


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>"
)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/rss+xml", b"<rss><channel><item><title>&lol9;</title>"
         b"<description>&lol9;</description></item></channel></rss>"),
        ("application/xml", b"<root>&lol9;</root>"),
        ("text/html", b"<html><head><title>&lol9;</title></head><body><p>&lol9; "
         + WORDS * 3 + b"</p></body></html>"),
        (None, b"<html><body><p>&lol9; " + WORDS * 3 + b"</p></body></html>"),
    ],
)  # fmt: skip
def test_entity_bombs_are_not_expanded(content_type: str | None, body: bytes) -> None:
    record = check(LAUGHS + body, content_type=content_type)
    if record is not None:
        assert "lollollol" * 100 not in record.text and len(record.text) < 100_000


RUSSIAN = PAGES / "kremlin-ru-76841-cp1251.html"


def test_charset_lies_cp1251_bytes_declared_utf8() -> None:
    """The meta tag and the HTTP header say UTF-8; the bytes are cp1251."""
    page = RUSSIAN.read_bytes()
    truth = check(page)
    assert truth is not None and "Премьер-министром" in truth.title
    lying = page.replace(b"windows-1251", b"utf-8")
    assert b"windows-1251" not in lying
    for content_type in (None, "text/html; charset=utf-8"):
        record = check(lying, content_type=content_type)
        assert record is not None
        assert record.title == truth.title and record.text == truth.text


def test_charset_lies_utf8_bytes_declared_cp1251() -> None:
    """The meta tag and the HTTP header say windows-1251; the bytes are UTF-8."""
    page = RUSSIAN.read_bytes()
    truth = check(page)
    assert truth is not None
    utf8 = page.decode("cp1251").encode("utf-8")
    for content_type in (None, "text/html; charset=windows-1251", "text/html; charset=koi8-r"):
        record = check(utf8, content_type=content_type)
        assert record is not None
        assert record.title == truth.title and record.text == truth.text


def test_charset_lies_in_plain_text_and_json() -> None:
    """A UTF-8 JSON record served as cp1251, and an English capture declared as UTF-16."""
    ru_json = (PAGES / "kremlin-ru-record-76841.json").read_bytes()
    truth = check(ru_json, name="x.json")
    assert truth is not None
    record = check(ru_json, content_type="application/json; charset=windows-1251")
    assert record is not None and record.title == truth.title
    capture = (PAGES / "globalsecurity-lavrov-2025-11-25.txt").read_bytes()
    truth = check(capture, name="x.txt")
    assert truth is not None
    record = check(capture, content_type="text/plain; charset=utf-16", name="x.txt")
    assert record is not None and record.title == truth.title


def test_every_real_page_extracts() -> None:
    """The fuzzing starts from pages that work (so mutations test something)."""
    assert len(REAL) >= 25
    for name, data in REAL.items():
        assert check(data, name=name) is not None, name


@pytest.mark.parametrize(
    "href", ["https://[::1/x", "http://[x", "http://host:99999/", "//[", "\x00", " "]
)
def test_malformed_canonical_links(href: str) -> None:
    """A page's own canonical link is page-supplied: a malformed one (it once raised
    ValueError from urlsplit, which aborted a whole `add` of a folder) is ignored."""
    page = REAL["kremlin-en-53035.html"]
    assert b'rel="canonical" href="53035.html"' in page
    hostile = page.replace(b'href="53035.html"', f'href="{href}"'.encode())
    assert check(hostile, content_type="text/html") is not None
    assert check(hostile, url=href) is not None


@pytest.mark.parametrize("ref", [b"&#x1b;", b"&#x7;", b"&#1;", b"&#xFFFE;", b"&#65535;"])
def test_control_character_references_do_not_cost_the_page(ref: bytes) -> None:
    """One numeric reference to a character XML cannot hold, in a page of an unknown
    site, made trafilatura return nothing: the whole page was refused as having no
    statement text. Now the page is read, and the character never reaches the record."""
    page = REAL["unknown-site-mirror.html"]
    truth = check(page, name="x.html")
    assert truth is not None
    hostile = page.replace(b" the ", b" the" + ref + b" ", 3)
    assert hostile != page
    record = check(hostile, name="x.html")
    assert record is not None
    assert record.title == truth.title
    assert abs(len(record.text) - len(truth.text)) <= 3
    assert "\x1b" not in record.text and "\x07" not in record.text and "\x01" not in record.text
