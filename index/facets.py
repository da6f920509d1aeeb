"""Per-document facet values, cached per index generation, and counting over a result set.

Whoosh's `groupedby` facets cost 50-130 ms at 20,000 documents; counting
from a plain table docnum -> (year, month, speakers, source, type) over the
matched document set costs a few milliseconds (../shared/notes/whoosh.md).
The table is built from the stored fields once per index generation (Whoosh
docnums change when segments merge) and saved next to the index as a file of
raw integer columns (index.facet_file) that a search process maps and reads in
place: the load does not grow with the documents (the JSON table it replaced
took 80 ms at 100,000 documents, 400 ms at 500,000). Plain data, not pickle: a
data home may come from someone else, and loading a pickle runs whatever code
it names.
"""

from __future__ import annotations

import array
import mmap
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from statements.index import facet_file
from statements.index.facet_columns import Ids, LiveDocs, Speakers
from statements.index.files import atomic_write

URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")  # stripped from a URL before its host

FACETS = ("speaker", "year", "month", "source", "type", "lang")
UNDATED = "undated"
NONE = "(none)"
CACHE_VERSION = facet_file.VERSION
CACHE_SUFFIX = ".bin"
_INTERNED = ("speaker", "source", "type", "lang", "host")  # facets with names and keys


@dataclass
class FacetTable:
    """Columns indexed by Whoosh docnum, read in place from the cache file's mapping.

    Each column is a sequence of ints (a memoryview); `ids` and `speakers` decode
    one document's part when asked (index.facet_columns)."""

    generation: int
    ids: Ids  # None where a docnum is deleted
    ordinal: Sequence[int]  # date.toordinal(); 0 = undated
    year: Sequence[int]  # 0 = undated
    month: Sequence[int]  # a number in `months`
    months: list[str]  # "2019-09", "2019" (year only), "undated"
    speakers: Speakers  # numbers in names["speaker"]
    source: Sequence[int]  # a number in names["source"]; -1 = none (type, lang, host alike)
    type: Sequence[int]
    lang: Sequence[int]
    host: Sequence[int]  # the URL's host ("kremlin.ru"), for --site
    has_turns: Sequence[int]  # 1 where the document has speaker turns
    names: dict[str, list[str]]  # facet -> display values
    keys: dict[str, list[str]]  # facet -> lowercased keys
    group: Sequence[int]  # docnum -> copy group (groups of more than one); -1 = none
    group_start: Sequence[int]  # group -> where its members start in `members`
    members: Sequence[int]  # each group's docnums, preferred first
    deleted: Sequence[int]  # the deleted docnums

    @cached_property
    def by_id(self) -> dict[str, int]:
        """Record id -> docnum of the live documents (built on first use)."""
        return self.ids.docnums()

    @cached_property
    def live(self) -> LiveDocs:
        """Docnums of the documents not deleted."""
        return LiveDocs(len(self.ids), frozenset(self.deleted))

    def count(self, facet: str, docs: Collection[int]) -> list[tuple[str, int]]:
        """Exact counts of `facet` over `docs`, most frequent first (years: newest first).

        Counted with `map` and `Counter` over the columns, so the loop runs in C
        (a Python loop per document cost as much as the search itself).
        """
        if facet == "year":
            counter = Counter(map(self.year.__getitem__, docs))
            rows = [(str(y) if y else UNDATED, n) for y, n in counter.items()]
            rows.sort(key=lambda r: (r[0] == UNDATED, r[0]), reverse=False)
            return rows
        if facet == "month":
            months = Counter(map(self.month.__getitem__, docs))
            rows = [(self.months[m], n) for m, n in months.items()]
            return sorted(rows, key=lambda r: (r[0] == UNDATED, r[0]))
        if facet == "speaker":
            return _named(self.speakers.tally(docs), self.names["speaker"])
        column = {"source": self.source, "type": self.type, "lang": self.lang}[facet]
        return _named(Counter(map(column.__getitem__, docs)), self.names[facet])

    @cached_property
    def grouped(self) -> frozenset[int]:
        """Docnums that belong to a copy group (built on first use)."""
        return frozenset(self.members)

    def collapse(self, docs: set[int]) -> tuple[set[int], dict[int, list[int]]]:
        """Keep one document per copy group: the preferred matched member.

        Returns the kept set and, for each kept document that stands for
        others, the other matched members (its other locations).
        """
        if not self.members:
            return docs, {}
        kept = set(docs)
        others: dict[int, list[int]] = {}
        seen_groups: set[int] = set()
        for d in self.grouped.intersection(docs):  # the others stand alone
            group = self.group[d]
            if group in seen_groups:
                continue
            seen_groups.add(group)
            members = [m for m in self._members_of(group) if m in docs]
            if len(members) > 1:
                for m in members[1:]:
                    kept.discard(m)
                others[members[0]] = members[1:]
        return kept, others

    def group_members(self, docnum: int) -> list[int]:
        """The copies of `docnum`, preferred first (itself alone when it has none)."""
        group = self.group[docnum]
        return self._members_of(group) if group >= 0 else [docnum]

    def _members_of(self, group: int) -> list[int]:
        return list(self.members[self.group_start[group] : self.group_start[group + 1]])


