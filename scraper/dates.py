"""Dates as statement pages print them, in English and Russian.

`parse_date` reads a string that *is* a date ("25 November 2025 13:29",
"November 25, 2025", "25.11.2025", "25 ноября 2025 года", ISO, RFC 822);
`find_date` looks for the first such date inside a longer line (a title
ending in "..., Moscow, November 25, 2025"). Both return None rather than
guess: a day-first/month-first numeric date other than dd.mm.yyyy, a two-digit
year or an impossible day are "unknown".
"""

from __future__ import annotations

import datetime as dt
import re

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

_MONTH = r"(?P<month>[A-Za-zА-Яа-яЁё]{3,9})\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d\d(?::\d\d)?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?)?"

#: The date forms, each a named pattern (tried in this order).
DATE_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(rf"{_YEAR}-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?:[T ][\d:.+\-Z]+)?")),
    # "25 November 2025", "25 ноября 2025 года", "Wed, 04 May 2022 19:48:56 +0000"
    ("day_month_year", re.compile(rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}(?:\s*(?:года|г\.))?")),
    # "November 25, 2025", "Nov. 25 2025"
    ("month_day_year", re.compile(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}")),
    # "25.11.2025" (the Russian and European numeric form; never mm/dd)
    ("dotted", re.compile(rf"(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.{_YEAR}")),
)

_WEEKDAY = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
_FULL = tuple(
    (name, re.compile(rf"\s*{_WEEKDAY}(?:{pat.pattern}){_TIME}(?:\s*[+-]\d{{4}})?\s*", re.I))
    for name, pat in DATE_FORMS
)
_SEARCH = tuple(
    (name, re.compile(rf"(?<![\w.]){pat.pattern}(?![\w])", re.I)) for name, pat in DATE_FORMS
)


def _build(m: re.Match[str]) -> dt.date | None:
    month_text = m.group("month")
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower())
    if not month:
        return None
    try:
        return dt.date(int(m.group("year")), month, int(m.group("day")))
    except ValueError:
        return None


def parse_date(text: str | None) -> dt.date | None:
    """The date a whole string states (a time after it is allowed), else None."""
    if not text:
        return None
    text = text.strip()
    if len(text) > 80:
        return None
    for _name, pattern in _FULL:
        m = pattern.fullmatch(text)
        if m:
            return _build(m)
    return None


def find_date(text: str | None) -> dt.date | None:
    """The first valid date written anywhere in `text` (English or Russian), else None."""
    if not text:
        return None
    best: tuple[int, dt.date] | None = None
    for _name, pattern in _SEARCH:
        for m in pattern.finditer(text):
            date = _build(m)
            if date is not None:
                if best is None or m.start() < best[0]:
                    best = (m.start(), date)
                break
    return best[1] if best else None


def is_dateline(line: str) -> bool:
    """True for a line that is only a date, optionally with a time ("25 November 2025 13:29")."""
    return parse_date(line) is not None
