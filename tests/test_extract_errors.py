"""Bad pages give one clear ExtractError ("<page>: <problem>; <what to do>"), never a traceback."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statements.scraper.errors import ExtractError
from statements.scraper.extract import extract_bytes, extract_file, iter_pages, word_count

PAGES = Path(__file__).parent / "pages"


def _junk(n: int, seed: int = 0) -> bytes:
    rnd = random.Random(seed)
    return bytes(rnd.randrange(256) for _ in range(n))


def _problem(data: bytes, name: str = "bad.html") -> str:
    with pytest.raises(ExtractError) as err:
        extract_bytes(data, name=name)
    message = str(err.value)
    assert message.startswith(f"{name}: ") and "; " in message and "\n" not in message
    return message


def test_empty() -> None:
    assert "the page is empty" in _problem(b"")


def test_binary() -> None:
    assert "not a text page" in _problem(b"\x89PNG\r\n\x1a\n" + _junk(5000))


def test_undecodable_junk() -> None:
    assert "not a text page" in _problem(_junk(20000, seed=3), name="junk.txt")


def test_fifty_megabytes_of_junk() -> None:
    assert "too big for one page" in _problem(b"junk " * (10 * 1024 * 1024))


def test_fifty_megabyte_file_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "huge.html"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(ExtractError, match=r"huge\.html: 52 MB is too big"):
        extract_file(big)


def test_truncated_html_is_read_as_far_as_it_goes() -> None:
    data = (PAGES / "kremlin-en-51490.html").read_bytes()
    cut = data.index(b"Relations between our states are developing")
    rec = extract_bytes(data[:cut], name="cut.html")
    assert rec.title == "Meeting with President of Serbia Tomislav Nikolic"
    assert rec.date is not None and rec.date.isoformat() == "2016-03-10"
    assert "I would like to congratulate you and thank you for your efforts" in rec.text
    assert "Relations between" not in rec.text and "</" not in rec.text


def test_truncated_html_without_text_is_refused_as_truncated() -> None:
    data = (PAGES / "kremlin-en-51490.html").read_bytes()
    cut = data.index(b"Vladimir Putin met with President of Serbia")
    assert "truncated download" in _problem(data[:cut])


def test_page_without_statement_text() -> None:
    html = b"<html><body><nav><a href='/'>Home</a></nav></body></html>"
    assert "no statement text found" in _problem(html)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b'{"title": "x", "text": "abc', "not valid JSON"),
        (b'{"foo": 1}', "JSON item of an unknown shape"),
        (b"[1, 2]", "a JSON list of 2 items"),
        (b'{"title":"a","text":"b"}\n{"title":"c","text":"d"}\n', "holds 2 JSON lines"),
    ],
)
def test_bad_json(data: bytes, problem: str) -> None:
    assert problem in _problem(data, name="item.json")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match="cannot read"):
        extract_file(tmp_path / "nope.html")
    with pytest.raises(ExtractError, match="is a folder"):
        extract_file(tmp_path)


def test_iter_pages_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for rel in ("b.html", "a/c.txt", "a/d.json", ".git/x.html", "e.png", "a/.hidden.html"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    got = [p.relative_to(tmp_path).as_posix() for p in iter_pages(tmp_path)]
    assert got == ["a/c.txt", "a/d.json", "b.html"]


_MUTABLE = sorted(p for p in PAGES.iterdir() if not p.name.endswith((".expect.json", ".md")))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    page=st.sampled_from(_MUTABLE),
    cut=st.floats(0, 1),
    junk=st.binary(max_size=64),
    where=st.floats(0, 1),
    named=st.booleans(),
)
def test_mutated_real_pages_give_a_record_or_one_error(
    page: Path, cut: float, junk: bytes, where: float, named: bool
) -> None:
    data = page.read_bytes()
    data = data[: max(1, int(len(data) * cut))]
    at = int(len(data) * where)
    data = data[:at] + junk + data[at:]
    try:
        rec = extract_bytes(data, name=page.name if named else None)
    except ExtractError as exc:
        assert "\n" not in str(exc) and "; " in str(exc)
    else:
        assert rec.title and word_count(rec.text) >= 5  # Han characters count as words


def test_misnamed_pages_are_read_by_their_content() -> None:
    html = (PAGES / "kremlin-en-62792.html").read_bytes()
    as_json_name = extract_bytes(html, name="saved.json")
    assert (
        as_json_name.title == "Telephone conversation with President of Ukraine Vladimir Zelensky"
    )
    item = (PAGES / "govuk-speech-speech.json").read_bytes()
    assert extract_bytes(item, name="item.html").type == "speech"


def test_scripts_after_the_closing_tag_are_not_truncation() -> None:
    html = (PAGES / "kremlin-en-62792.html").read_bytes()
    tail = b"\n<script>" + b"var tracking = 1;\n" * 2000 + b"</script>\n"
    rec = extract_bytes(html + tail, name="page.html")
    assert rec.date is not None and rec.date.isoformat() == "2020-02-14"
