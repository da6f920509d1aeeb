"""index/facets.py and index/facet_file.py: the facet table as built, as read back from its
cache file, and what happens when that file is damaged or lies.

The documents come from a stand-in for a Whoosh reader (docnums with gaps where a
document is deleted), so every corner is here on purpose: several speakers, none,
year-only dates, undated, copies, ids with non-ASCII letters and a newline. Every
count is checked against a Counter over the documents themselves.
"""

from __future__ import annotations

import datetime
import json
import struct
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from statements.index import facet_file, facets
from statements.index.facets import UNDATED, FacetTable, load_or_build

SPEAKERS = [
    ("putin", "Vladimir Putin"),
    ("lavrov", "Sergey Lavrov"),
    ("zakharova", "Maria Zakharova"),
]


def document(n: int) -> dict[str, Any]:
    """Document n: its stored fields as the index holds them (index/documents.py)."""
    day = datetime.date(2015 + n % 7, 1 + n % 12, 1 + n % 28)
    date = None if n % 11 == 0 else (str(day.year) if n % 13 == 0 else day.isoformat())
    people = [SPEAKERS[(n + i) % 3] for i in range(n % 4)]  # none, one, two or three
    meta: dict[str, Any] = {
        "date": date,
        "ordinal": day.toordinal() if date and len(date) == 10 else 0,
        "speaker_keys": [key for key, _ in people],
        "speakers": [name for _, name in people],
        "source": ("Kremlin", "MID", None)[n % 3],
        "type": ("speech", "interview")[n % 2],
        "lang": ("ru", "en")[n % 5 == 0],
        "url": f"https://www.site{n % 4}.example/news/{n}" if n % 6 else None,
        "turns": [1] if n % 5 == 1 else [],
    }
    if n % 8 in (2, 3):  # copies: 2 with 3, 10 with 11, ...; the republished one loses
        meta["copy"] = f"copy-{n // 8}"
        meta["republished_by"] = "MID" if n % 8 == 2 else None
    rid = f"doc-{n}" + ("-é" if n % 9 == 0 else "") + ("\nline" if n == 17 else "")
    return {"id": rid, "meta": meta}


class Reader:
    """What load_or_build asks of a Whoosh reader; docnums in `deleted` are gaps."""

    def __init__(self, size: int, deleted: frozenset[int] = frozenset(), gen: int = 3) -> None:
        self.size, self.deleted, self.gen = size, deleted, gen
        self.builds = 0

    def generation(self) -> int:
        return self.gen

    def doc_count_all(self) -> int:
        return self.size

    def iter_docs(self) -> Iterator[tuple[int, dict[str, Any]]]:
        self.builds += 1
        for d in range(self.size):
            if d not in self.deleted:
                yield d, document(d)


DELETED = frozenset({0, 5, 9, 40})
LIVE = [d for d in range(60) if d not in DELETED]


def expected_counts(docs: list[int]) -> dict[str, Counter[str]]:
    """The facets of `docs`, counted from the documents themselves."""
    out: dict[str, Counter[str]] = {f: Counter() for f in facets.FACETS}
    for d in docs:
        meta = document(d)["meta"]
        date = meta["date"]
        out["year"][date[:4] if date else UNDATED] += 1
        out["month"][date[:7] if date else UNDATED] += 1
        out["speaker"].update(meta["speakers"])
        for name in ("source", "type", "lang"):
            out[name][meta[name] or facets.NONE] += 1
    return out


def check(table: FacetTable) -> None:
    """`table` holds what the documents say."""
    assert len(table.ids) == 60
    assert table.live == frozenset(LIVE) and len(table.live) == len(LIVE)
    matched = {0, 1, 5, 59, 60, 100}  # as Whoosh gives them: deleted ones and all
    assert matched & table.live == table.live & matched == {1, 59}
    assert 5 not in table.live and 60 not in table.live and 1 in table.live
    assert list(table.ids) == [None if d in DELETED else document(d)["id"] for d in range(60)]
    assert table.ids[17] == "doc-17\nline" and table.ids[18] == "doc-18-é" and table.ids[5] is None
    assert table.by_id == {document(d)["id"]: d for d in LIVE}
    for d in LIVE:
        meta = document(d)["meta"]
        names = [table.names["speaker"][s] for s in table.speakers[d]]
        assert names == meta["speakers"]
        assert bool(table.has_turns[d]) == bool(meta["turns"])
        assert table.ordinal[d] == meta["ordinal"]
        host = table.host[d]
        assert (table.names["host"][host] if host >= 0 else None) == facets.host_of(meta["url"])
    for docs in (LIVE, LIVE[::3], [d for d in LIVE if len(document(d)["meta"]["speakers"]) > 1]):
        expected = expected_counts(docs)
        for facet in facets.FACETS:
            assert dict(table.count(facet, set(docs))) == expected[facet], facet
    years = [y for y, _ in table.count("year", set(LIVE))]
    assert years == [*sorted(set(years) - {UNDATED}), UNDATED]


def test_a_built_table_holds_what_the_documents_say(tmp_path: Path) -> None:
    check(load_or_build(tmp_path, Reader(60, DELETED)))


def test_a_cached_table_is_read_back_the_same_without_a_rebuild(tmp_path: Path) -> None:
    reader = Reader(60, DELETED)
    load_or_build(tmp_path, reader)
    assert [p.name for p in tmp_path.iterdir()] == ["facets-v6-3.bin"]
    table = load_or_build(tmp_path, reader)
    assert reader.builds == 1
    check(table)


