"""What a search asks and what it gives: the request, the hits, the result, an export.

Plain dataclasses, imported by the facade (index.library), by the code that runs a
search (index.search, index.trace, index.watch) and by the command line, so that
none of these imports another to name them. `check_request` says which option
values cannot be searched before anything is opened.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from statements.index.facets import FACETS
from statements.scraper.errors import UsageError

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from statements.scraper.record import Statement

SORTS = ("relevance", "newest", "oldest")
FACET_NAMES = (*FACETS, "said-by")
MAX_LIMIT = 10_000


@dataclass(frozen=True)
class SearchRequest:
    """What to search for. Values are as the user typed them; `search` validates them."""

    query: str = ""
    speakers: tuple[str, ...] = ()
    said_by: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    sources: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    facets: tuple[str, ...] = ()
    sort: str = "relevance"
    limit: int = 10
    page: int = 1
    all_copies: bool = False
    snippets: bool = True
    ids: tuple[str, ...] | None = None  # only these documents (a watch's new matches)
    exact: bool = False  # words as typed, not stemmed (as `=word` does for one word)
    all_words: bool = False  # only the documents holding all the query's words
    stem_phrases: bool = False  # a phrase's words in any of their forms (for trace)


class Location(TypedDict):
    """Where one copy of a text was published (a hit's other copies)."""

    id: str | None
    url: str | None
    source: str | None
    republished_by: str | None
    date: str | None


@dataclass
class Hit:
    id: str
    score: float | None
    title: str
    date: str | None
    speakers: list[str]
    source: str | None
    url: str | None
    snippet: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    republished_by: str | None = None
    said_by: str | None = None
    copies: list[Location] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("spans")
        out["score"] = round(self.score, 4) if self.score is not None else None
        return out


Facets = dict[str, list[tuple[str, int]]]  # facet name -> (value, count), most first


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: Facets
    page: int = 1
    limit: int = 10
    suggestion: str | None = None
    all_words: int | None = None  # of `total`, the documents with all the words
    # filter values that name nothing in the index, with the nearest ones (for stderr)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "all_words": self.all_words,
            "page": self.page,
            "limit": self.limit,
            "hits": [h.to_dict() for h in self.hits],
            "facets": {
                name: [{"value": v, "count": n} for v, n in rows]
                for name, rows in self.facets.items()
            },
            "suggestion": self.suggestion,
        }


@dataclass
class Export:
    """What `Library.export` gives: the total, the facets, and the records as a stream."""

    total: int
    facets: Facets
    records: Iterator[tuple[Statement, list[Location]]]
    notes: list[str] = field(default_factory=list)


class Stats(TypedDict):
    """What `Library.stats` counts (`statements stats` prints it as it is)."""

    home: str
    documents: int
    speakers: int
    sources: int
    first_date: str | None
    last_date: str | None
    undated: int
    index_bytes: int
    capture_bytes: int


def location(searcher: Searcher, docnum: int) -> Location:
    """A document's place of publication, from its stored fields."""
    stored = searcher.reader().stored_fields(docnum)
    meta = stored.get("meta") or {}
    return {
        "id": stored.get("id"),
        "url": meta.get("url"),
        "source": meta.get("source"),
        "republished_by": meta.get("republished_by"),
        "date": meta.get("date"),
    }


def check_request(request: SearchRequest) -> None:
    """Raise UsageError (exit 2) for option values that cannot be searched."""
    from statements.index.syntax import date_bounds

    for name, value in (("--since", request.since), ("--until", request.until)):
        if value is not None:
            try:
                date_bounds(value)
            except ValueError:
                raise UsageError(
                    f"{name} {value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"
                ) from None
    for facet in request.facets:
        if facet not in FACET_NAMES:
            raise UsageError(f"unknown facet {facet!r}: use one of {', '.join(FACET_NAMES)}")
    if request.sort not in SORTS:
        raise UsageError(f"unknown sort {request.sort!r}: use one of {', '.join(SORTS)}")
    if not 1 <= request.limit <= MAX_LIMIT:
        raise UsageError(f"--limit must be between 1 and {MAX_LIMIT}")
    if request.page < 1:
        raise UsageError("--page must be 1 or more")
