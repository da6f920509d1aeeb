"""Writing a batch of records into one index generation, incrementally and safely.

A batch is de-duplicated by id first (the last copy wins): Whoosh's
`update_document` leaves two documents when one id comes twice in one writer.
Each record is then compared by fingerprint with what the index holds:
unchanged ones are skipped, changed ones replaced, new ones added.

Order of writes, so that a crash at any point is repaired by running the
command again: the full records (SQLite) and captures first, then the
document index, whose stored fingerprint is the single source of truth for
"already indexed". A record stored but not yet indexed is simply indexed again
on the next run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from statements.index.errors import REINDEX_FIX, IndexDamagedError
from statements.index.packing import compress_json, pack, pack_json
from statements.index.schema import document_schema, same_schema
from statements.index.store import (
    RECORD_CAPTURE,
    RECORDS_FILE,
    Capture,
    CaptureStore,
    RecordStore,
)
from statements.scraper.record import Statement

Progress = Callable[[int, int | None], None]
MAIN_DIR = "whoosh"


@dataclass
class AddSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    kept_pages: int = 0  # records not indexed: their statement's page is (in `unchanged`)

    def fail(self, what: str, message: str) -> None:
        self.failed += 1
        self.errors.append((what, message))


def open_index(generation: Path, create: bool = False) -> Any:
    """The documents Whoosh index of a generation; created when asked."""
    from whoosh import index

    from statements.index.unpickle import NotAnIndexError, install

    install()  # Whoosh's pickles (TOC, stored fields) load through the restricted unpickler

    path = generation / MAIN_DIR
    try:
        if index.exists_in(str(path)):
            ix = index.open_dir(str(path))
            if not same_schema(ix.schema, document_schema()):
                raise IndexDamagedError(
                    f"the index in {generation} was built by another version of statements",
                    REINDEX_FIX,
                )
            return ix
        if create:
            path.mkdir(parents=True, exist_ok=True)
            return index.create_in(str(path), document_schema())
        raise IndexDamagedError(
            f"the index in {generation} is incomplete ({MAIN_DIR} is missing)",
            REINDEX_FIX,
        )
    except (IndexDamagedError, NotAnIndexError):
        raise
    except Exception as exc:
        raise IndexDamagedError(
            f"the index in {generation} is damaged ({type(exc).__name__}: {exc})",
            REINDEX_FIX,
        ) from None


def is_indexed(generation: Path, rid: str) -> bool:
    """Whether the document index of `generation` holds `rid`."""
    main = open_index(generation)
    with main.searcher() as searcher:
        return searcher.document_number(id=rid) is not None


def is_page(capture: Capture | None) -> bool:
    """A capture of the original page (which `reindex` can extract again), not a record."""
    return capture is not None and capture.content_type != RECORD_CAPTURE


# What the batch did with an id, kept per id while it streams (a small int, not the record)
_PAGE = 1  # its capture in this batch is a page: a later bare record does not replace it
_KEPT = 2  # a bare record whose statement is indexed from its page: skipped, counted
_INDEXED = 4  # the index held a version of it before this batch
_DIFFERS = 8  # its last copy so far differs from the indexed version (or none was)
_SENT = 16  # a copy went to the builders (the indexed version is deleted in this batch)
SIDE_CHUNK = 500  # records and captures stored per transaction
SMALL_BATCH = 500  # fewer records than this are indexed in this process (no workers)


def write_stream(
    generation: Path,
    items: Iterable[tuple[Statement, Capture | None]],
    captures: CaptureStore | None,
    summary: AddSummary,
    *,
    fresh: bool = False,
    progress: Progress | None = None,
    kept_page: Callable[[str], bool] | None = None,
) -> None:
    """Add, replace or skip each record of `items` in `generation`, reading them once.

    Nothing of the batch is held whole: records go to segment builders
    (index.segments) that write a segment every so many postings, and to the
    side stores every SIDE_CHUNK records; what stays is one small int per id
    (for the rules below) and the first SMALL_BATCH records, until it is known
    whether worker processes are worth starting.

    One entry per id: the last one given wins, except that a page beats a bare
    record of the same statement (the richer capture); `kept_page(id)` says a
    bare record's statement is indexed from its page already (then it is
    skipped, counted unchanged and in `kept_pages`).

    Commit order as before, so that a crash at any point is repaired by running
    the command again: records and captures (each chunk before any index
    commit), then the documents index, one commit naming all of the batch's new
    segments at once.
    """
    from statements.index.segments import TermPool, bounded_merge
    from statements.index.workers import WORKERS, Builders

    # Only a new generation may be created here: a live one whose index files are gone
    # is damaged, and creating an empty index in their place would hide its documents.
    main = open_index(generation, create=fresh)
    fresh = fresh or main.doc_count_all() == 0
    seen: dict[str, int] = {}
    added = updated = 0
    side: list[tuple[Statement, Capture | None]] = []
    pending: list[tuple[Statement, str]] | None = []  # until the batch size is known
    builders: Builders | None = None
    procs = 1 if os.environ.get("STATEMENTS_ONE_PROC") else WORKERS
    searcher = main.searcher()
    mw: Any = None

    def stored_fp(rid: str) -> str | None:
        if fresh:
            return None
        doc = searcher.document(id=rid)
        return None if doc is None else str(doc.get("fp"))

    def send(record: Statement, fp: str) -> None:
        nonlocal builders, pending
        if pending is not None:
            pending.append((record, fp))
            if len(pending) < SMALL_BATCH:
                return
            builders = Builders(main, procs)
            for held in pending:
                builders.add(*held)
            pending = None
            return
        assert builders is not None
        builders.add(record, fp)

    try:
        mw = main.writer(compound=False)
        mw.pool = TermPool()  # postings of segments the merge policy merges into it
        n = 0
        for n, (record, capture) in enumerate(items, 1):
            if progress:
                progress(n, None)
            rid = record.id
            page = is_page(capture)
            held = seen.get(rid)
            if held is not None and held & _PAGE and not page:
                continue  # this batch gave the page already
            if held is None and not page and kept_page is not None and kept_page(rid):
                summary.unchanged += 1
                summary.kept_pages += 1
                seen[rid] = _PAGE | _KEPT
                continue
            if held is not None and held & _KEPT:  # its page, after a record kept for it
                held &= ~_KEPT
                summary.unchanged -= 1
                summary.kept_pages -= 1
            fp = record.fingerprint()
            before = stored_fp(rid)
            flags = (held or 0) | (_PAGE if page else 0)
            if held is None and before is not None:
                flags |= _INDEXED
            if before == fp:
                flags &= ~_DIFFERS
            else:
                flags |= _DIFFERS
            seen[rid] = flags
            if not flags & (_DIFFERS | _SENT):
                continue  # as indexed (and no earlier copy of this batch was sent)
            if flags & _INDEXED and not flags & _SENT:
                mw.delete_by_term("id", rid)
            # sent also when this copy is as indexed but an earlier one was sent: the
            # indexed version is deleted in this batch, and the builder keeps the last copy
            seen[rid] = flags | _SENT
            send(record, fp)
            side.append((record, capture))
            if len(side) >= SIDE_CHUNK:
                write_side_stores(generation, side, captures)
                side = []
        if side:
            write_side_stores(generation, side, captures)
            side = []
        # the counts, from each id's last copy (as the batch was deduplicated before)
        sent = 0
        for flags in seen.values():
            if flags & _KEPT:
                continue
            sent += bool(flags & _SENT)
            if not flags & _DIFFERS:
                summary.unchanged += 1
            elif flags & _INDEXED:
                updated += 1
            else:
                added += 1
        seen.clear()
        if added + updated == 0:  # the index holds every last copy: no new generation
            if builders is not None:
                builders.cancel()
            searcher.close()
            mw.cancel()
            return
        if builders is None:
            builders = Builders(main, 1)
            for held_record in pending or ():
                builders.add(*held_record)
            pending = None
        built = builders.finish()
        if progress:
            progress(sent, sent)
        searcher.close()
        _commit(mw, built.main, bounded_merge)
    except BaseException:
        if builders is not None:
            builders.cancel()
        searcher.close()
        if mw is not None and not mw.is_closed:
            mw.cancel()
        _clean(main)
        raise
    summary.added += added
    summary.updated += updated


def _commit(writer: Any, new: list[Any], mergetype: Any) -> None:
    """Commit `writer` (its deletions, and whatever the merge policy merged into it)
    with the batch's new segments added to the table of contents, unmerged."""
    try:
        segments = writer._merge_segments(mergetype, False, True)
        if writer._added:
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
        writer._commit_toc(segments + new)
    except BaseException:
        writer._cleanup_on_error()
        raise
    writer._finish()


