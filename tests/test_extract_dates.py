"""Dates in the English and Russian forms statement pages print; None rather than a guess."""

from __future__ import annotations

import datetime as dt

import pytest

from scraper.dates import find_date, parse_date

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
