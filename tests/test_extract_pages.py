"""Every page in tests/pages gives the record its expectations file describes.

The pages are real (trimmed) pages of every corpus set, English and Russian,
plus a few marked SYNTHETIC in tests/pages/SOURCES.md; each
`<page>.expect.json` lists field values, text that must appear (`with`) and
banner/metadata text that must not (`without`), as trafilatura's evaldata does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from statements.scraper.extract import extract_file
from statements.scraper.record import Statement

PAGES = Path(__file__).parent / "pages"
EXPECTATIONS = sorted(PAGES.glob("*.expect.json"))
FIELDS = (
    "title",
    "date",
    "speakers",
    "source",
    "republished_by",
    "section",
    "document_number",
    "type",
    "location",
    "language",
    "url",
)


def _load(path: Path) -> tuple[dict, Statement]:
    exp = json.loads(path.read_text("utf-8"))
    return exp, extract_file(PAGES / exp["page"])


def test_every_page_has_expectations() -> None:
    pages = {
        p.name
        for p in PAGES.iterdir()
        if not p.name.endswith(".expect.json") and p.name != "SOURCES.md"
    }
    described = {json.loads(p.read_text("utf-8"))["page"] for p in EXPECTATIONS}
    assert pages == described
    sources = (PAGES / "SOURCES.md").read_text("utf-8")
    assert all(f"`{name}`" in sources for name in pages), "every page needs a provenance line"


@pytest.mark.parametrize("path", EXPECTATIONS, ids=lambda p: p.name.removesuffix(".expect.json"))
def test_page_fields(path: Path) -> None:
    exp, rec = _load(path)
    got = rec.to_dict()
    for name in FIELDS:
        if name in exp:
            assert got[name] == exp[name], f"{name}: {got[name]!r} != {exp[name]!r}"
    for name in exp.get("speakers_include", ()):
        assert name in rec.speakers, f"{name!r} missing from {rec.speakers}"


@pytest.mark.parametrize("path", EXPECTATIONS, ids=lambda p: p.name.removesuffix(".expect.json"))
def test_page_text(path: Path) -> None:
    exp, rec = _load(path)
    for snippet in exp.get("with", ()):
        assert snippet in rec.text, f"missing {snippet!r}"
    for snippet in exp.get("without", ()):
        assert snippet not in rec.text, f"boilerplate {snippet!r} leaked into the text"
    assert rec.text == rec.text.strip() and "\n\n\n" not in rec.text
    assert "\u00a0" not in rec.text and "\r" not in rec.text


def test_seed_gives_expected_record_exactly() -> None:
    """The issue's acceptance test: the seed capture gives seed/expected.json field for field."""
    exp = json.loads((PAGES / "globalsecurity-lavrov-2025-11-25.txt.expect.json").read_text())
    rec = extract_file(PAGES / "globalsecurity-lavrov-2025-11-25.txt")
    seed_text = (PAGES / "globalsecurity-lavrov-2025-11-25.txt").read_text("utf-8")
    # the expected body is the capture's lines between the document number and the banner
    body = seed_text.split("1964-25-11-2025\n", 1)[1].split("\n\n\n\nNEWSLETTER", 1)[0].strip()
    assert rec.text == body
    assert rec.text.startswith("Mr Ryzhenkov,") and rec.text.endswith("consultations for 2026.")
    for name in ("title", "date", "speakers", "source", "republished_by", "section"):
        assert rec.to_dict()[name] == exp[name]
    banner_lines = [
        "UNITED24 - Make a charitable donation in support of Ukraine!",
        "NEWSLETTER",
        "Join the GlobalSecurity.org mailing list",
    ]
    assert not any(line in rec.text for line in banner_lines)


SHARED_SEED = Path(__file__).resolve().parents[2] / "shared/corpus/seed"


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="../shared/corpus is not on this machine")
def test_seed_matches_shared_expected_json() -> None:
    exp = json.loads((SHARED_SEED / "expected.json").read_text("utf-8"))
    got = extract_file(SHARED_SEED / exp["file"]).to_dict()
    for name in (*FIELDS[:-1], "text"):
        if name in exp:
            assert got[name] == exp[name], name


def test_cp1251_declared_and_undeclared_decode_alike() -> None:
    a = extract_file(PAGES / "kremlin-ru-76841-cp1251.html")
    b = extract_file(PAGES / "kremlin-ru-76841-cp1251-undeclared.html")
    record = extract_file(PAGES / "kremlin-ru-record-76841.json")
    assert a.text == b.text
    assert a.text == record.text  # same statement from the HTML page and the JSON record
    assert a.id == record.id  # same canonical URL, same id


def test_turns_come_from_the_extracted_text() -> None:
    rec = extract_file(PAGES / "kremlin-ru-wayback-24167.json")
    labels = [t.label for t in rec.turns]
    assert labels[0].startswith("В.Путин")
    assert all(t.text in rec.text for t in rec.turns)
    assert any(t.speaker is None for t in rec.turns)  # "Вопрос:" is not a person
