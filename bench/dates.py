"""`python -m bench.dates`: the date parser choice, measured (accuracy and speed).

Two kept parsers on the same labelled date strings, in the languages of issue 9
(en, ru, uk, de, fr, es, it, pt, pl, zh) and the forms publishers print, plus
strings that must give no date (an ambiguous day/month order, a month without a
day, a document number, words):

- scraper.dates.parse_date: regular forms, month names from babel's CLDR data;
- dateparser.parse with the settings that stop it guessing most (strict parsing:
  day, month and year all required), languages left to its detection.

Printed: right answers (a date, or None where none is due) and microseconds per
string, each parser warmed up first (babel's tables and dateparser's language
data are loaded once per process, not counted).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from tabulate import tabulate

D = dt.date
CASES: tuple[tuple[str, dt.date | None], ...] = (
    ("25 November 2025", D(2025, 11, 25)),
    ("November 25, 2025", D(2025, 11, 25)),
    ("Nov. 25, 2025", D(2025, 11, 25)),
    ("Wednesday, 13 March 2024", D(2024, 3, 13)),
    ("February 14, 2020, 17:50", D(2020, 2, 14)),
    ("2016-02-02T00:00:00+00:00", D(2016, 2, 2)),
    ("25 ноября 2025 года", D(2025, 11, 25)),
    ("8 мая 2025 года, 10:10", D(2025, 5, 8)),
    ("7 березня 2000 року", D(2000, 3, 7)),
    ("7 березня 2000 р.", D(2000, 3, 7)),
    ("7. März 2000", D(2000, 3, 7)),
    ("Dienstag, 7. März 2000", D(2000, 3, 7)),
    ("7 mars 2000", D(2000, 3, 7)),
    ("1er mars 2000", D(2000, 3, 1)),
    ("mardi 7 mars 2000", D(2000, 3, 7)),
    ("7 de marzo de 2000", D(2000, 3, 7)),
    ("Miércoles 11 de septiembre, 2019", D(2019, 9, 11)),
    ("7 marzo 2000", D(2000, 3, 7)),
    ("7 de março de 2000", D(2000, 3, 7)),
    ("7 marca 2000 r.", D(2000, 3, 7)),
    ("7 listopada 2000", D(2000, 11, 7)),
    ("2000年3月7日", D(2000, 3, 7)),
    ("2016年11月15日", D(2016, 11, 15)),
    ("07.03.2000", D(2000, 3, 7)),
    ("2000/03/07", D(2000, 3, 7)),
    ("25/11/2025", D(2025, 11, 25)),
    ("11/05/2020", None),
    ("05/06/2020", None),
    ("June 2025", None),
    ("März 2000", None),
    ("1964-25-11-2025", None),
    ("31.02.2020", None),
    ("11:48 A.M. EST", None),
    ("Foreign Minister Sergey Lavrov's remarks", None),
    ("Publication date", None),
)


def _ours() -> Callable[[str], dt.date | None]:
    from statements.scraper.dates import parse_date

    return parse_date


def _dateparser() -> Callable[[str], dt.date | None]:
    import dateparser

    settings = {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]}

    def parse(text: str) -> dt.date | None:
        found = dateparser.parse(text, settings=settings)  # type: ignore[arg-type]
        return found.date() if found else None

    return parse


def measure(parse: Callable[[str], dt.date | None], rounds: int) -> tuple[int, float, list[str]]:
    for text, _ in CASES:  # warm-up: tables and language data loaded
        parse(text)
    wrong = [f"{t!r}: {parse(t)} (want {want})" for t, want in CASES if parse(t) != want]
    start = time.perf_counter()
    for _ in range(rounds):
        for text, _want in CASES:
            parse(text)
    per = (time.perf_counter() - start) / (rounds * len(CASES))
    return len(CASES) - len(wrong), per * 1e6, wrong


def main() -> int:
    rows = []
    misses = []
    for name, make, rounds in (
        ("scraper.dates (babel CLDR names)", _ours, 200),
        ("dateparser.parse (strict)", _dateparser, 3),
    ):
        right, micro, wrong = measure(make(), rounds)
        rows.append([name, f"{right}/{len(CASES)}", f"{micro:.0f}"])
        misses.extend(f"  {name}: {w}" for w in wrong)
    print(tabulate(rows, headers=["parser", "right", "µs per string"], tablefmt="github"))
    if misses:
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
