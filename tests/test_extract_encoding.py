"""Bytes to text: BOM, declared charset, content detection; cp1251 and UTF-8 both right."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from scraper.encoding import declared_charset, decode_bytes, normalise_text
from scraper.errors import ExtractError

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
