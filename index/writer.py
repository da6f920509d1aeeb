"""Writing a batch of records into one index generation, incrementally and safely.

A batch is de-duplicated by id first (the last copy wins): Whoosh's
`update_document` leaves two documents when one id comes twice in one writer.
Each record is then compared by fingerprint with what the index holds:
unchanged ones are skipped, changed ones replaced, new ones added.

Order of writes, so that a crash at any point is repaired by running the
command again: the full records (SQLite) and captures first, then the turns
index, then the document index, whose stored fingerprint is the single
source of truth for "already indexed". A record stored but not yet indexed
is simply indexed again on the next run.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.analysis import copy_key, is_russian
from index.schema import document_schema, norm_key, same_schema, turn_schema
from index.store import RECORD_CAPTURE, Capture, CaptureStore, RecordStore
from scraper.errors import StatementsError
from scraper.record import Statement

Progress = Callable[[int, int | None], None]
MAIN_DIR = "whoosh"
TURNS_DIR = "turns"
MIN_COPY_WORDS = 20  # shorter bodies (stubs, announcements) are not grouped as copies


class IndexDamagedError(StatementsError):
    """The index files cannot be read."""


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

    def line(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.failed} failed"
        )


def open_indexes(generation: Path, create: bool = False) -> tuple[Any, Any]:
    """The (documents, turns) Whoosh indexes of a generation; created when asked."""
    from whoosh import index

    from index.unpickle import NotAnIndexError, install

    install()  # Whoosh's pickles (TOC, stored fields) load through the restricted unpickler

    pairs = ((MAIN_DIR, document_schema), (TURNS_DIR, turn_schema))
    out = []
    for name, schema in pairs:
        path = generation / name
        try:
            if index.exists_in(str(path)):
                ix = index.open_dir(str(path))
                if not same_schema(ix.schema, schema()):
                    raise IndexDamagedError(
                        f"the index in {generation} was built by another version of statements",
                        "run `statements reindex` to rebuild it from the stored captures",
                    )
                out.append(ix)
            elif create:
                path.mkdir(parents=True, exist_ok=True)
                out.append(index.create_in(str(path), schema()))
            else:
                raise IndexDamagedError(
                    f"the index in {generation} is incomplete ({name} is missing)",
                    "run `statements reindex` to rebuild it from the stored captures",
                )
        except (IndexDamagedError, NotAnIndexError):
            raise
        except Exception as exc:
            raise IndexDamagedError(
                f"the index in {generation} is damaged ({type(exc).__name__}: {exc})",
                "run `statements reindex` to rebuild it from the stored captures",
            ) from None
    return out[0], out[1]


def dedupe(
    items: Iterable[tuple[Statement, Capture | None]], progress: Progress | None = None
) -> dict[str, tuple[Statement, Capture | None]]:
    """One entry per id, in order of first appearance: the last one given wins, except
    that a page beats a bare record of the same statement (the richer capture)."""
    batch: dict[str, tuple[Statement, Capture | None]] = {}
    for n, (record, capture) in enumerate(items, 1):
        held = batch.get(record.id)
        if held is None or is_page(capture) or not is_page(held[1]):
            batch[record.id] = (record, capture)
        if progress:
            progress(n, None)
    return batch


def is_page(capture: Capture | None) -> bool:
    """A capture of the original page (which `reindex` can extract again), not a record."""
    return capture is not None and capture.content_type != RECORD_CAPTURE


def write_batch(
    generation: Path,
    batch: dict[str, tuple[Statement, Capture | None]],
    captures: CaptureStore | None,
    summary: AddSummary,
    *,
    fresh: bool = False,
    progress: Progress | None = None,
) -> None:
    """Add, replace or skip each record of `batch` in `generation`."""
    # Only a new generation may be created here: a live one whose index files are gone
    # is damaged, and creating an empty index in their place would hide its documents.
    main, turns = open_indexes(generation, create=fresh)
    fresh = fresh or main.doc_count_all() == 0
    new: list[tuple[Statement, str]] = []
    changed: list[tuple[Statement, str]] = []
    with main.searcher() as searcher:
        for rid, (record, _capture) in batch.items():
            fp = record.fingerprint()
            stored = None if fresh else searcher.document(id=rid)
            if stored is None:
                new.append((record, fp))
            elif stored.get("fp") == fp:
                summary.unchanged += 1
            else:
                changed.append((record, fp))
    todo = new + changed
    if not todo:
        return
    big = len(todo) >= 2000 and not os.environ.get("STATEMENTS_ONE_PROC")
    writer_args: dict[str, Any] = {"limitmb": 256, "compound": False}
    if big:
        # limitmb is each writer process's posting pool: past it Whoosh sorts the
        # pool into runs on disk and merges them back in Python. At the bench's 20,000
        # documents (92 million characters of text) 256 and 512 MB spilled and the
        # build took 2-2.5x as long; 1024 MB held them (all processes together
        # peaked at 5.5 GB resident)
        writer_args.update(procs=2, multisegment=True, limitmb=1024)
    # Both writers run at once (with `big`, two processes each): one index's last
    # segments are written while the other still indexes, and the documents are
    # built here meanwhile. Commit order is kept: records and captures, then the
    # turns, then the documents (whose fingerprints say what is indexed).
    tw = turns.writer(**writer_args)
    mw: Any = None
    committed = False
    try:
        for record, _fp in changed:
            tw.delete_by_term("parent", record.id)
        mw = main.writer(**writer_args)
        for record, _fp in changed:
            mw.delete_by_term("id", record.id)
        for n, (record, fp) in enumerate(todo, 1):
            for doc in turn_documents(record):
                tw.add_document(**doc)
            mw.add_document(**document(record, fp))
            if progress and (n % 100 == 0 or n == len(todo)):
                progress(n, len(todo))
        write_side_stores(generation, batch, captures, [r for r, _ in todo])
        tw.commit()
        committed = True
        mw.commit()
    except BaseException:
        if not committed:
            tw.cancel()
        if mw is not None:
            mw.cancel()
        raise
    summary.added += len(new)
    summary.updated += len(changed)


def write_side_stores(
    generation: Path,
    batch: dict[str, tuple[Statement, Capture | None]],
    captures: CaptureStore | None,
    records: list[Statement],
) -> None:
    """Store the records (records.sqlite) and their captures, each serialised to JSON once."""
    rows = [(r.id, r.to_json()) for r in records]
    store = RecordStore(generation / "records.sqlite", create=True)
    try:
        store.put_rows(rows)
    finally:
        store.close()
    if captures is not None:
        captures.put_many(
            (rid, batch[rid][1] or Capture(data.encode("utf-8"), r.url, RECORD_CAPTURE))
            for (rid, data), r in zip(rows, records, strict=True)
        )


def remove_ids(generation: Path, ids: list[str], captures: CaptureStore | None) -> int:
    """Delete documents by id from every part of a generation; returns how many existed.

    Each part is cleared of every id, found in the documents index or not: a remove
    killed half-way left some parts holding it (its record would come back with
    `reindex`), and finishing it must clear those."""
    main, turns = open_indexes(generation)
    with main.searcher() as searcher:
        found = sum(searcher.document_number(id=rid) is not None for rid in ids)
    present = list(ids)
    if not present:
        return 0
    from index.faults import point

    mw = main.writer(compound=False)
    for rid in present:
        mw.delete_by_term("id", rid)
    mw.commit()
    point("remove:documents")
    tw = turns.writer(compound=False)
    for rid in present:
        tw.delete_by_term("parent", rid)
    tw.commit()
    point("remove:turns")
    store = RecordStore(generation / "records.sqlite", create=True)
    try:
        store.delete(present)
    finally:
        store.close()
    point("remove:records")
    if captures is not None:
        for rid in present:
            captures.delete(rid)
    return found


def said_turns(record: Statement) -> list[tuple[int, str, str, str]]:
    """(position, speaker key, display name, text) of each turn by a named person."""
    from index.names import canonical, speaker_key

    out = []
    for pos, turn in enumerate(record.turns):
        if turn.speaker and turn.text.strip():
            key = speaker_key(turn.speaker, record.language)
            if key:
                out.append((pos, key, canonical(turn.speaker, record.language), turn.text))
    return out


def turn_documents(record: Statement) -> list[dict[str, Any]]:
    body = "body_ru" if is_russian(record.language) else "body"
    return [
        {
            "parent": record.id,
            "pos": pos,
            "speaker": key,
            "name": name,
            body: text,
        }
        for pos, key, name, text in said_turns(record)
    ]


def document(record: Statement, fp: str) -> dict[str, Any]:
    """The Whoosh document of a record: indexed text in its language's fields, and
    the display values in one stored `meta` dict."""
    from index.names import canonical, speaker_key

    ru = is_russian(record.language)
    names: list[str] = []
    keys: list[str] = []
    for raw in record.speakers:
        key = speaker_key(raw, record.language)
        if key and key not in keys:
            keys.append(key)
            names.append(canonical(raw, record.language))
    key, count = copy_key(record.text)
    copy = key if count >= MIN_COPY_WORDS else None
    meta = {
        "title": record.title,
        "date": record.date_iso,
        "ordinal": record.date.toordinal() if record.date else 0,
        "speakers": names,
        "speaker_keys": keys,
        "source": record.source,
        "type": record.type,
        "lang": record.language,
        "url": record.url,
        "republished_by": record.republished_by,
        "turns": len(said_turns(record)),
        "copy": copy,
    }
    doc: dict[str, Any] = {
        "id": record.id,
        "fp": fp,
        "meta": meta,
        ("title_ru" if ru else "title"): record.title,
        ("body_ru" if ru else "body"): record.text,
        "vocab": " ".join([record.title, *names]),
    }
    if keys:
        doc["speaker"] = ",".join(keys)
    for fieldname, value in (
        ("source", record.source),
        ("type", record.type),
        ("lang", record.language),
    ):
        if value:
            doc[fieldname] = norm_key(value)
    if record.date:
        doc["date"] = dt.datetime(record.date.year, record.date.month, record.date.day)
    # the copy key is kept in `meta` only: nothing searches the `copy` field, and its
    # one unique term per document cost a term entry each at commit
    return doc
