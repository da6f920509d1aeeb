"""The public face of the index: `Library(home)` adds, searches, shows and removes.

    lib = Library(Path("~/.local/share/statements"))
    lib.add([(statement, capture_or_None), ...])          -> AddSummary
    lib.search(SearchRequest(query="indivisible security", facets=("speaker", "year")))
                                                          -> SearchResult(total, hits, facets)
    lib.get(id) -> Statement;  lib.remove(id);  lib.stats() -> dict;  lib.reindex()

Writers take the home's write lock (waiting up to `wait` seconds); readers
never wait. Library code never prints: progress goes to a callback.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from statements.index import budget
from statements.index import home as homes
from statements.index.facets import FACETS, FacetTable, load_or_build
from statements.index.ingest import from_capture
from statements.index.lock import DEFAULT_WAIT, WriteLock
from statements.index.names import aliases_changed, stamp_aliases
from statements.index.store import CAPTURES_FILE, Capture, CaptureStore, RecordStore
from statements.index.values import FIELDS as VALUE_FIELDS
from statements.index.values import Value, list_values, resolve_request
from statements.index.writer import (
    AddSummary,
    IndexDamagedError,
    Progress,
    open_indexes,
    remove_ids,
    write_stream,
)
from statements.scraper.errors import StatementsError, UsageError
from statements.scraper.record import Statement

if TYPE_CHECKING:
    from statements.index.trace import Trace, TraceRequest

__all__ = [
    "AddSummary",
    "Capture",
    "Export",
    "Hit",
    "IndexDamagedError",
    "Library",
    "NoIndexError",
    "NotFoundError",
    "SearchRequest",
    "SearchResult",
]

SORTS = ("relevance", "newest", "oldest")
FACET_NAMES = (*FACETS, "said-by")
MAX_LIMIT = 10_000


class NotFoundError(StatementsError):
    """No document with the id asked for."""


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
    copies: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("spans")
        out["score"] = round(self.score, 4) if self.score is not None else None
        return out


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
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


EXPORT_PAGE = 1000


@dataclass
class Export:
    """What `Library.export` gives: the total, the facets, and the records as a stream."""

    total: int
    facets: dict[str, list[tuple[str, int]]]
    records: Iterator[tuple[Statement, list[dict[str, Any]]]]
    notes: list[str] = field(default_factory=list)


class Library:
    """A data home: the live index generation, its record store and the captures."""

    def __init__(self, home: Path | str | None = None, *, wait: float = DEFAULT_WAIT) -> None:
        self.home = homes.resolve_home(Path(home) if home is not None else None)
        self.wait = wait
        self.captures = CaptureStore(self.home / CAPTURES_FILE)
        self._reader: tuple[Path, Any, Any, Any, Any] | None = None
        self._lease: int | None = None  # shared lock on the generation being read
        self._pinned = 0  # inside snapshot(): the reader is not refreshed

    # ---- writing ----------------------------------------------------------------

    def add(
        self,
        items: Iterable[tuple[Statement, Capture | None]],
        progress: Progress | None = None,
    ) -> AddSummary:
        """Index records (with their original captures, or None to keep the record itself)."""
        summary = AddSummary()
        with WriteLock(self.home, self.wait):
            generation = self._live(create=True)
            assert generation is not None  # created when missing
            self._drop_stale()
            self._finish_removals(generation)
            try:
                write_stream(
                    generation,
                    items,
                    self.captures,
                    summary,
                    progress=progress,
                    kept_page=self._kept_page,
                )
                self._warm(generation)
            except StatementsError:
                raise
            except Exception as exc:  # a damaged segment, records.sqlite or captures.sqlite
                problem = homes.os_problem(exc, self.home)  # or a full disk, a read-only home
                if problem is not None:
                    raise problem from exc
                detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
                raise IndexDamagedError(
                    f"could not update the index in {self.home} ({detail})",
                    "unless the disk is full, the index is damaged: run `statements reindex` "
                    "to set damaged files aside and rebuild it",
                ) from exc
        return summary

    def _kept_page(self, rid: str) -> bool:
        """Whether a bare record's statement is indexed from its page already.

        One statement has one id whatever the input path (a record with a URL has
        the id of the page at that URL); of the two captures the page is the
        richer one, and `reindex` can extract it again. A page replaces a record.
        """
        return bool(self.captures.pages([rid]))

    def remove(self, rid: str) -> None:
        """Delete a document, its record and its capture.

        The capture goes first, with a note that the id is being removed (one
        transaction); then the documents, turns and record. Killed at any step, the
        remove is whole, or the next writer (`remove`, `add`, `reindex`) finishes it.
        """
        from statements.index.faults import point

        with WriteLock(self.home, self.wait):
            generation = self._live()
            if generation is None:
                raise _not_found(rid)
            if rid in self._finish_removals(generation):  # an interrupted remove of it
                self._warm(generation)
                return
            if not _indexed(generation, rid):
                raise _not_found(rid)
            self.captures.mark_removed([rid])
            point("remove:marked")
            remove_ids(generation, [rid], None)
            self.captures.removal_done([rid])
            point("remove:done")
            self._warm(generation)

    def reindex(
        self,
        extract: Callable[[str, Capture], Statement] | None = None,
        progress: Progress | None = None,
    ) -> AddSummary:
        """Rebuild the index from the stored captures with the current extractor.

        The new generation is built beside the live one and made live only
        when complete. A capture the extractor now rejects keeps its
        previous record (and is reported in `failed`), so a reindex never
        loses a document.
        """
        summary = AddSummary()
        with WriteLock(self.home, self.wait):
            try:
                old = self._live()
                self._drop_stale()
            except IndexDamagedError:  # CURRENT itself is damaged: rebuild from captures
                old = None
            old_store = _readable_store(old)
            removing = set(self.captures.pending_removals())  # interrupted removes
            new = homes.new_generation(self.home)
            extract = extract or from_capture
            captured: set[str] = set()
            given: set[str] = set()  # ids only: the records themselves stream through

            def records() -> Iterator[tuple[Statement, Capture | None]]:
                seen = 0
                try:
                    for rid, capture in self.captures.iter_all():
                        seen += 1
                        captured.add(rid)
                        try:
                            record = extract(rid, capture)
                        except StatementsError as exc:
                            previous = _previous(old_store, rid)
                            summary.fail(rid, str(exc))
                            if previous is None:
                                continue
                            record = previous
                        given.add(rid)
                        yield record, None
                        if progress:
                            progress(seen, None)
                except sqlite3.DatabaseError as exc:
                    # the captures are the user's data: set aside, never deleted; the
                    # documents are kept from the live index below
                    aside = self._set_captures_aside()
                    captured.clear()
                    summary.fail(
                        str(self.captures.path),
                        f"damaged ({exc}); moved to {aside.name}, documents kept from the index",
                    )
                if old_store is not None:
                    try:
                        for record in old_store.iter_all():
                            if record.id not in removing and record.id not in given:
                                given.add(record.id)
                                yield record, None
                    except (sqlite3.DatabaseError, ValueError, StatementsError):
                        pass  # a damaged record store: the captures are the source

            try:
                write_stream(new, records(), None, summary, fresh=True)
            finally:
                if old_store is not None:
                    old_store.close()
            # a document kept from the old index without a capture (its capture was lost)
            # gets its record as capture, so that the next reindex still has it
            lost = sorted(given - captured)
            if lost:
                store = RecordStore(new / "records.sqlite")
                try:
                    kept = store.get_many(lost)
                finally:
                    store.close()
                self.captures.put_many((r.id, CaptureStore.of_record(r)) for r in kept.values())
            open_indexes(new)  # fails loudly if the build is incomplete
            stamp_aliases(new)
            homes.make_current(self.home, new)
            self.captures.removal_done(removing)
            self.close_reader()
            self._warm(new)
        return summary

    # ---- reading ----------------------------------------------------------------

    def get(self, rid: str) -> Statement:
        generation = self._live()
        if generation is None:
            raise _no_index(self.home)
        _gen, _searcher, _turns, table, store = self._open()
        if rid not in table.by_id:
            raise _not_found(rid)
        with _read_guard(generation):
            record = store.get(rid)
        if record is None:  # indexed but its record is gone: the record store is damaged
            raise _damaged(generation, f"the record of {rid!r} is missing")
        return record

    def get_many(self, ids: Iterable[str], turns: bool = True) -> dict[str, Statement]:
        """The records of the indexed documents among `ids` (others are left out);
        `turns=False` leaves their turns out, for scans of the text alone."""
        generation = self._live()
        if generation is None:
            raise _no_index(self.home)
        _gen, _searcher, _turns, table, store = self._open()
        wanted = [rid for rid in dict.fromkeys(ids) if rid in table.by_id]
        with _read_guard(generation):
            return store.get_many(wanted, turns=turns)

    def ids(self) -> frozenset[str]:
        """The ids of every indexed document (none when nothing was indexed yet)."""
        if self._live() is None:
            return frozenset()
        table = self._open()[3]
        return frozenset(rid for rid in table.ids if rid is not None)

    def copies(self, rid: str) -> list[dict[str, Any]]:
        """The other locations of a document's text (republished copies)."""
        _gen, searcher, _turns, table, _store = self._open()
        docnum = table.by_id.get(rid)
        if docnum is None:
            raise _not_found(rid)
        with _read_guard(_gen):
            return [_location(searcher, m) for m in table.group_members(docnum) if m != docnum]

    def stats(self) -> dict[str, Any]:
        generation = self._live()
        if generation is None:
            raise _no_index(self.home)
        _gen, _searcher, _turns, table, _store = self._open()
        live = [d for d, rid in enumerate(table.ids) if rid is not None]
        ordinals = [table.ordinal[d] for d in live if table.ordinal[d]]
        speakers = {s for d in live for s in table.speakers[d]}
        sources = {table.source[d] for d in live if table.source[d] >= 0}
        return {
            "home": str(self.home),
            "documents": len(live),
            "speakers": len(speakers),
            "sources": len(sources),
            "first_date": dt.date.fromordinal(min(ordinals)).isoformat() if ordinals else None,
            "last_date": dt.date.fromordinal(max(ordinals)).isoformat() if ordinals else None,
            "undated": len(live) - len(ordinals),
            "index_bytes": _size(generation),
            "capture_bytes": self.captures.size(),
        }

    def search(self, request: SearchRequest) -> SearchResult:
        from statements.index.search import run_search

        check_request(request)
        generation = self._live()
        if generation is None:
            raise _no_index(self.home)
        opened = self._open()
        try:
            with _read_guard(generation), budget.limits(request.query):
                request, notes = resolve_request(opened[3], request)
                result = run_search(opened, request)
        except budget.SearchTimeoutError:
            self.close_reader()  # stopped mid-read: the next search opens afresh
            raise
        result.notes = notes
        return result

    def export(self, request: SearchRequest, limit: int | None = None) -> Export:
        """Every document `request` matches (at most `limit`), as whole records with
        their other locations, read a page at a time from one view of the index (a
        writer committing meanwhile changes nothing in the export)."""
        from dataclasses import replace

        from statements.index.search import run_search

        check_request(replace(request, limit=1))
        generation = self._live()
        if generation is None:
            raise _no_index(self.home)
        opened = self._open()
        with _read_guard(generation):
            request, notes = resolve_request(opened[3], request)
            paged = replace(request, limit=EXPORT_PAGE, page=1, snippets=False)
            first = run_search(opened, paged)
        total = first.total if limit is None else min(first.total, limit)

        def records() -> Iterator[tuple[Statement, list[dict[str, Any]]]]:
            result, written = first, 0
            while result.hits and written < total:
                with _read_guard(generation):
                    found = opened[4].get_many([h.id for h in result.hits])
                for hit in result.hits:
                    record = found.get(hit.id)
                    if record is None:  # indexed but its record is gone: damaged
                        raise _damaged(generation, f"the record of {hit.id!r} is missing")
                    yield record, hit.copies
                    written += 1
                    if written >= total:
                        return
                with _read_guard(generation):
                    result = run_search(opened, replace(paged, page=result.page + 1))

        return Export(total, first.facets, records(), notes)

    def values(self, fieldname: str) -> list[Value]:
        """Every value of a field (speaker, source, site, type, lang) with its count."""
        if fieldname not in VALUE_FIELDS:
            raise UsageError(f"unknown field {fieldname!r}: use one of {', '.join(VALUE_FIELDS)}")
        generation = self._live()
        if generation is None:
            raise _no_index(self.home)
        _gen, _searcher, _turns, table, _store = self._open()
        with _read_guard(generation):
            return list_values(table, fieldname)

    def trace(self, request: TraceRequest) -> Trace:
        """A phrase's first and last use, uses per person and per period (index.trace)."""
        from statements.index.trace import run_trace

        generation = self._live()
        if generation is None:
            raise _no_index(self.home)
        opened = self._open()
        with _read_guard(generation):
            return run_trace(self, opened, request)

    def aliases_changed(self) -> bool:
        """True when the alias files differ from those this index was built with."""
        return aliases_changed(homes.current_generation(self.home))

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside the block see one state of the index, whatever writers do
        meanwhile: the same generation and Whoosh generation (not refreshed), and one
        SQLite read transaction for the records. `search --format jsonl` exports
        through it, so every id comes exactly once."""
        opened = self._open()
        store = opened[4]
        with _read_guard(opened[0]):
            store.begin_read()
        self._pinned += 1
        try:
            yield
        finally:
            self._pinned -= 1
            store.end_read()

    def close(self) -> None:
        self.captures.close()
        self.close_reader()

    def close_reader(self) -> None:
        """Close the searchers and the record store, and give up the reader's lease."""
        if self._reader is not None:
            _gen, searcher, turns, _table, store = self._reader
            searcher.close()
            turns.close()
            store.close()
            self._reader = None
        if self._lease is not None:
            homes.release_lease(self._lease)
            self._lease = None

    # ---- internals --------------------------------------------------------------

    def _live(self, create: bool = False) -> Path | None:
        generation = homes.current_generation(self.home)
        if generation is None and create:
            generation = homes.new_generation(self.home)
            open_indexes(generation, create=True)
            stamp_aliases(generation)
            homes.make_current(self.home, generation)
        return generation

    def _set_captures_aside(self) -> Path:
        """Move a damaged capture store (and its WAL files) to `captures.sqlite.damaged`."""
        self.captures.close()
        path = self.captures.path
        target = path.with_name(path.name + ".damaged")
        n = 1
        while target.exists():
            n += 1
            target = path.with_name(f"{path.name}.damaged-{n}")
        os.replace(path, target)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.replace(side, target.with_name(target.name + suffix))
        return target

    def _drop_stale(self) -> None:
        """Remove generations left by a finished swap or an interrupted reindex, except
        those a reader still has open (a later writer removes them)."""
        for path in homes.stale_generations(self.home):
            homes.remove_generation(path)

    def _finish_removals(self, generation: Path) -> set[str]:
        """Finish removes that were interrupted after their first step; their ids."""
        ids = self.captures.pending_removals()
        if ids:
            remove_ids(generation, ids, None)
            self.captures.removal_done(ids)
        return set(ids)

    def _warm(self, generation: Path) -> None:
        """Build the facet table now so that the next search only loads it."""
        main, _turns = open_indexes(generation)
        with main.reader() as reader:
            load_or_build(generation, reader)

    def _open(self) -> tuple[Path, Any, Any, FacetTable, RecordStore]:
        """Searchers on the live generation, refreshed when the index changed."""
        generation = self._live()
        if generation is None:
            raise NotFoundError("the index is empty", "add documents with `statements add`")
        if self._pinned and self._reader is not None:
            return self._reader  # inside snapshot(): the state it started with
        if self._reader is not None and self._reader[0] == generation:
            _g, searcher, turns, table, store = self._reader
            fresh = searcher.refresh()
            try:
                fresh_turns = turns.refresh()
            except Exception:  # Whoosh cannot refresh a reader of an empty index
                fresh_turns = open_indexes(generation)[1].searcher()
            if fresh is not searcher:
                table = load_or_build(generation, fresh.reader())
            self._reader = (generation, fresh, fresh_turns, table, store)
            return self._reader
        self.close_reader()
        leased = homes.lease_current(self.home)
        if leased is None:
            raise NotFoundError("the index is empty", "add documents with `statements add`")
        generation, self._lease = leased  # the live one now (it may have moved on)
        main, turns_ix = open_indexes(generation)
        try:
            searcher = main.searcher()
            turns = turns_ix.searcher()
            table = load_or_build(generation, searcher.reader())
        except StatementsError:
            raise
        except Exception as exc:
            problem = homes.os_problem(exc, self.home)
            if problem is not None:
                raise problem from exc
            raise IndexDamagedError(
                f"the index in {generation} is damaged ({type(exc).__name__}: {exc})",
                "run `statements reindex` to rebuild it from the stored captures",
            ) from None
        records = generation / "records.sqlite"
        with _read_guard(generation):
            store = None
            if records.is_file():
                store = RecordStore(records)
                if not store.ready():  # its first writer was killed before the table
                    store.close()
                    store = None
            if store is None:
                if any(rid is not None for rid in table.ids):
                    raise _damaged(generation, "records.sqlite is missing")
                # No document yet (the first add indexed nothing, or was killed before it
                # wrote one): an empty store in memory, since a reader creates no files.
                store = RecordStore(Path(":memory:"), create=True)
        self._reader = (generation, searcher, turns, table, store)
        return self._reader

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_request(request: SearchRequest) -> None:
    """Raise UsageError (exit 2) for option values that cannot be searched."""
    from statements.index.query import date_bounds

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