def _clean(ix: Any) -> None:
    """Delete the segment files no table of contents names (a failed batch's); the
    next commit would, but a full disk wants its space back now."""
    from whoosh.index import clean_files

    try:
        toc = ix._read_toc()
        clean_files(ix.storage, ix.indexname, toc.generation, toc.segments)
    except Exception:
        pass


def write_side_stores(
    generation: Path,
    chunk: list[tuple[Statement, Capture | None]],
    captures: CaptureStore | None,
) -> None:
    """Store records (records.sqlite) and their captures, each record serialised to JSON
    and compressed once (a record's capture is its JSON: the same bytes)."""
    packed = [(r.id, compress_json(r.to_json())) for r, _c in chunk]
    store = RecordStore(generation / RECORDS_FILE, create=True)
    try:
        store.put_compressed(packed)
    finally:
        store.close()
    if captures is not None:
        captures.put_stored(
            (rid, r.url, RECORD_CAPTURE, None, pack_json(data))
            if capture is None
            else (rid, capture.url, capture.content_type, capture.name, pack(capture.data))
            for (rid, data), (r, capture) in zip(packed, chunk, strict=True)
        )


def remove_ids(generation: Path, ids: list[str], captures: CaptureStore | None) -> int:
    """Delete documents by id from every part of a generation; returns how many existed.

    Each part is cleared of every id, found in the documents index or not: a remove
    killed half-way left some parts holding it (its record would come back with
    `reindex`), and finishing it must clear those."""
    main = open_index(generation)
    with main.searcher() as searcher:
        found = sum(searcher.document_number(id=rid) is not None for rid in ids)
    present = list(ids)
    if not present:
        return 0
    from statements.index.faults import point

    mw = main.writer(compound=False)
    for rid in present:
        mw.delete_by_term("id", rid)
    mw.commit()
    point("remove:documents")
    store = RecordStore(generation / RECORDS_FILE, create=True)
    try:
        store.delete(present)
    finally:
        store.close()
    point("remove:records")
    if captures is not None:
        for rid in present:
            captures.delete(rid)
    return found