def fill_periods(facet: str, rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Year or month counts with every empty period between the first and the last as a
    zero row, so a chart shows the gaps in the data instead of hiding them.

    Rows are as `FacetTable.count` gives them ("2019", "2019-09", "undated"); a
    year-only date in the month facet ("2019") stays where it sorts, before 2019-01.
    """
    if facet not in ("year", "month"):
        return rows
    counts = dict(rows)
    dated = [v for v in counts if v != UNDATED]
    if facet == "year":
        years = [int(v) for v in dated]
        periods = [str(y) for y in range(min(years), max(years) + 1)] if years else []
    else:
        months = [(int(v[:4]), int(v[5:7])) for v in dated if len(v) == 7]
        periods = []
        if months:
            (y, m), last = min(months), max(months)
            while (y, m) <= last:
                periods.append(f"{y:04d}-{m:02d}")
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        periods = sorted(set(periods) | {v for v in dated if len(v) != 7})
    out = [(p, counts.get(p, 0)) for p in periods]
    if UNDATED in counts:
        out.append((UNDATED, counts[UNDATED]))
    return out


def _named(counter: Counter[int], names: list[str]) -> list[tuple[str, int]]:
    rows = [(names[k] if k >= 0 else NONE, n) for k, n in counter.items()]
    rows.sort(key=lambda r: (-r[1], r[0].lower()))
    return rows


def build_file(reader: Any, generation: int) -> bytes:
    """The cache file of the documents `reader` reads: every live document's stored `meta`."""
    size = reader.doc_count_all()

    def column(default: int) -> array.array:
        return array.array("i", [default]) * size

    cols = {name: column(-1) for name in ("source", "type", "lang", "host", "speaker", "group")}
    cols.update(ordinal=column(0), year=column(0), month=column(0))
    more_doc, more = array.array("i"), array.array("i")
    has_turns = bytearray(size)
    ids: list[str | None] = [None] * size
    months = {UNDATED: 0}
    interned: dict[str, dict[str, int]] = {f: {} for f in _INTERNED}
    names: dict[str, list[str]] = {f: [] for f in _INTERNED}

    def intern(facet: str, key: str, display: str) -> int:
        numbers = interned[facet]
        number = numbers.get(key)
        if number is None:
            number = numbers[key] = len(names[facet])
            names[facet].append(display)
        return number

    groups: dict[str, list[tuple[tuple, int]]] = {}
    speakers: list[list[int]] = [[] for _ in range(size)]
    for docnum, stored in reader.iter_docs():
        meta = stored.get("meta") or {}
        rid = ids[docnum] = stored.get("id")
        ordinal = cols["ordinal"][docnum] = meta.get("ordinal") or 0
        date_iso = meta.get("date") or ""
        cols["year"][docnum] = int(date_iso[:4]) if date_iso else 0
        month = date_iso[:7] if date_iso else UNDATED
        cols["month"][docnum] = months.setdefault(month, len(months))
        speakers[docnum] = [
            intern("speaker", key, name)
            for key, name in zip(
                meta.get("speaker_keys", ()), meta.get("speakers", ()), strict=False
            )
        ]
        for facet in ("source", "type", "lang"):
            value = meta.get(facet)
            if value:
                cols[facet][docnum] = intern(facet, value.lower(), value)
        host = host_of(meta.get("url"))
        if host:
            cols["host"][docnum] = intern("host", host, host)
        has_turns[docnum] = bool(meta.get("turns"))
        copy = meta.get("copy")
        if copy:
            preference = (bool(meta.get("republished_by")), ordinal or 10**9, rid)
            groups.setdefault(copy, []).append((preference, docnum))
    for docnum, numbers in enumerate(speakers):
        if numbers:
            cols["speaker"][docnum] = numbers[0]
            more_doc.extend([docnum] * (len(numbers) - 1))
            more.extend(numbers[1:])
    members, group_start = array.array("i"), array.array("i", [0])
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort()
        for _, d in group:
            cols["group"][d] = len(group_start) - 1
            members.append(d)
        group_start.append(len(members))
    id_text = "".join(f"{rid}\n" if rid is not None else "\n" for rid in ids).encode("utf-8")
    id_start = array.array("i", [0])
    for rid in ids:
        id_start.append(id_start[-1] + len(rid.encode("utf-8")) + 1 if rid else id_start[-1] + 1)
    header = {
        "generation": generation,
        "size": size,
        "groups": len(group_start) - 1,
        "deleted": ids.count(None),  # how many; the docnums are a column
        "names": names,
        "keys": {f: list(v) for f, v in interned.items()},
        "months": list(months),
    }
    columns: dict[str, array.array | bytes] = dict(cols)
    columns.update(has_turns=bytes(has_turns), more_doc=more_doc, more=more)
    columns.update(id_start=id_start, id_text=id_text, group_start=group_start)
    columns["deleted"] = array.array("i", (d for d, rid in enumerate(ids) if rid is None))
    columns["group_members"] = members
    return facet_file.encode(header, columns)


def read_table(buffer: Any, generation: int) -> FacetTable | None:
    """The table in `buffer` (a cache file's bytes or mapping) if it is one of index
    generation `generation`, whole; else None."""
    decoded = facet_file.decode(buffer, generation)
    if decoded is None:
        return None
    header, cols = decoded
    names: Any = header.get("names")
    keys: Any = header.get("keys")
    months: Any = header.get("months")
    if not _str_lists(months):
        return None
    for lists in (names, keys):
        if not isinstance(lists, dict) or not all(_str_lists(lists.get(f)) for f in _INTERNED):
            return None
    if any(len(names[f]) != len(keys[f]) for f in _INTERNED):
        return None
    return FacetTable(
        generation=generation,
        ids=Ids(cols["id_text"], cols["id_start"]),
        ordinal=cols["ordinal"],
        year=cols["year"],
        month=cols["month"],
        months=months,
        speakers=Speakers(cols["speaker"], cols["more_doc"], cols["more"]),
        source=cols["source"],
        type=cols["type"],
        lang=cols["lang"],
        host=cols["host"],
        has_turns=cols["has_turns"],
        names=names,
        keys=keys,
        group=cols["group"],
        group_start=cols["group_start"],
        members=cols["group_members"],
        deleted=cols["deleted"],
    )


def _str_lists(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def cache_path(generation_dir: Path, index_generation: int) -> Path:
    return generation_dir / f"facets-v{CACHE_VERSION}-{index_generation}{CACHE_SUFFIX}"


def host_of(url: str | None) -> str | None:
    """The host of a URL, lowercased, without "www." and port: what `--site` matches."""
    if not url:
        return None
    rest = URL_SCHEME.sub("", url.strip().lower())
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    return host.removeprefix("www.") or None


def load_or_build(generation_dir: Path, reader: Any) -> FacetTable:
    """The facet table of the index generation `reader` reads, from cache if there."""
    gen = reader.generation()
    gen = -1 if gen is None else gen
    path = cache_path(generation_dir, gen)
    try:
        with open(path, "rb") as fh:
            table = read_table(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ), gen)
        if table is not None:
            return table
    except (OSError, ValueError):  # missing, or empty (mmap refuses): rebuilt below
        pass
    data = build_file(reader, gen)
    try:
        atomic_write(path, data, durable=False)
    except OSError:
        pass  # a read-only home still searches, only slower
    for old in generation_dir.glob("facets-v*-*.*"):
        number = old.stem.rsplit("-", 1)[-1]
        stale = not old.name.startswith(f"facets-v{CACHE_VERSION}-") or old.suffix != CACHE_SUFFIX
        if stale or (number.lstrip("-").isdigit() and int(number) < gen):  # never a newer one
            try:
                old.unlink()
            except OSError:
                pass
    table = read_table(data, gen)
    assert table is not None  # what build_file wrote, read back
    return table
