"""The public face of the index: `Library(home)` adds, searches, shows and removes.

    lib = Library(Path("~/.local/share/statements"))
    lib.add([(statement, capture_or_None), ...])          -> AddSummary
    lib.search(SearchRequest(query="indivisible security", facets=("speaker", "year")))
                                                          -> SearchResult(total, hits, facets)
    lib.get(id) -> Statement;  lib.remove(id);  lib.stats() -> Stats;  lib.reindex()

Writers take the home's write lock (waiting up to `wait` seconds); readers
never wait. Library code never prints: progress goes to a callback. Reads go
through one open `Snapshot` of the live generation (index.snapshot); the
request and result types are in index.models, the errors in index.errors.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from statements.index import budget
from statements.index import home as homes
from statements.index.errors import (
    IndexDamagedError,
    damaged,
    empty_index,
    no_index,
    not_found,
)
from statements.index.facets import load_or_build
from statements.index.files import set_aside
from statements.index.ingest import from_capture
from statements.index.lock import DEFAULT_WAIT, WriteLock
from statements.index.models import (
    Export,
    Location,
    SearchRequest,
    SearchResult,
    Stats,
    check_request,
    location,
)
from statements.index.names import aliases_changed, stamp_aliases
from statements.index.snapshot import Snapshot, damage_guard, open_snapshot, read_guard
from statements.index.store import (
    CAPTURES_FILE,
    RECORDS_FILE,
    Capture,
    CaptureStore,
    RecordStore,
)
from statements.index.values import FIELDS as VALUE_FIELDS
from statements.index.values import Value, list_values, resolve_request
from statements.index.writer import (
    AddSummary,
    Progress,
    is_indexed,
    open_index,
    remove_ids,
    write_stream,
)
from statements.scraper.errors import StatementsError, UsageError
from statements.scraper.record import Statement

if TYPE_CHECKING:
    from statements.index.trace import Trace, TraceRequest

EXPORT_PAGE = 1000


class Library:
    """A data home: the live index generation, its record store and the captures."""

    def __init__(self, home: Path | str | None = None, *, wait: float = DEFAULT_WAIT) -> None:
        self.home = homes.resolve_home(Path(home) if home is not None else None)
        self.wait = wait
        self.captures = CaptureStore(self.home / CAPTURES_FILE)
        self._view_: Snapshot | None = None  # the open generation, between reads
        self._lease: int | None = None  # shared lock on the generation being read
        self._pinned = 0  # inside snapshot(): the view is not refreshed

    # ---- writing ----------------------------------------------------------------

    def add(
        self,
        items: Iterable[tuple[Statement, Capture | None]],
        *,
        progress: Progress | None = None,
    ) -> AddSummary:
        """Index records (with their original captures, or None to keep the record itself)."""
        summary = AddSummary()
        with WriteLock(self.home, self.wait):
            generation = self._live(create=True)
            assert generation is not None  # created when missing
            self._drop_stale()
            self._finish_removals(generation)
            # a damaged segment, records.sqlite or captures.sqlite (or a full disk, a
            # read-only home: said as such)
            with damage_guard(
                self.home,
                f"could not update the index in {self.home}",
                "unless the disk is full, the index is damaged: run `statements reindex` "
                "to set damaged files aside and rebuild it",
            ):
                write_stream(
                    generation,
                    items,
                    self.captures,
                    summary,
                    progress=progress,
                    kept_page=self._kept_page,
                )
                self._warm(generation)
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
        transaction); then the documents and the record. Killed at any step, the
        remove is whole, or the next writer (`remove`, `add`, `reindex`) finishes it.
        """
        from statements.index.faults import point

        with WriteLock(self.home, self.wait):
            generation = self._live()
            if generation is None:
                raise not_found(rid)
            if rid in self._finish_removals(generation):  # an interrupted remove of it
                self._warm(generation)
                return
            if not is_indexed(generation, rid):
                raise not_found(rid)
            self.captures.mark_removed([rid])
            point("remove:marked")
            remove_ids(generation, [rid], None)
            self.captures.removal_done([rid])
            point("remove:done")
            self._warm(generation)

    def reindex(
        self,
        extract: Callable[[str, Capture], Statement] | None = None,
        *,
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
                store = RecordStore(new / RECORDS_FILE)
                try:
                    kept = store.get_many(lost)
                finally:
                    store.close()
                self.captures.put_many((r.id, CaptureStore.of_record(r)) for r in kept.values())
            open_index(new)  # fails loudly if the build is incomplete
            stamp_aliases(new)
            homes.make_current(self.home, new)
            self.captures.removal_done(removing)
            self.close_reader()
            self._warm(new)
        return summary

    # ---- reading ----------------------------------------------------------------

    def get(self, rid: str) -> Statement:
        view = self._open_view()
        if rid not in view.table.by_id:
            raise not_found(rid)
        with read_guard(view.generation):
            record = view.store.get(rid)
        if record is None:  # indexed but its record is gone: the record store is damaged
            raise damaged(view.generation, f"the record of {rid!r} is missing")
        return record

    def get_many(self, ids: Iterable[str], *, turns: bool = True) -> dict[str, Statement]:
        """The records of the indexed documents among `ids` (others are left out);
        `turns=False` leaves their turns out, for scans of the text alone."""
        view = self._open_view()
        wanted = [rid for rid in dict.fromkeys(ids) if rid in view.table.by_id]
        with read_guard(view.generation):
            return view.store.get_many(wanted, turns=turns)

    def ids(self) -> frozenset[str]:
        """The ids of every indexed document (none when nothing was indexed yet)."""
        if self._live() is None:
            return frozenset()
        return frozenset(rid for rid in self._view().table.ids if rid is not None)

    def copies(self, rid: str) -> list[Location]:
        """The other locations of a document's text (republished copies)."""
        view = self._view()
        docnum = view.table.by_id.get(rid)
        if docnum is None:
            raise not_found(rid)
        with read_guard(view.generation):
            members = view.table.group_members(docnum)
            return [location(view.searcher, m) for m in members if m != docnum]

    def stats(self) -> Stats:
        view = self._open_view()
        table = view.table
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
            "index_bytes": _size(view.generation),
            "capture_bytes": self.captures.size(),
        }

    def search(self, request: SearchRequest) -> SearchResult:
        from statements.index.search import run_search

        check_request(request)
        view = self._open_view()
        try:
            with read_guard(view.generation), budget.limits(request.query):
                request, notes = resolve_request(view.table, request)
                result = run_search(view, request)
        except budget.SearchTimeoutError:
            self.close_reader()  # stopped mid-read: the next search opens afresh
            raise
        result.notes = notes
        return result

    def export(self, request: SearchRequest, *, limit: int | None = None) -> Export:
        """Every document `request` matches (at most `limit`), as whole records with
        their other locations, read a page at a time from one view of the index (a
        writer committing meanwhile changes nothing in the export)."""
        from dataclasses import replace

        from statements.index.search import run_search

        check_request(replace(request, limit=1))
        view = self._open_view()
        generation = view.generation
        with read_guard(generation):
            request, notes = resolve_request(view.table, request)
            paged = replace(request, limit=EXPORT_PAGE, page=1, snippets=False)
            first = run_search(view, paged)
        total = first.total if limit is None else min(first.total, limit)

        def records() -> Iterator[tuple[Statement, list[Location]]]:
            result, written = first, 0
            while result.hits and written < total:
                with read_guard(generation):
                    found = view.store.get_many([h.id for h in result.hits])
                for hit in result.hits:
                    record = found.get(hit.id)
                    if record is None:  # indexed but its record is gone: damaged
                        raise damaged(generation, f"the record of {hit.id!r} is missing")
                    yield record, hit.copies
                    written += 1
                    if written >= total:
                        return
                with read_guard(generation):
                    result = run_search(view, replace(paged, page=result.page + 1))

        return Export(total, first.facets, records(), notes)

    def values(self, fieldname: str) -> list[Value]:
        """Every value of a field (speaker, source, site, type, lang) with its count."""
        if fieldname not in VALUE_FIELDS:
            raise UsageError(f"unknown field {fieldname!r}: use one of {', '.join(VALUE_FIELDS)}")
        view = self._open_view()
        with read_guard(view.generation):
            return list_values(view.table, fieldname)

    def trace(self, request: TraceRequest) -> Trace:
        """A phrase's first and last use, uses per person and per period (index.trace)."""
        from statements.index.trace import run_trace

        view = self._open_view()
        with read_guard(view.generation):
            return run_trace(self, view, request)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside the block see one state of the index, whatever writers do
        meanwhile: the same generation and Whoosh generation (not refreshed), and one
        SQLite read transaction for the records. `search --format jsonl` exports
        through it, so every id comes exactly once."""
        view = self._view()
        with read_guard(view.generation):
            view.store.begin_read()
        self._pinned += 1
        try:
            yield
        finally:
            self._pinned -= 1
            view.store.end_read()

    def aliases_changed(self) -> bool:
        """True when the alias files differ from those this index was built with."""
        return aliases_changed(homes.current_generation(self.home))

    def close(self) -> None:
        self.captures.close()
        self.close_reader()

    def close_reader(self) -> None:
        """Close the open view (searchers, record store) and give up the reader's lease."""
        if self._view_ is not None:
            self._view_.close()
            self._view_ = None
        if self._lease is not None:
            homes.release_lease(self._lease)
            self._lease = None

    # ---- internals --------------------------------------------------------------

    def _live(self, create: bool = False) -> Path | None:
        generation = homes.current_generation(self.home)
        if generation is None and create:
            generation = homes.new_generation(self.home)
            open_index(generation, create=True)
            stamp_aliases(generation)
            homes.make_current(self.home, generation)
        return generation

    def _set_captures_aside(self) -> Path:
        """Set a damaged capture store (and its WAL files) aside (index.files)."""
        self.captures.close()
        return set_aside(self.captures.path, ("-wal", "-shm"))

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
        main = open_index(generation)
        with main.reader() as reader:
            load_or_build(generation, reader)

    def _open_view(self) -> Snapshot:
        """The view of the live generation, or NoIndexError when nothing was indexed."""
        if self._live() is None:
            raise no_index(self.home)
        return self._view()

    def _view(self) -> Snapshot:
        """The open view of the live generation, refreshed when the index changed."""
        generation = self._live()
        if generation is None:
            raise empty_index()
        view = self._view_
        if view is not None and self._pinned:
            return view  # inside snapshot(): the state it started with
        if view is not None and view.generation == generation:
            self._view_ = view.refreshed()
            return self._view_
        self.close_reader()
        self._view_, self._lease = open_snapshot(self.home)
        return self._view_

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _readable_store(generation: Path | None) -> RecordStore | None:
    """The record store of `generation` for reindex's fallbacks, or None when unreadable."""
    if generation is None or not (generation / RECORDS_FILE).is_file():
        return None
    try:
        store = RecordStore(generation / RECORDS_FILE)
        store.get("")  # reads a page: a damaged file fails here
        return store
    except sqlite3.DatabaseError:
        return None


def _previous(store: RecordStore | None, rid: str) -> Statement | None:
    try:
        return store.get(rid) if store is not None else None
    except (sqlite3.DatabaseError, ValueError, StatementsError):
        return None


def _size(path: Path) -> int:
    if not path.exists():
        return 0
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
