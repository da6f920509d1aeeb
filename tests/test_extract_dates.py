"""Dates in the forms statement pages print, in the languages of issue 9; never a guess."""

from __future__ import annotations

import datetime as dt

import pytest

from statements.scraper.dates import find_date, parse_date
from statements.scraper.metadata import statement_date

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25 November 2025", D(2025, 11, 25)),
        ("25 November 2025 13:29", D(2025, 11, 25)),
        ("November 25, 2025", D(2025, 11, 25)),
        ("Nov. 25, 2025", D(2025, 11, 25)),
        ("25.11.2025", D(2025, 11, 25)),
        ("25 ноября 2025 года", D(2025, 11, 25)),
        ("8 мая 2025 года, 10:10", D(2025, 5, 8)),
        ("February 14, 2020, 17:50", D(2020, 2, 14)),
        ("Wed, 04 May 2022 19:48:56 +0000", D(2022, 5, 4)),
        ("2016-02-02T00:00:00+00:00", D(2016, 2, 2)),
        ("2012-05-22T01:00:00+01:00", D(2012, 5, 22)),  # the local date, not shifted to UTC
        ("Wednesday, 13 March 2024", D(2024, 3, 13)),
    ],
)
def test_parse_date_forms(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "31.02.2020",  # no such day
        "11/05/2020",  # month-first or day-first: unknown, so no guess
        "1964-25-11-2025",  # a document number, not a date
        "June 2025",
        "11:48 A.M. EST",
        "Foreign Minister Sergey Lavrov's remarks",
        "25 Smarch 2025",
    ],
)
def test_parse_date_refuses_to_guess(text: str) -> None:
    assert parse_date(text) is None


def test_find_date_in_titles() -> None:
    title = "Foreign Minister Sergey Lavrov's remarks, Moscow, November 25, 2025"
    assert find_date(title) == D(2025, 11, 25)
    assert find_date("Анонс на 10 мая 2025 года") == D(2025, 5, 10)
    assert find_date("Document 1964-25-11-2025 of the Ministry") is None
    assert find_date("no date here") is None


def test_first_date_wins() -> None:
    assert find_date("On 3 March 2021 and on 1 January 2020") == D(2021, 3, 3)
    assert find_date("from 5.06.2019 until March 1, 2020") == D(2019, 6, 5)


# ---- the languages of issue 9 (month names from babel's CLDR data) --------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7 March 2000", D(2000, 3, 7)),  # en
        ("7 марта 2000 года", D(2000, 3, 7)),  # ru
        ("7 березня 2000 року", D(2000, 3, 7)),  # uk
        ("7 березня 2000 р.", D(2000, 3, 7)),
        ("7. März 2000", D(2000, 3, 7)),  # de
        ("Dienstag, 7. März 2000", D(2000, 3, 7)),
        ("7 mars 2000", D(2000, 3, 7)),  # fr
        ("1er mars 2000", D(2000, 3, 1)),
        ("mardi 7 mars 2000", D(2000, 3, 7)),
        ("7 de marzo de 2000", D(2000, 3, 7)),  # es
        ("Miércoles 11 de septiembre, 2019", D(2019, 9, 11)),
        ("7 marzo 2000", D(2000, 3, 7)),  # it
        ("7 de março de 2000", D(2000, 3, 7)),  # pt
        ("7 marca 2000 r.", D(2000, 3, 7)),  # pl
        ("7 listopada 2000", D(2000, 11, 7)),
        ("2000年3月7日", D(2000, 3, 7)),  # zh
        ("07.03.2000", D(2000, 3, 7)),
        ("2000/03/07", D(2000, 3, 7)),
        ("25/11/2025", D(2025, 11, 25)),  # day over 12: the order is certain
    ],
)
def test_dates_in_every_listed_language(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected
    assert find_date(f"Statement of {text} on the matter") == expected


@pytest.mark.parametrize("text", ["05/06/2020", "März 2000", "marzo de 2000", "2000年3月"])
def test_no_guess_in_any_language(text: str) -> None:
    assert parse_date(text) is None and find_date(text) is None


def test_dates_in_chinese_running_text() -> None:
    assert find_date("2016年11月15日外交部发言人耿爽主持例行记者会") == D(2016, 11, 15)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("WASHINGTON, July 11, 2025 – The World Bank priced", D(2025, 7, 11)),
        ("SUVA, Fiji, July 22, 2025 - Good morning", D(2025, 7, 22)),
        ("Suva, Fiji - July 22, 2025\n\nAs prepared for delivery", D(2025, 7, 22)),
        ("WASHINGTON — July 11, 2025 — The Board", D(2025, 7, 11)),
        ("Frankfurt am Main, 1 July 2025\n\nThe ECB", D(2025, 7, 1)),
        ("Brüssel, 7. März 2000 – Die Kommission", D(2000, 3, 7)),
        ("25 ноября 2025 года, Москва\n\nТекст", D(2025, 11, 25)),
        ("On 5 May 2024, the Council decided to act.", None),  # a date the text talks about
        ("The President met on July 1, 2025 with", None),
        ("Good morning.\n\nWASHINGTON, July 11, 2025 –", None),  # not the opening line
    ],
)
def test_datelines_open_the_body(body: str, expected: dt.date | None) -> None:
    assert statement_date(body) == expected


def test_the_signing_line_of_an_order_is_its_date() -> None:
    assert statement_date("", "Executive Order 13147 of March 7, 2000") == D(2000, 3, 7)
    assert statement_date("Proclamation 7284 of March 7, 2000\n\nBy the President") == D(2000, 3, 7)
