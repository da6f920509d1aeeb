"""`statements trace PHRASE`: who said a phrase first and last, how often each person said it.

The documents come from the library's own phrase search (same filters, copies
collapsed the same way), so trace and search agree on which documents hold
the phrase. Each document's text is then scanned for the occurrences
themselves (index.phrases): candidate words are found with one regular expression (a stem
minus its last letter starts every word it comes from, see `index.snippets`)
and each candidate is checked with the analyzer that indexed the document, so
an occurrence is what the phrase search it runs matches: the phrase's words
in order, stop words included, each in any of its forms (the stems of
`index.analysis`: a Russian phrase is found in every case), unlike `search`,
where a quoted phrase is its exact words.

Without `said_by` an occurrence is credited to every speaker of its document
(as the speaker facet counts). With it, only to the person whose own turn it
is in; a statement without turns by one person is that person's words, as in
`search --said-by`. Library code never prints: `run_trace` returns a `Trace`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from statements.index.phrases import PhraseFinder, kwic, phrase_query
from statements.scraper.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from statements.index.facets import FacetTable
    from statements.index.models import Hit, SearchRequest, SearchResult
    from statements.index.snapshot import Snapshot
    from statements.scraper.record import Statement

PERIODS = ("year", "month")
CONTEXT = 40  # characters of context on each side of an occurrence
UNDATED = "undated"


@dataclass(frozen=True)
class TraceRequest:
    """What to trace. Filters are as for `SearchRequest`; `said_by` credits turns only."""

    phrase: str
    speakers: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    sources: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    said_by: bool = False
    by: str = "year"
    occurrences: bool = False  # every occurrence in context (read from the texts)
    width: int = CONTEXT


@dataclass
class Occurrence:
    """One use of the phrase: where, when, by whom, and its keyword-in-context line.

    Without contexts (no --occurrences) one `Occurrence` stands for `count` uses in
    one text (a document, or a turn with said_by), counted from the index positions.
    """

    id: str
    date: str | None
    title: str
    url: str | None
    people: list[str]
    left: str = ""
    match: str = ""
    right: str = ""
    offset: int = 0  # character offset of the match in the text scanned (body or turn)
    turn: int | None = None  # position of the turn it is in (with said_by)
    order: tuple[int, str, int] = (0, "", 0)  # (date ordinal or huge, id, turn)
    count: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.date,
            "title": self.title,
            "url": self.url,
            "people": self.people,
            "left": self.left,
            "match": self.match,
            "right": self.right,
            "offset": self.offset,
            "turn": self.turn,
        }


@dataclass
class PersonRow:
    name: str
    occurrences: int = 0
    documents: int = 0
    first: str | None = None
    last: str | None = None
    _first_key: int = field(default=0, repr=False)
    _last_key: int = field(default=0, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "occurrences": self.occurrences,
            "documents": self.documents,
            "first": self.first,
            "last": self.last,
        }


@dataclass
class Trace:
    phrase: str
    said_by: bool
    by: str
    documents: int
    occurrences: int
    first: Occurrence | None
    last: Occurrence | None
    people: list[PersonRow]
    periods: list[tuple[str, int, int]]  # (period, occurrences, documents), zeros included
    unattributed: int  # occurrences credited to no one (no speaker named)
    contexts: list[Occurrence]  # every occurrence, oldest first

    def to_dict(self, contexts: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "phrase": self.phrase,
            "said_by": self.said_by,
            "by": self.by,
            "documents": self.documents,
            "occurrences": self.occurrences,
            "unattributed": self.unattributed,
            "first": _use(self.first),
            "last": _use(self.last),
            "people": [p.to_dict() for p in self.people],
            "periods": [
                {"period": p, "occurrences": n, "documents": d} for p, n, d in self.periods
            ],
        }
        if contexts:
            out["contexts"] = [c.to_dict() for c in self.contexts]
        return out


def _use(occ: Occurrence | None) -> dict[str, Any] | None:
    if occ is None:
        return None
    return {
        "date": occ.date,
        "people": occ.people,
        "id": occ.id,
        "title": occ.title,
        "url": occ.url,
    }


# ---- the trace ------------------------------------------------------------------------


def check_trace(request: TraceRequest, finder: PhraseFinder) -> None:
    if request.by not in PERIODS:
        raise UsageError(f"unknown period {request.by!r}: use year or month")
    if not request.phrase.strip() or not finder.searchable():
        raise UsageError(
            f"the phrase {request.phrase!r} has no searchable words",
            "give at least one word (letters or digits)",
        )
    if not 5 <= request.width <= 200:
        raise UsageError("--width must be between 5 and 200")


class Reads(Protocol):
    """What a trace asks of the library (index.library.Library): its phrase search and
    the records of the hits."""

    def search(self, request: SearchRequest) -> SearchResult: ...

    def get_many(self, ids: Iterable[str], *, turns: bool = True) -> dict[str, Statement]: ...


def run_trace(library: Reads, view: Snapshot, request: TraceRequest) -> Trace:
    """Trace `request.phrase` through the documents the filters select.

    `view` is the library's open generation (as `index.search.run_search` gets
    it). The counts come from the index's positions (the phrase matcher's spans
    per document, or per turn with said_by); the texts are read only for
    `occurrences`, whose contexts need them.
    """
    from dataclasses import replace

    from statements.index.models import MAX_LIMIT, SearchRequest
    from statements.index.schema import norm_key
    from statements.index.values import resolve_speakers

    finder = PhraseFinder(request.phrase)
    check_trace(request, finder)
    turns_of = bool(request.said_by and request.speakers)
    search = SearchRequest(
        query=phrase_query(request.phrase),
        stem_phrases=True,
        speakers=() if turns_of else request.speakers,
        said_by=request.speakers if turns_of else (),
        since=request.since,
        until=request.until,
        sources=request.sources,
        types=request.types,
        langs=request.langs,
        sort="oldest",
        limit=MAX_LIMIT,
        snippets=False,
    )
    hits: list[Hit] = []
    page = 1
    while True:
        result = library.search(replace(search, page=page))
        hits.extend(result.hits)
        if not result.hits or page * MAX_LIMIT >= result.total:
            break
        page += 1
    if request.occurrences:
        found = _scanned(library, hits, request, finder, view.table)
    else:
        found = _counted(view, hits, request, finder)
    if turns_of:  # --said-by with --speaker: only these people's own words
        known = {norm_key(p) for occ in found for p in occ.people}
        allowed = resolve_speakers(request.speakers, known)
        for occ in found:
            occ.people = [p for p in occ.people if norm_key(p) in allowed]
        found = [occ for occ in found if occ.people]
    found.sort(key=lambda o: (o.order, o.offset))
    return _summarise(request, found)


def _credit(
    hit: Hit, table: FacetTable, people: list[str], turn: int | None, **kw: Any
) -> Occurrence:
    d = table.by_id[hit.id]
    ordinal = table.ordinal[d] or 10**8
    return Occurrence(
        id=hit.id,
        date=hit.date,
        title=hit.title,
        url=hit.url,
        people=list(people),
        turn=turn,
        order=(ordinal, hit.id, -1 if turn is None else turn),
        **kw,
    )


def _counted(
    view: Snapshot, hits: list[Hit], request: TraceRequest, finder: PhraseFinder
) -> list[Occurrence]:
    """One `Occurrence` (with its count) per document, or per turn with said_by,
    from the phrase's spans in the index (the positions search matches on)."""
    from statements.index.said import counts_in_turns
    from statements.index.schema import SAID_FIELDS

    searcher, table = view.searcher, view.table
    wanted = {table.by_id[h.id]: h for h in hits if h.id in table.by_id}
    counts = finder.counts(searcher)
    found = []
    if not request.said_by:
        for d, hit in wanted.items():
            n = counts.get(d, 0)
            if n:
                found.append(_credit(hit, table, hit.speakers, None, count=n))
        return found
    query = finder.query(searcher, SAID_FIELDS)
    turned = [d for d in wanted if table.has_turns[d]]
    for d, turn, n in counts_in_turns(searcher, query, turned):
        found.append(_credit(wanted[d], table, [turn.name], turn.pos, count=n))
    for d, hit in wanted.items():  # one person's statement without turns: their words
        n = counts.get(d, 0)
        if n and not table.has_turns[d] and len(table.speakers[d]) == 1:
            found.append(_credit(hit, table, hit.speakers[:1], None, count=n))
    return found


