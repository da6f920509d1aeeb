"""Bytes to text: BOM, declared charset, content detection; cp1251 and UTF-8 both right."""

from __future__ import annotations

import codecs
import random
import re
from pathlib import Path

import pytest

from statements.scraper.encoding import declared_charset, decode_bytes, normalise_text
from statements.scraper.errors import ExtractError
from statements.scraper.extract import extract_bytes

PAGES = Path(__file__).parent / "pages"
# A real sentence (kremlin.ru record 76841, tests/pages/kremlin-ru-record-76841.json)
RU = "Состоялся телефонный разговор Владимира Путина с Премьер-министром Индии Нарендрой Моди."


@pytest.mark.parametrize("codec", ["utf-8", "cp1251", "koi8-r", "utf-16"])
def test_declared_charset_decodes(codec: str) -> None:
    html = f'<html><head><meta charset="{codec}"></head><body><p>{RU}</p></body></html>'
    data = html.encode(codec)
    assert RU in decode_bytes(data, name="x")


def test_http_header_charset_wins_over_guessing() -> None:
    data = f"<p>{RU}</p>".encode("cp1251")
    assert RU in decode_bytes(data, content_type="text/html; charset=windows-1251", name="x")


def test_undeclared_cp1251_is_detected() -> None:
    data = (PAGES / "kremlin-ru-76841-cp1251-undeclared.html").read_bytes()
    assert declared_charset(data) is None
    text = decode_bytes(data, name="x")
    assert "Нарендрой Моди" in text


def test_utf8_wins_over_a_wrong_cp1251_declaration() -> None:
    html = f'<meta charset="windows-1251"><p>{RU}</p>'
    assert RU in decode_bytes(html.encode("utf-8"), name="x")


@pytest.mark.parametrize("bom", [codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
def test_bom_decides(bom: bytes) -> None:
    codec = "utf-8" if bom == codecs.BOM_UTF8 else "utf-16-le"
    text = decode_bytes(bom + RU.encode(codec), name="x")
    assert text == RU


def test_line_endings_and_invisible_spaces_normalised() -> None:
    raw = "White\u00a0House\r\nCOVID-\u206019\rnext\u200bline"
    assert normalise_text(raw) == "White House\nCOVID-19\nnextline"


def test_a_few_corrupt_bytes_keep_utf8() -> None:
    data = ("<p>" + RU + " " + RU + "</p>").encode("utf-8").replace("Индии".encode(), b"\xff")
    text = decode_bytes(data, name="x")
    assert "Нарендрой Моди" in text and "\ufffd" in text


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "the page is empty"),
        (b" \n\t\n", "the page is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20, "not a text page"),
        (bytes(range(128, 160)) * 300 + b"\x00", "not a text page"),
    ],
)
def test_bad_bytes_raise(data: bytes, problem: str) -> None:
    with pytest.raises(ExtractError) as err:
        decode_bytes(data, name="bad.html")
    assert str(err.value).startswith(f"bad.html: {problem}")


# ---- stray control bytes (issue 9) ---------------------------------------------------------

KREMLIN = Path(__file__).parent / "pages" / "kremlin-en-51490.html"


def _stray(data: bytes) -> bytes:
    """The page with NUL, ESC and BEL bytes strewn through head, title and body."""
    data = data.replace(b"<title>", b"<title>\x1b\x07", 1)
    data = data.replace(b"Relations between", b"Relations\x00 between", 1)
    data = data.replace(b"<head>", b"<head>\x00\x00\x00", 1)
    return data.replace(b"Welcome.", b"Welcome.\x07\x1b[1m", 1) + b"\x00" * 5000


def test_a_page_with_stray_nul_esc_bel_bytes_is_extracted() -> None:
    clean = extract_bytes(KREMLIN.read_bytes(), name="clean.html")
    rec = extract_bytes(_stray(KREMLIN.read_bytes()), name="stray.html")
    assert rec.title == clean.title and rec.date == clean.date
    assert rec.text == clean.text
    assert not re.search(r"[\x00-\x08\x0b\x0e-\x1f]", rec.text + rec.title)


def test_terminal_codes_go_whole() -> None:
    text = decode_bytes(b"<p>\x1b[1;31mAlert\x1b[0m issued \x1b]0;title\x07today\x07</p>", name="x")
    assert text == "<p>Alert issued today</p>"


def test_iso_2022_escapes_are_kept() -> None:
    data = '<meta charset="iso-2022-jp"><p>日本語の声明</p>'.encode("iso-2022-jp")
    assert "日本語の声明" in decode_bytes(data, name="x")


@pytest.mark.parametrize(
    "head",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"PK\x03\x04\x14\x00\x06\x00",
        b"\x1f\x8b\x08\x00",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"GIF89a\x01\x00",
        b"RIFF\x24\x00\x00\x00WEBPVP8 ",
        b"\x00\x00\x00\x18ftypmp42",
    ],
)
def test_real_binaries_are_still_refused(head: bytes) -> None:
    with pytest.raises(ExtractError, match="not a text page"):
        decode_bytes(head + b"<html><p>text text text</p></html> " * 50, name="x")


def test_random_bytes_are_still_refused() -> None:
    rnd = random.Random(7)
    data = bytes(rnd.randrange(256) for _ in range(20000))
    with pytest.raises(ExtractError, match="not a text page"):
        decode_bytes(data, name="x")
    ascii_junk = bytes(rnd.randrange(128) for _ in range(20000))  # 25% control bytes
    with pytest.raises(ExtractError, match="not a text page"):
        decode_bytes(ascii_junk, name="x")