def _damaged(generation: Path, what: str) -> IndexDamagedError:
    return IndexDamagedError(
        f"the index in {generation} is damaged ({what})",
        "run `statements reindex` to rebuild it from the stored captures",
    )


@contextmanager
def _read_guard(generation: Path) -> Iterator[None]:
    """A failure while reading index files (truncated segment, torn SQLite page) becomes
    one clear error naming the repair, instead of an internal error. Damage shows as
    many exception types (OSError, TypeError, EOFError, ...), so the message says
    "may be" and what to do if the repair does not help (then it was a bug)."""
    try:
        yield
    except StatementsError:
        raise
    except Exception as exc:
        problem = homes.os_problem(exc, generation.parent)
        if problem is not None:
            raise problem from exc
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        raise IndexDamagedError(
            f"could not read the index in {generation} ({detail}); it may be damaged",
            "run `statements reindex` to rebuild it from the stored captures; if the error "
            "stays, rerun with --debug and report it",
        ) from exc


def _indexed(generation: Path, rid: str) -> bool:
    main, _turns = open_indexes(generation)
    with main.searcher() as searcher:
        return searcher.document_number(id=rid) is not None


def _readable_store(generation: Path | None) -> RecordStore | None:
    """The record store of `generation` for reindex's fallbacks, or None when unreadable."""
    if generation is None or not (generation / "records.sqlite").is_file():
        return None
    try:
        store = RecordStore(generation / "records.sqlite")
        store.get("")  # reads a page: a damaged file fails here
        return store
    except sqlite3.DatabaseError:
        return None


