"""Dates as statement pages print them, in the languages publishers write.

`parse_date` reads a string that *is* a date; `find_date` looks for the first
date inside a longer line (a title ending in "..., Moscow, November 25, 2025",
a dateline "WASHINGTON, July 11, 2025 –"). The forms:

- ISO ("2025-11-25", "2025-11-25T13:29:00+03:00": the local date) and RFC 822;
- day month year and month day year, with the month as a word in any of the
  languages below: "25 November 2025", "November 25, 2025", "7. März 2000",
  "7 mars 2000", "1er mars 2000", "7 de marzo de 2000", "7 de março de 2000",
  "7 marzo 2000", "7 marca 2000 r.", "7 березня 2000 року", "25 ноября 2025 года";
- numbers with the year first or last where the order is certain: "07.03.2000"
  (dd.mm.yyyy, the European form), "2000年3月7日" (Chinese, Japanese; Korean
  "2000년 3월 7일"), "2000/03/07", and "25/11/2025" only when one part is over 12.

Month names come from the CLDR data babel ships (`babel.dates.get_month_names`,
format and stand-alone, wide and abbreviated), not from hand-written lists;
English and Russian, the corpus' main languages, have a small built-in table
so that most pages never load babel (~0.3 s for all locales, once per process).
A name two languages give to different months is left out. dateparser was
measured as the alternative (`python -m bench.dates`, 35 labelled strings): 32
right against 35, ~18,500 µs per string against ~13, and its three misses are
guesses ("07.03.2000" read as July 3, "11/05/2020" given a month order).
Page-level dates (meta tags, JSON-LD, date-classed elements) come from htmldate
in `scraper.metadata`.

Both functions return None rather than guess: "11/05/2020", a two-digit year,
a month without a day, an impossible day are "unknown".
"""

from __future__ import annotations

import datetime as dt
import functools
import re

#: English and Russian month names (the corpus' languages): no babel load for them.
MONTHS: dict[str, int] = {
    # English, full and abbreviated ("Sept." included)
    **{
        m: i
        for i, names in enumerate(
            (
                ("january", "jan"),
                ("february", "feb"),
                ("march", "mar"),
                ("april", "apr"),
                ("may",),
                ("june", "jun"),
                ("july", "jul"),
                ("august", "aug"),
                ("september", "sep", "sept"),
                ("october", "oct"),
                ("november", "nov"),
                ("december", "dec"),
            ),
            start=1,
        )
        for m in names
    },
    # Russian, genitive ("25 ноября") and nominative ("ноябрь 2025")
    **{
        m: i
        for i, names in enumerate(
            (
                ("января", "январь"),
                ("февраля", "февраль"),
                ("марта", "март"),
                ("апреля", "апрель"),
                ("мая", "май"),
                ("июня", "июнь"),
                ("июля", "июль"),
                ("августа", "август"),
                ("сентября", "сентябрь"),
                ("октября", "октябрь"),
                ("ноября", "ноябрь"),
                ("декабря", "декабрь"),
            ),
            start=1,
        )
        for m in names
    },
}

#: Locales whose month names are read (CLDR via babel): the issue-9 languages and
#: a few more of European governments.
LOCALES = ("en", "ru", "uk", "de", "fr", "es", "it", "pt", "pl", "nl", "sv", "cs")


@functools.cache
def cldr_months() -> dict[str, int]:
    """Lower-cased month names and abbreviations (dots removed) of every locale in
    LOCALES -> month number; names that mean different months in two languages
    are dropped rather than guessed."""
    from babel import Locale
    from babel.dates import get_month_names

    seen: dict[str, set[int]] = {}
    for code in LOCALES:
        locale = Locale.parse(code)
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale=locale).items():
                    key = name.lower().replace(".", "").strip()
                    if len(key) >= 3 and not key.isdigit():
                        seen.setdefault(key, set()).add(number)
    return {name: next(iter(nums)) for name, nums in seen.items() if len(nums) == 1}


def month_number(word: str) -> int | None:
    """The month a word names in any known language ("März", "marca", "Sept."), else None."""
    key = word.lower().replace(".", "")
    return MONTHS.get(key) or cldr_months().get(key)


_MONTH = r"(?P<month>[^\W\d_]{3,12})\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º|°|\.)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
# year words after the date: Russian, Ukrainian, Polish, Czech
_YEAR_WORD = r"(?:\s*(?:года|году|г\.|року|р\.|roku|r\.))?"
_TIME = (
    r"(?:,?\s*(?:at|à|um|a las|alle|às|в|o|-)?\s*\d{1,2}[:.h]\d\d(?::\d\d)?"
    r"(?:\s*(?:[AaPp]\.?[Mm]\.?|Uhr|h))?(?:\s*[A-Z]{2,4})?)?"
)