def test_copies_collapse_to_the_preferred_matched_member(tmp_path: Path) -> None:
    table = load_or_build(tmp_path, Reader(60, DELETED))
    # 2 and 3 are copies, 2 republished: 3 is preferred; 34, 35 likewise
    assert table.group_members(2) == table.group_members(3) == [3, 2]
    assert table.group_members(4) == [4]
    kept, others = table.collapse({2, 3, 4, 34, 35, 42})
    assert kept == {3, 4, 35, 42} and others == {3: [2], 35: [34]}
    kept, others = table.collapse({2, 4})  # the preferred copy not matched: the other stays
    assert kept == {2, 4} and others == {}


def test_a_table_without_deletions_or_copies(tmp_path: Path) -> None:
    class Plain(Reader):
        def iter_docs(self) -> Iterator[tuple[int, dict[str, Any]]]:
            for d, stored in super().iter_docs():
                stored["meta"].pop("copy", None)
                yield d, stored

    table = load_or_build(tmp_path, Plain(10))
    assert table.live == frozenset(range(10)) and table.collapse({1, 2, 3}) == ({1, 2, 3}, {})
    empty = load_or_build(tmp_path / "empty", Reader(0))
    assert len(empty.ids) == 0 and empty.count("speaker", set()) == [] and not empty.by_id


def cache(tmp_path: Path) -> tuple[Reader, Path, bytes]:
    reader = Reader(60, DELETED)
    load_or_build(tmp_path, reader)
    path = facets.cache_path(tmp_path, 3)
    return reader, path, path.read_bytes()


def rebuilt(tmp_path: Path, reader: Reader, path: Path, data: bytes) -> None:
    """A cache file holding `data` is refused and rebuilt, silently, and right."""
    path.write_bytes(data)
    before = reader.builds
    check(load_or_build(tmp_path, reader))
    assert reader.builds == before + 1
    assert facet_file.decode(path.read_bytes(), 3) is not None  # whole again


def header_of(data: bytes) -> tuple[dict[str, Any], int]:
    (length,) = struct.unpack_from("<I", data, len(facet_file.MAGIC))
    start = len(facet_file.MAGIC) + 4
    return json.loads(data[start : start + length]), start + length


def with_header(data: bytes, header: dict[str, Any]) -> bytes:
    """`data` with another header (the columns' offsets count from the header's end)."""
    _, end = header_of(data)
    start = len(facet_file.MAGIC) + 4
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-(start + len(text)) % 4)
    return data[: len(facet_file.MAGIC)] + struct.pack("<I", len(text)) + text + data[end:]


def test_a_truncated_cache_file_is_rebuilt(tmp_path: Path) -> None:
    reader, path, data = cache(tmp_path)
    _, end = header_of(data)
    for cut in (0, 5, 12, end - 1, end, end + 100, len(data) // 2, len(data) - 1):
        rebuilt(tmp_path, reader, path, data[:cut])


def test_a_cache_file_of_another_version_or_generation_is_rebuilt(tmp_path: Path) -> None:
    reader, path, data = cache(tmp_path)
    header, _ = header_of(data)
    rebuilt(tmp_path, reader, path, with_header(data, dict(header, version=5)))
    rebuilt(tmp_path, reader, path, with_header(data, dict(header, generation=2)))
    rebuilt(tmp_path, reader, path, b"XXXXXXXX" + data[8:])
    rebuilt(tmp_path, reader, path, b'{"version": 6, "generation": 3, "ids": [')
    rebuilt(tmp_path, reader, path, b"\0" * len(data))


@pytest.mark.parametrize(
    "lie",
    [
        {"size": 61},  # one document more than the columns hold
        {"size": 59},
        {"size": -1},
        {"size": "60"},
        {"groups": 5},
        {"deleted": None},
        {"months": [1, 2]},
        {"names": {"speaker": []}},
        {"keys": {"speaker": [], "source": [], "type": [], "lang": [], "host": []}},
        {"columns": {}},
    ],
)
def test_a_cache_header_that_lies_about_sizes_is_rebuilt(tmp_path: Path, lie: dict) -> None:
    reader, path, data = cache(tmp_path)
    header, _ = header_of(data)
    rebuilt(tmp_path, reader, path, with_header(data, dict(header, **lie)))


@pytest.mark.parametrize("column", ["year", "more", "id_text", "group_members"])
@pytest.mark.parametrize("how", ["past the end", "misaligned", "negative", "longer"])
def test_a_cache_column_out_of_place_is_rebuilt(tmp_path: Path, column: str, how: str) -> None:
    reader, path, data = cache(tmp_path)
    header, _ = header_of(data)
    offset, count = header["columns"][column]
    place = {
        "past the end": [len(data), count],
        "misaligned": [offset + 2, count],
        "negative": [-4, count],
        "longer": [offset, count + 1],
    }[how]
    columns = dict(header["columns"], **{column: place})
    rebuilt(tmp_path, reader, path, with_header(data, dict(header, columns=columns)))


def test_a_read_only_home_still_gets_its_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(facets, "atomic_write", refuse)
    check(load_or_build(tmp_path, Reader(60, DELETED)))
    assert list(tmp_path.iterdir()) == []


def test_older_caches_are_removed_and_newer_ones_kept(tmp_path: Path) -> None:
    for name in ("facets-v5-3.json", "facets-v3-3.pickle", "facets-v6-2.bin", "facets-v6-4.bin"):
        (tmp_path / name).write_bytes(b"old")
    load_or_build(tmp_path, Reader(60, DELETED))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facets-v6-3.bin", "facets-v6-4.bin"]