def _scanned(
    library: Reads,
    hits: list[Hit],
    request: TraceRequest,
    finder: PhraseFinder,
    table: FacetTable,
) -> list[Occurrence]:
    """Every occurrence with its context, found in the texts themselves."""
    from statements.index.names import canonical
    from statements.index.said import said_turns

    records = library.get_many((h.id for h in hits), turns=request.said_by)
    found: list[Occurrence] = []
    for hit in hits:
        record = records.get(hit.id)
        if record is None:
            continue
        lang = record.language
        for text, people, turn in _texts(record, request.said_by, said_turns, canonical):
            for start, end in finder.find(text, lang):
                left, match, right = kwic(text, start, end, request.width)
                found.append(
                    _credit(
                        hit, table, people, turn, left=left, match=match, right=right, offset=start
                    )
                )
    return found


def _texts(
    record: Statement, said_by: bool, said_turns: Any, canonical: Any
) -> Iterator[tuple[str, list[str], int | None]]:
    """(text, credited people, turn position) to scan in one record."""
    lang = record.language
    people = list(dict.fromkeys(canonical(s, lang) for s in record.speakers if s.strip()))
    if not said_by:
        yield record.text, people, None
        return
    turns = said_turns(record)
    if turns:
        for pos, _key, name, text in turns:
            yield text, [name], pos
    elif len(people) == 1:  # one person's statement without turns: all their words
        yield record.text, people, None


