"""Bounded-memory building (index/segments.py): checked by counting, never by timing.

A batch is cut into segments of at most SEGMENT_CHARS characters per builder,
copies of one id in a batch leave one document, a failed batch leaves the index
as it was, the merge policy merges only small segments, and the results of a
search do not depend on how the documents were cut into segments.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from index_helpers import load_records

import statements.index.segments as segments
import statements.index.writer as writer
from statements.index.library import Library
from statements.index.models import SearchRequest
from statements.index.segments import SegmentBuilder
from statements.index.writer import open_index
from statements.scraper.record import Statement

RECORDS = load_records()
QUERIES = ("security", "nuclear weapons", '"human rights"', "sanctions Russia", "*")


def live_segments(home: Path) -> list[Any]:
    """The segments the documents index's table of contents names."""
    from statements.index import home as homes

    generation = homes.current_generation(home)
    assert generation is not None
    return list(open_index(generation)._segments())


def results(lib: Library) -> list[tuple[int, list[tuple[str, float | None]]]]:
    out = []
    for q in QUERIES:
        for said_by in ((), ("Sergey Lavrov",)):
            r = lib.search(SearchRequest(query=q, said_by=said_by, limit=50, snippets=False))
            out.append((r.total, [(h.id, h.score) for h in r.hits]))
    return out


def test_a_builder_writes_a_segment_before_its_records_pass_the_limit(tmp_path: Path) -> None:
    limit = 20_000
    lib = Library(tmp_path / "home")
    lib.add([])  # creates the generation
    from statements.index import home as homes

    generation = homes.current_generation(lib.home)
    assert generation is not None
    builder = SegmentBuilder(open_index(generation), limit)
    for record in RECORDS:
        builder.add(record, record.fingerprint())
        assert builder.chars < limit  # never more than a segment's worth waits
    built = builder.finish()
    one = max(segments.size(r) for r in RECORDS)
    assert builder.flushes >= sum(segments.size(r) for r in RECORDS) // (limit + one)
    assert builder.most_chars < limit + one
    assert len(built.main) == builder.flushes
    assert sum(s.doc_count_all() for s in built.main) == len(RECORDS)
    lib.close()


def test_copies_in_one_segment_leave_no_deleted_document(tmp_path: Path) -> None:
    first = RECORDS[0]
    last = first.with_(title="A later copy")
    with Library(tmp_path / "twice") as lib:
        lib.add((r, None) for r in [first, *RECORDS[1:], last])
        assert all(not s.has_deletions() for s in live_segments(lib.home))
        twice = results(lib)
    with Library(tmp_path / "once") as lib:
        lib.add((r, None) for r in [last, *RECORDS[1:]])
        assert results(lib) == twice  # scores too: no deleted copy in the statistics


@pytest.mark.parametrize("procs", ["1", "workers"])
def test_segments_of_any_size_give_the_same_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, procs: str
) -> None:
    with Library(tmp_path / "one") as lib:
        lib.add((r, None) for r in RECORDS)
        expected = results(lib)
        assert len(live_segments(lib.home)) == 1
    monkeypatch.setattr(segments, "SEGMENT_CHARS", 40_000)
    if procs == "1":
        monkeypatch.setenv("STATEMENTS_ONE_PROC", "1")
    else:
        monkeypatch.setattr(writer, "SMALL_BATCH", 10)  # worker processes from 10 records
    with Library(tmp_path / "many") as lib:
        summary = lib.add((r, None) for r in RECORDS)
        assert summary.added == len(RECORDS)
        assert len(live_segments(lib.home)) >= 4
        assert results(lib) == expected


@pytest.mark.parametrize("procs", ["1", "workers"])
def test_copies_of_an_id_in_one_batch_leave_the_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, procs: str
) -> None:
    monkeypatch.setattr(segments, "SEGMENT_CHARS", 40_000)
    if procs == "1":
        monkeypatch.setenv("STATEMENTS_ONE_PROC", "1")
    else:
        monkeypatch.setattr(writer, "SMALL_BATCH", 10)
    first = next(r for r in RECORDS if r.turns)
    last = first.with_(title="A later copy", text=first.text + "\n\nZanzibarian addendum.")
    batch = [first, *RECORDS[1:], last]  # the copies far apart: segments flushed between
    with Library(tmp_path / "home") as lib:
        summary = lib.add((r, None) for r in batch)
        assert (summary.added, summary.updated) == (len(RECORDS), 0)
        assert lib.get(first.id).title == "A later copy"
        hits = lib.search(SearchRequest(query="zanzibarian", limit=10)).hits
        assert [h.id for h in hits] == [first.id]
        assert lib.stats()["documents"] == len(RECORDS)
        speaker = first.turns[0].speaker
        assert speaker
        said = lib.search(SearchRequest(said_by=(speaker,), limit=10_000, snippets=False))
        assert [h.id for h in said.hits].count(first.id) <= 1


def test_a_failed_batch_leaves_the_index_and_no_stray_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segments, "SEGMENT_CHARS", 40_000)
    monkeypatch.setattr(writer, "SMALL_BATCH", 10)

    def failing() -> Iterator[tuple[Statement, None]]:
        for n, record in enumerate(RECORDS[60:]):
            if n == 60:
                raise RuntimeError("the input broke")
            yield record, None

    with Library(tmp_path / "home") as lib:
        lib.add((r, None) for r in RECORDS[:60])
        before = results(lib)
        names = {s.segment_id() for s in live_segments(lib.home)}
        with pytest.raises(Exception, match="the input broke"):
            lib.add(failing())
        assert results(lib) == before
        generation = lib.home / (lib.home / "CURRENT").read_text().strip()
        files = {p.name for p in (generation / "whoosh").iterdir() if p.suffix != ".toc"}
        assert all(n == "MAIN_WRITELOCK" or n.split(".")[0] in names for n in files), files
        summary = lib.add((r, None) for r in RECORDS)  # the rerun completes it
        assert summary.added == len(RECORDS) - 60


def test_the_merge_policy_merges_only_small_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segments, "SMALL_DOCS", 10)
    monkeypatch.setattr(segments, "MERGE_DOCS", 20)
    with Library(tmp_path / "home") as lib:
        lib.add((r, None) for r in RECORDS[:40])  # one large segment (40 >= SMALL_DOCS)
        big = {s.segment_id() for s in live_segments(lib.home)}
        for start in range(40, 100, 3):  # twenty small adds of 3 documents
            lib.add((r, None) for r in RECORDS[start : start + 3])
            counts = [s.doc_count() for s in live_segments(lib.home)]
            small = [c for c in counts if c < 10]
            assert len(small) <= 4, counts  # merged as they come: never many small ones
            assert all(c <= 40 for c in counts), counts  # and never into a large one
            assert big <= {s.segment_id() for s in live_segments(lib.home)}
        assert lib.stats()["documents"] == 100
