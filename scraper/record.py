"""The one record type that flows from the scraper through the index to the CLI.

A `Statement` is immutable so that a record read back from the index, from a
JSONL export or from a fresh extraction compares equal field by field, and so
that its fingerprint (used to skip unchanged documents) is a pure function of
its content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

DatePrecision = Literal["day", "month", "year"]

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True)
class Turn:
    """One speaker turn in a transcript.

    `speaker` is a canonical person name, or None when the turn is a question,
    an audience remark or an unnamed voice; `role` says which ("speaker",
    "question", "remark", "moderator", "unknown"). `label` is the label as
    printed on the page ("THE PRESIDENT:", "В.Путин:").
    """

    label: str
    text: str
    speaker: str | None = None
    role: str = "speaker"

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "speaker": self.speaker, "role": self.role, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Turn:
        return cls(
            label=str(data.get("label") or ""),
            text=str(data.get("text") or ""),
            speaker=str(data["speaker"]) if data.get("speaker") else None,
            role=str(data.get("role") or "speaker"),
        )


@dataclass(frozen=True)
class Statement:
    """A statement: who said what, when, and who published it.

    `date` is the statement's own date (the publisher's dateline), never a
    capture or print date; `date_precision` keeps dates known only to the
    month or year ("2019-09", "2019") from being widened into a false day.
    `source` is the original publishing body, also on a republisher's copy,
    whose name goes to `republished_by`.
    """

    id: str
    title: str
    text: str
    url: str | None = None
    date: dt.date | None = None
    date_precision: DatePrecision = "day"
    speakers: tuple[str, ...] = ()
    source: str | None = None
    republished_by: str | None = None
    type: str | None = None
    location: str | None = None
    language: str | None = None
    section: str | None = None
    document_number: str | None = None
    turns: tuple[Turn, ...] = field(default=(), compare=True)

    # ---- dates -----------------------------------------------------------------

    @property
    def date_iso(self) -> str | None:
        """The date as ISO text at its own precision: "2025-11-25", "2019-09" or "2019"."""
        if self.date is None:
            return None
        if self.date_precision == "year":
            return f"{self.date.year:04d}"
        if self.date_precision == "month":
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()

    # ---- serialisation -----------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; `from_dict(to_dict())` gives back an equal record."""
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "date": self.date_iso,
            "speakers": list(self.speakers),
            "source": self.source,
            "republished_by": self.republished_by,
            "type": self.type,
            "location": self.location,
            "language": self.language,
            "section": self.section,
            "document_number": self.document_number,
            "text": self.text,
            "turns": [t.to_dict() for t in self.turns],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Statement:
        """Build a record from a dict as `to_dict` (or a JSONL export) gives it.

        Raises `RecordError` for a missing title/text or a malformed date, so a
        bad line in a JSONL file is reported rather than indexed half-right.
        """
        from statements.scraper.errors import RecordError

        if not isinstance(data, dict):
            raise RecordError("a record must be a JSON object")
        title = data.get("title")
        text = data.get("text")
        if not isinstance(title, str) or not isinstance(text, str):
            raise RecordError("a record needs string fields 'title' and 'text'")
        date, precision = parse_partial_date(data.get("date"))
        speakers = data.get("speakers") or ()
        if isinstance(speakers, str):
            speakers = (speakers,)
        turns = data.get("turns") or ()
        if not isinstance(speakers, list | tuple) or not isinstance(turns, list | tuple):
            raise RecordError("'speakers' and 'turns' must be lists ('speakers' may be one name)")
        # a JSONL line is user input: a list or an object where a string belongs is
        # reported for that line, not left to fail (and abort the whole `add`) later
        for key in ("id", "url", "source", "republished_by", "type", "location", "language",
                    "section", "document_number"):  # fmt: skip
            if isinstance(data.get(key), dict | list | bool):
                raise RecordError(f"field {key!r} must be a string, not {data[key]!r}"[:200])
        url = data.get("url")
        rid = data.get("id") or make_id(str(url) if url not in (None, "") else None, title, text)
        known = {f.name for f in fields(cls)}
        opt = {
            k: (str(data[k]) if data.get(k) not in (None, "") else None)
            for k in (
                "url",
                "source",
                "republished_by",
                "type",
                "location",
                "language",
                "section",
                "document_number",
            )
            if k in known
        }
        return cls(
            id=str(rid),
            title=title,
            text=text,
            date=date,
            date_precision=precision,
            speakers=tuple(str(s) for s in speakers if s),
            turns=tuple(Turn.from_dict(t) for t in turns if isinstance(t, dict)),
            **opt,
        )

    # ---- identity ----------------------------------------------------------------

    def fingerprint(self) -> str:
        """A hash of every field: equal records have equal fingerprints.

        Used by the index to skip unchanged documents and replace changed ones
        (the idea of sqlite-utils' `hash_record`).
        """
        payload = json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]

    def with_(self, **changes: Any) -> Statement:
        """A copy with some fields changed (records are frozen)."""
        return replace(self, **changes)


def parse_partial_date(value: object) -> tuple[dt.date | None, DatePrecision]:
    """Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD" (or a date) into (date, precision).

    A partial date is stored as its first day, with the precision kept so it
    is printed and faceted as given. Raises `RecordError` for anything else.
    """
    from statements.scraper.errors import RecordError

    if value in (None, ""):
        return None, "day"
    if isinstance(value, dt.datetime):
        return value.date(), "day"
    if isinstance(value, dt.date):
        return value, "day"
    text = str(value).strip()
    if "T" in text:  # a timestamp: keep the date part
        text = text.split("T", 1)[0]
    m = _PARTIAL_DATE.match(text)
    if not m:
        raise RecordError(f"bad date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        if day:
            return dt.date(int(year), int(month), int(day)), "day"
        if month:
            return dt.date(int(year), int(month), 1), "month"
        return dt.date(int(year), 1, 1), "year"
    except ValueError as exc:
        raise RecordError(f"bad date {value!r}: {exc}") from None


def make_id(url: str | None, title: str = "", text: str = "") -> str:
    """A stable id: from the canonical URL when there is one, else from the content.

    The URL is canonicalised (`canonical_url`) so that every address of one
    page (http/https, "www.", host case, a trailing slash, tracking
    parameters, a print fragment) gets one id.
    """
    if url:
        key = canonical_url(url)
        prefix = "u"
    else:
        key = " ".join((title + "\n" + text).split()).lower()
        prefix = "c"
    return prefix + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_DEFAULT_PORT = re.compile(r":(?:80|443)$")


def canonical_url(url: str) -> str:
    """The URL reduced to what identifies the page.

    No scheme, no "www.", no fragment, no default port, the host lowercased,
    no trailing slash, and the query without tracking parameters (utm_*,
    fbclid, ...: courlan's list, the one trafilatura uses), its other
    parameters sorted. `HTTPS://WWW.State.gov/page/?utm_source=x` and
    `http://state.gov/page` are one page.
    """
    u = _SCHEME.sub("", url.strip())
    u = re.sub(r"^www\.", "", u, flags=re.I)
    u = u.split("#", 1)[0]
    cut = min((i for i in (u.find("/"), u.find("?")) if i >= 0), default=len(u))
    host, rest = u[:cut], u[cut:]
    path, _, query = rest.partition("?")
    host = _DEFAULT_PORT.sub("", host.lower())
    if query:
        from courlan.clean import clean_query  # imported only for URLs with a query

        query = clean_query(query)
    path = path.rstrip("/")
    return host + path + ("?" + query if query else "")
