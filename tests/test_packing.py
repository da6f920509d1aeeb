"""Records and captures on disk: compressed with zstd now, and every older form still read.

An index built by a release that compressed with zlib (or not at all) must open, show
its records and reindex from its captures; a damaged row is told apart, never crashes.
"""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

import pytest
from index_helpers import load_records

from statements.index.ingest import read_file
from statements.index.library import Library
from statements.index.packing import (
    MAX_SIZE,
    ZLIB,
    ZSTD,
    ZSTD_MAGIC,
    compress_json,
    pack,
    record_json,
    unpack,
)
from statements.index.store import RECORDS_FILE

RECORDS = load_records()[:12]
PAGE = Path(__file__).parent / "pages" / "fed-powell-20240709-stray-bytes.html"


def test_records_and_captures_come_back_as_given() -> None:
    text = RECORDS[0].to_json()
    stored = compress_json(text)
    assert stored.startswith(ZSTD_MAGIC)
    assert record_json(stored) == text
    data = PAGE.read_bytes()
    assert pack(data).startswith(ZSTD)
    assert unpack(pack(data)) == data


def test_older_forms_are_read() -> None:
    text = RECORDS[1].to_json()
    assert record_json(zlib.compress(text.encode("utf-8"), 6)) == text  # zlib rows
    assert record_json(text) == text  # uncompressed rows (TEXT)
    data = PAGE.read_bytes()
    assert unpack(ZLIB + zlib.compress(data, 6)) == data
    assert unpack(data) == data  # uncompressed captures


@pytest.mark.parametrize("cut", [slice(0, 20), slice(0, -5), slice(0, 4)])
def test_damaged_rows_are_told_apart(cut: slice) -> None:
    stored = compress_json(RECORDS[2].to_json())
    with pytest.raises(ValueError, match="a damaged record"):
        record_json(stored[cut])
    damaged = pack(PAGE.read_bytes())[: len(ZSTD)] + stored[cut]
    assert unpack(damaged) == damaged  # garbage bytes, which the extractor rejects


def test_a_frame_claiming_too_much_is_damaged() -> None:
    """A damaged header must not make a reader allocate what it claims."""
    import zstandard

    frame = zstandard.ZstdCompressor().compressobj(size=MAX_SIZE + 1)
    start = frame.compress(b"x" * 1000) + frame.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)
    assert zstandard.frame_content_size(start) == MAX_SIZE + 1
    with pytest.raises(ValueError, match="a damaged record"):
        record_json(start)
    assert unpack(ZSTD + start) == ZSTD + start


def _as_an_older_release_wrote(home: Path) -> None:
    """Rewrite every record and capture row in the forms older releases wrote: zlib for
    records, or plain JSON text; `ZLIB`-marked captures, or the bytes as given."""
    generation = home / (home / "CURRENT").read_text(encoding="utf-8").strip()
    with sqlite3.connect(generation / RECORDS_FILE) as db:
        rows = db.execute("SELECT id, json FROM records ORDER BY id").fetchall()
        for n, (rid, value) in enumerate(rows):
            text = record_json(value).encode("utf-8")
            old = zlib.compress(text, 6) if n % 2 else text.decode("utf-8")
            db.execute("UPDATE records SET json = ? WHERE id = ?", (old, rid))
    with sqlite3.connect(home / "captures.sqlite") as db:
        rows = db.execute("SELECT id, data FROM captures ORDER BY id").fetchall()
        for n, (rid, value) in enumerate(rows):
            data = unpack(bytes(value))
            old = ZLIB + zlib.compress(data, 6) if n % 2 else data
            db.execute("UPDATE captures SET data = ? WHERE id = ?", (old, rid))


def test_an_index_of_an_older_release_opens_and_reindexes(tmp_path: Path) -> None:
    page, capture = read_file(PAGE)
    with Library(tmp_path) as lib:
        lib.add([(page, capture), *((r, None) for r in RECORDS)])
        expected = {rid: lib.get(rid) for rid in [page.id, *(r.id for r in RECORDS)]}
    _as_an_older_release_wrote(tmp_path)
    with Library(tmp_path) as lib:
        assert {rid: lib.get(rid) for rid in expected} == expected
        summary = lib.reindex()
        assert (summary.updated + summary.unchanged + summary.added, summary.failed) == (
            len(expected),
            0,
        )
        assert {rid: lib.get(rid) for rid in expected} == expected
    generation = tmp_path / (tmp_path / "CURRENT").read_text(encoding="utf-8").strip()
    with sqlite3.connect(generation / RECORDS_FILE) as db:
        values = [v for (v,) in db.execute("SELECT json FROM records")]
    assert len(values) == len(expected)
    assert all(bytes(v).startswith(ZSTD_MAGIC) for v in values)  # rewritten as zstd