def _previous(store: RecordStore | None, rid: str) -> Statement | None:
    try:
        return store.get(rid) if store is not None else None
    except (sqlite3.DatabaseError, ValueError, StatementsError):
        return None


class NoIndexError(StatementsError):
    """The data home holds no index: nothing was ever added there."""


def _no_index(home: Path) -> NoIndexError:
    where = "does not exist" if not home.exists() else "holds no index yet"
    return NoIndexError(
        f"the data folder {home} {where}",
        "add statements first with `statements add PATH`, "
        "or point --home / STATEMENTS_HOME at your data folder",
    )


def _not_found(rid: str) -> NotFoundError:
    return NotFoundError(
        f"no document with id {rid!r}",
        "find ids with `statements search QUERY --format json`",
    )


def _location(searcher: Any, docnum: int) -> dict[str, Any]:
    stored = searcher.stored_fields(docnum)
    meta = stored.get("meta") or {}
    return {
        "id": stored.get("id"),
        "url": meta.get("url"),
        "source": meta.get("source"),
        "republished_by": meta.get("republished_by"),
        "date": meta.get("date"),
    }


def _size(path: Path) -> int:
    if not path.exists():
        return 0
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def counts(pairs: Iterable[str]) -> list[tuple[str, int]]:
    return sorted(Counter(pairs).items(), key=lambda r: (-r[1], r[0]))