def _summarise(request: TraceRequest, found: list[Occurrence]) -> Trace:
    from statements.index.schema import norm_key

    # People are grouped by their names as the index holds them (already canonical):
    # canonicalising them again could fold two of a document's speakers into one
    # person and credit one occurrence to them twice.
    rows: dict[str, PersonRow] = {}
    docs_of: dict[str, set[str]] = {}
    unattributed = 0
    for occ in found:
        if not occ.people:
            unattributed += occ.count
        for key, name in {norm_key(n): n for n in reversed(occ.people)}.items():
            row = rows.get(key)
            if row is None:
                row = rows[key] = PersonRow(name)
            row.occurrences += occ.count
            docs_of.setdefault(key, set()).add(occ.id)
            ordinal = occ.order[0]
            if occ.date and ordinal < 10**8:
                if row.first is None or ordinal < row._first_key:
                    row.first, row._first_key = occ.date, ordinal
                if row.last is None or ordinal > row._last_key:
                    row.last, row._last_key = occ.date, ordinal
    for key, row in rows.items():
        row.documents = len(docs_of[key])
    people = sorted(rows.values(), key=lambda r: (-r.occurrences, -r.documents, r.name.lower()))
    dated = [o for o in found if o.date and o.order[0] < 10**8]
    first = dated[0] if dated else None
    last = max(dated, key=lambda o: (o.order[0], o.id, o.offset)) if dated else None
    return Trace(
        phrase=request.phrase,
        said_by=request.said_by,
        by=request.by,
        documents=len({o.id for o in found}),
        occurrences=sum(o.count for o in found),
        first=first,
        last=last,
        people=people,
        periods=periods(found, request.by),
        unattributed=unattributed,
        contexts=found if request.occurrences else [],
    )


def periods(found: list[Occurrence], by: str) -> list[tuple[str, int, int]]:
    """(period, occurrences, documents) from the first dated period to the last, every
    period in between shown (zeros too); dates known only to the year form their own
    row in a month chart ("2019"), as in the month facet; undated ones come last."""
    occ: dict[str, int] = {}
    docs: dict[str, set[str]] = {}
    for o in found:
        label = _period(o.date, by)
        occ[label] = occ.get(label, 0) + o.count
        docs.setdefault(label, set()).add(o.id)
    labels = [p for p in occ if p != UNDATED]
    full: list[str] = []
    if labels:
        if by == "year":
            years = [int(p) for p in labels]
            full = [str(y) for y in range(min(years), max(years) + 1)]
        else:
            months = sorted(p for p in labels if len(p) == 7)
            full = _month_range(months[0], months[-1]) if months else []
            full = sorted(set(full) | {p for p in labels if len(p) == 4})
    if UNDATED in occ:
        full.append(UNDATED)
    return [(p, occ.get(p, 0), len(docs.get(p, ()))) for p in full]


def _period(iso: str | None, by: str) -> str:
    if not iso:
        return UNDATED
    return iso[:4] if by == "year" else iso[:7]


def _month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    ly, lm = int(last[:4]), int(last[5:7])
    out = []
    while (y, m) <= (ly, lm):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