#: The date forms, each a named pattern (tried in this order), with the text that may
#: not touch it on either side when it is searched for in a longer text.
DATE_FORMS: tuple[tuple[str, re.Pattern[str], str, str], ...] = (
    (
        "iso",
        re.compile(rf"{_YEAR}-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?:[T ][\d:.+\-Z]+)?"),
        r"(?<![\w.-])",
        r"(?![\w-])",
    ),
    # "2000年3月7日" (zh, ja), "2000년 3월 7일" (ko): no spaces around it in running text
    (
        "cjk",
        re.compile(rf"{_YEAR}\s*[年년]\s*(?P<month>[01]?\d)\s*[月월]\s*(?P<day>[0-3]?\d)\s*[日일]"),
        r"(?<!\d)",
        r"",
    ),
    # "25 November 2025", "7. März 2000", "7 de marzo de 2000", "25 ноября 2025 года"
    (
        "day_month_year",
        re.compile(rf"{_DAY}\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+|del\s+)?{_YEAR}{_YEAR_WORD}", re.I),
        r"(?<![\w.])",
        r"(?!\w)",
    ),
    # "November 25, 2025", "Nov. 25 2025"
    (
        "month_day_year",
        re.compile(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}", re.I),
        r"(?<![\w.])",
        r"(?!\w)",
    ),
    # "25.11.2025" (the Russian and European numeric form; never mm.dd)
    (
        "dotted",
        re.compile(rf"(?P<day>[0-3]?\d)\.\s?(?P<month>[01]?\d)\.\s?{_YEAR}"),
        r"(?<![\w.])",
        r"(?![\w.]\d)",
    ),
    # "2025/11/25", "2025.11.25": year first, so month then day
    (
        "year_first",
        re.compile(rf"{_YEAR}[./](?P<month>[01]?\d)[./](?P<day>[0-3]?\d)"),
        r"(?<![\w./])",
        r"(?![\w/]|\.\d)",
    ),
    # "25/11/2025" or "11/25/2025": only when one part cannot be a month
    (
        "slashed",
        re.compile(rf"(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/{_YEAR}"),
        r"(?<![\w./])",
        r"(?![\w/])",
    ),
)

_WEEKDAY = (
    r"(?:(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?|[^\W\d_]{2,14}\.?,)\s*)?"  # "Miércoles,"
)
_FULL = tuple(
    (name, re.compile(rf"\s*{_WEEKDAY}(?:{pat.pattern}){_TIME}(?:\s*[+-]\d{{4}})?\s*", re.I))
    for name, pat, _, _ in DATE_FORMS
)
_SEARCH = tuple(
    (name, re.compile(rf"{before}(?:{pat.pattern}){after}", pat.flags))
    for name, pat, before, after in DATE_FORMS
)


def _build(m: re.Match[str]) -> dt.date | None:
    groups = m.groupdict()
    if groups.get("a"):
        a, b = int(groups["a"]), int(groups["b"])
        if a > 12 >= b:
            day, month = a, b
        elif b > 12 >= a:
            day, month = b, a
        else:
            return None  # day-first or month-first: unknown, so no guess
    else:
        month_text = groups["month"]
        found = int(month_text) if month_text.isdigit() else month_number(month_text)
        if not found:
            return None
        day, month = int(groups["day"]), found
    try:
        return dt.date(int(groups["year"]), month, day)
    except ValueError:
        return None


def parse_date(text: str | None) -> dt.date | None:
    """The date a whole string states (a weekday before and a time after allowed), else None."""
    if not text:
        return None
    text = text.strip()
    if len(text) > 80:
        return None
    for _name, pattern in _FULL:
        m = pattern.fullmatch(text)
        if m:
            return _build(m)
    first, _, rest = text.partition(" ")
    if rest and first.rstrip(",.").lower() in cldr_weekdays():
        return parse_date(rest)  # "Miércoles 11 de septiembre, 2019", "Dienstag 7. März"
    return None


@functools.cache
def cldr_weekdays() -> frozenset[str]:
    """Lower-cased weekday names of every locale in LOCALES (CLDR via babel)."""
    from babel import Locale
    from babel.dates import get_day_names

    return frozenset(
        name.lower().rstrip(".")
        for code in LOCALES
        for width in ("wide", "abbreviated")
        for name in get_day_names(width, "format", locale=Locale.parse(code)).values()
    )


def find_date(text: str | None) -> dt.date | None:
    """The first valid date written anywhere in `text`, else None."""
    found = find_dates(text, limit=1)
    return found[0][1] if found else None


def find_dates(text: str | None, limit: int | None = None) -> list[tuple[int, dt.date]]:
    """Every valid date in `text` as (offset, date), in reading order (`limit`: the first n)."""
    return [(start, date) for start, _end, date in date_spans(text, limit)]


def date_spans(text: str | None, limit: int | None = None) -> list[tuple[int, int, dt.date]]:
    """Every valid date in `text` as (start, end, date), in reading order."""
    if not text:
        return []
    hits: list[tuple[int, int, dt.date]] = []
    for _name, pattern in _SEARCH:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end, _ in hits):
                continue
            date = _build(m)
            if date is not None:
                hits.append((m.start(), m.end(), date))
    hits.sort(key=lambda hit: hit[0])
    return hits[:limit] if limit else hits
