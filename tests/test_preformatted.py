"""Pre-formatted government captures (scraper/preformatted.py): furniture out, the
document's own title line, the signing date and the signers, on the SYNTHETIC pages
of tests/pages (see SOURCES.md) and on small variations of them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from statements.scraper import dom
from statements.scraper.extract import extract_bytes, extract_file
from statements.scraper.preformatted import furniture_lines, looks_preformatted, read_preformatted

PAGES = Path(__file__).parent / "pages"


def _pre(name: str) -> str:
    tree = dom.parse((PAGES / name).read_bytes().replace(b"\x00", b"").decode())
    assert tree is not None
    return tree.xpath("//pre")[0].text_content()


def test_executive_order() -> None:
    doc = read_preformatted(_pre("fr-executive-order-13147-pre.html"))
    assert doc.title == "Executive Order 13147 of March 7, 2000"
    assert doc.date == dt.date(2000, 3, 7)  # signed March 7, printed March 9
    assert doc.issue_date == dt.date(2000, 3, 9)
    assert doc.signers == ["Clinton"]
    assert doc.document_number == "00-5957"
    paragraphs = doc.text.split("\n\n")
    assert (
        paragraphs[0] == "White House Commission on Complementary and Alternative Medicine Policy"
    )
    # a paragraph broken by a page mark is one paragraph again, wrapped lines joined
    assert any(p.startswith("Sec. 3. Administration. (a) To the extent") for p in paragraphs)
    assert "\n" not in paragraphs[2]


def test_signer_of_a_notice_and_its_office_leave_the_body() -> None:
    doc = read_preformatted((PAGES / "fr-notice-2000-03-10-dated.txt").read_text())
    assert doc.signers == ["Mary E. Fenwick"]
    assert doc.date == dt.date(2000, 3, 10)
    assert doc.agency == "Department of Commerce"
    assert doc.title == "Mid-Atlantic Fishery Management Council; Public Meeting"
    assert "Fenwick" not in doc.text and "Acting Director" not in doc.text


def test_signers_reach_the_record() -> None:
    # a full name is a speaker as it stands; a lone surname ("<Clinton>") is left to the
    # speakers' own resolution (office holder, names the page prints)
    rec = extract_file(PAGES / "fr-notice-2000-03-10-dated.txt")
    assert rec.speakers == ("Mary E. Fenwick",)


def test_without_a_signing_date_the_issue_date_is_used() -> None:
    text = _pre("fr-executive-order-13147-pre.html")
    text = text.replace("THE WHITE HOUSE,", "").replace(" of March 7, 2000", "")
    doc = read_preformatted(text)
    assert doc.title == "Executive Order 13147"
    assert doc.date == dt.date(2000, 3, 9)


def test_furniture_is_known_by_shape_not_by_one_publication() -> None:
    lines = [
        "[Gazette of the Republic, Volume 12, Issue 3 (Friday, 4 May 2001)]",
        "[Notices]",
        "[[Page 77]]",
        "Official Gazette / Vol. 12, No. 3 / Friday, 4 May 2001 / Notices",
        "[Doc. 01-123",
        "Filed 5-3-01; 8:45 am]",
        "Billing code 1234-56-X",
        "An Act to amend the law",
    ]
    assert furniture_lines(lines) == set(range(7))
    doc = read_preformatted("\n".join(lines) + "\n\nBe it enacted, that the law be amended.\n")
    assert doc.title == "An Act to amend the law"
    assert doc.date == dt.date(2001, 5, 4)


def test_ordinary_pre_blocks_are_not_captures() -> None:
    code = (
        "<html><body><h1>Release notes</h1><pre>\nx = 1\ny = 2\n</pre><p>"
        + ("The new release fixes several problems in the parser. " * 5)
        + "</p></body></html>"
    )
    assert not looks_preformatted("x = 1\ny = 2\n")
    rec = extract_bytes(code.encode(), name="notes.html")
    assert rec.title == "Release notes"
