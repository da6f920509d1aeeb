"""Who held an office on a date: "the President" on a page that names nobody else.

A White House transcript labels its speaker "THE PRESIDENT:"; a title reads
"Statement by the President on ..."; a state.gov page says "the Secretary".
The page's date and its publisher tell who that was. The table of terms is
data (`scraper/data/office_holders.tsv`: every U.S. president since 1789,
recent vice presidents and secretaries of state, Russia's presidents), and
so is the publisher -> country table (`publisher_countries.tsv`). Users add
rows in `<data home>/office_holders.tsv`, which the index installs here
(`set_holder_files`). Without a date, or on a publisher the table does not
place, nobody is guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from statements.scraper.errors import UsageError
from statements.scraper.people.tables import read_rows

DATA_DIR = Path(__file__).parent.parent / "data"
HOLDERS_FILE = DATA_DIR / "office_holders.tsv"
COUNTRIES_FILE = DATA_DIR / "publisher_countries.tsv"


class OfficeHolder(NamedTuple):
    """One term of office: `start` inclusive, `end` (the successor's first day) exclusive."""

    country: str
    position: str
    name: str
    start: dt.date
    end: dt.date


_user_files: list[Path] = []  # read after the shipped table; set by `set_holder_files`


def set_holder_files(*files: Path) -> None:
    """Rows of the user's own (`<data home>/office_holders.tsv`: the data home is the
    caller's business), read after the shipped table from now on."""
    _user_files[:] = [Path(f) for f in files]
    holders.cache_clear()


@lru_cache(maxsize=1)
def holders() -> tuple[OfficeHolder, ...]:
    """Every term in the shipped table, then the user's rows."""
    out = []
    for path in [HOLDERS_FILE, *_user_files]:
        for country, position, name, start, end in read_rows(path, 5):
            try:
                out.append(
                    OfficeHolder(
                        country.lower(),
                        position.lower(),
                        name,
                        dt.date.fromisoformat(start),
                        dt.date.fromisoformat(end),
                    )
                )
            except ValueError:
                raise UsageError(
                    f"{path}: bad date in {start!r} .. {end!r}", "write dates as YYYY-MM-DD"
                ) from None
    return tuple(out)


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    return {k.casefold(): v.lower() for k, v in read_rows(COUNTRIES_FILE, 2)}


def country_of(source: str | None = None, url: str | None = None) -> str | None:
    """The country a publisher's "the President" means, from its name or web host."""
    table = _countries()
    if url:
        try:
            host = (urlsplit(url).hostname or "").casefold()
        except ValueError:  # "https://[::1/x": no host to read
            host = ""
        parts = host.split(".")
        for i in range(len(parts) - 1):
            hit = table.get(".".join(parts[i:]))
            if hit:
                return hit
    if source:
        return table.get(" ".join(source.split()).casefold())
    return None


def holder(position: str, date: dt.date | None, country: str | None) -> str | None:
    """Who held `position` ("president", "vice president", "secretary") on `date`."""
    if date is None or country is None:
        return None
    position = " ".join(position.lower().split())
    for h in holders():
        if h.country == country and h.position == position and h.start <= date < h.end:
            return h.name
    return None


def holders_on(date: dt.date, country: str | None = None) -> list[str]:
    """Everyone in office on `date` (in `country`, or anywhere when it is unknown)."""
    return list(
        dict.fromkeys(
            h.name
            for h in holders()
            if h.start <= date < h.end and (country is None or h.country == country)
        )
    )


# "Statement by the President on ...", "Remarks of the Vice President at ...",
# "Message from the Secretary": the document noun, then only an office
_OFFICE_TITLE = re.compile(
    r"^(?:(?:Joint|Opening|Closing|Prepared|Written)\s+)?"
    r"(?:Statement|Remarks|Message|Address|Speech|Letter|Proclamation|Interview|Op-Ed)"
    r"\s+(?:by|of|from|with)\s+the\s+"
    r"(?P<post>President|Vice\s+President|Secretary(?:\s+of\s+State)?|First\s+Lady)\b"
    r"(?!\s+(?:and|&)\b|\s+of\b|['’]s)",
    re.I,
)


def title_office_holder(title: str, date: dt.date | None, country: str | None) -> str | None:
    """The person a title names only by office ("Statement by the President")."""
    m = _OFFICE_TITLE.match(" ".join(title.split()))
    if not m:
        return None
    post = re.sub(r"\s+of\s+state$", "", " ".join(m.group("post").lower().split()))
    return holder(post, date, country)
