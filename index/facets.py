"""Per-document facet values, cached per index generation, and counting over a result set.

Whoosh's `groupedby` facets cost 50-130 ms at 20,000 documents; counting
from a plain table docnum -> (year, month, speakers, source, type) over the
matched document set costs a few milliseconds (../shared/notes/whoosh.md).
The table is built from the stored fields once per index generation (Whoosh
docnums change when segments merge) and saved next to the index as JSON, so
a search process only loads it. JSON, not pickle: a data home may come from
someone else, and loading a pickle runs whatever code it names. At 20,000
documents the JSON loads in about the time the pickle did (docs/reliability.md).
"""

from __future__ import annotations

import array
import base64
import gc
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from statements.index.files import atomic_write

URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")  # stripped from a URL before its host

FACETS = ("speaker", "year", "month", "source", "type", "lang")
UNDATED = "undated"
NONE = "(none)"
CACHE_VERSION = 5

_LISTS = ("ids", "month", "speakers")  # JSON lists
_INTS = ("ordinal", "year", "source", "type", "lang", "host")  # int32 arrays, base64
_COLUMNS = _LISTS + _INTS


@dataclass
class FacetTable:
    """Column arrays indexed by Whoosh docnum (None where a docnum is deleted)."""

    generation: int
    ids: list[str | None] = field(default_factory=list)
    ordinal: list[int] = field(default_factory=list)  # date.toordinal(); 0 = undated
    year: list[int] = field(default_factory=list)  # 0 = undated
    month: list[str] = field(default_factory=list)  # "2019-09", "2019" (year only), "undated"
    speakers: list[tuple[int, ...]] = field(default_factory=list)  # lists when loaded
    source: list[int] = field(default_factory=list)
    type: list[int] = field(default_factory=list)
    lang: list[int] = field(default_factory=list)
    host: list[int] = field(default_factory=list)  # the URL's host ("kremlin.ru"), for --site
    has_turns: list[bool] = field(default_factory=list)
    names: dict[str, list[str]] = field(default_factory=dict)  # facet -> display values
    keys: dict[str, list[str]] = field(default_factory=dict)  # facet -> lowercased keys
    copy_rank: dict[int, int] = field(default_factory=dict)  # docnum -> group id (groups > 1)
    losers: dict[int, list[int]] = field(default_factory=dict)  # group -> members by preference
    by_id: dict[str, int] = field(default_factory=dict)

    @property
    def live(self) -> frozenset[int]:
        """Docnums of the documents not deleted (cached on first use)."""
        cached = self.__dict__.get("_live")
        if cached is None:
            ids = self.ids
            if None in ids:
                cached = frozenset(d for d, rid in enumerate(ids) if rid is not None)
            else:  # nothing deleted (the usual case): built in C, a third of the time
                cached = frozenset(range(len(ids)))
            self.__dict__["_live"] = cached
        return cached

    def count(self, facet: str, docs: Iterable[int]) -> list[tuple[str, int]]:
        """Exact counts of `facet` over `docs`, most frequent first (years: newest first).

        Counted with `map` and `Counter` over the column lists, so the loop runs
        in C (a Python loop per document cost as much as the search itself).
        """
        if facet == "year":
            counter = Counter(map(self.year.__getitem__, docs))
            rows = [(str(y) if y else UNDATED, n) for y, n in counter.items()]
            rows.sort(key=lambda r: (r[0] == UNDATED, r[0]), reverse=False)
            return rows
        if facet == "month":
            counter2 = Counter(map(self.month.__getitem__, docs))
            rows = sorted(counter2.items(), key=lambda r: (r[0] == UNDATED, r[0]))
            return rows
        if facet == "speaker":
            counter3 = Counter(chain.from_iterable(map(self.speakers.__getitem__, docs)))
            return _named(counter3, self.names["speaker"])
        column = {"source": self.source, "type": self.type, "lang": self.lang}[facet]
        return _named(Counter(map(column.__getitem__, docs)), self.names[facet])

    @property
    def grouped(self) -> frozenset[int]:
        """Docnums that belong to a copy group (cached on first use)."""
        cached = self.__dict__.get("_grouped")
        if cached is None:
            cached = frozenset(self.copy_rank)
            self.__dict__["_grouped"] = cached
        return cached

    def collapse(self, docs: set[int]) -> tuple[set[int], dict[int, list[int]]]:
        """Keep one document per copy group: the preferred matched member.

        Returns the kept set and, for each kept document that stands for
        others, the other matched members (its other locations).
        """
        if not self.copy_rank:
            return docs, {}
        kept = set(docs)
        others: dict[int, list[int]] = {}
        seen_groups: set[int] = set()
        for d in self.grouped.intersection(docs):  # the others stand alone
            group = self.copy_rank.get(d)
            if group is None or group in seen_groups:
                continue
            seen_groups.add(group)
            members = [m for m in self.losers[group] if m in docs]
            if len(members) > 1:
                for m in members[1:]:
                    kept.discard(m)
                others[members[0]] = members[1:]
        return kept, others

    def group_members(self, docnum: int) -> list[int]:
        group = self.copy_rank.get(docnum)
        return list(self.losers[group]) if group is not None else [docnum]


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


def build_table(reader: Any, generation: int) -> FacetTable:
    """Read every live document's stored `meta` into column arrays."""
    size = reader.doc_count_all()
    table = FacetTable(generation=generation)
    table.ids = [None] * size
    table.ordinal = [0] * size
    table.year = [0] * size
    table.month = [UNDATED] * size
    table.speakers = [()] * size
    table.source = [-1] * size
    table.type = [-1] * size
    table.lang = [-1] * size
    table.host = [-1] * size
    table.has_turns = [False] * size
    interned: dict[str, dict[str, int]] = {
        f: {} for f in ("speaker", "source", "type", "lang", "host")
    }
    names: dict[str, list[str]] = {f: [] for f in interned}

    def intern(facet: str, key: str, display: str) -> int:
        table_ = interned[facet]
        number = table_.get(key)
        if number is None:
            number = table_[key] = len(names[facet])
            names[facet].append(display)
        return number

    groups: dict[str, list[tuple[tuple, int]]] = {}
    for docnum, stored in reader.iter_docs():
        meta = stored.get("meta") or {}
        rid = stored.get("id")
        table.ids[docnum] = rid
        table.by_id[rid] = docnum
        ordinal = meta.get("ordinal") or 0
        table.ordinal[docnum] = ordinal
        date_iso = meta.get("date") or ""
        table.year[docnum] = int(date_iso[:4]) if date_iso else 0
        table.month[docnum] = date_iso[:7] if date_iso else UNDATED
        table.speakers[docnum] = tuple(
            intern("speaker", key, name)
            for key, name in zip(
                meta.get("speaker_keys", ()), meta.get("speakers", ()), strict=False
            )
        )
        for facet in ("source", "type", "lang"):
            value = meta.get(facet)
            if value:
                column = getattr(table, facet)
                column[docnum] = intern(facet, value.lower(), value)
        host = host_of(meta.get("url"))
        if host:
            table.host[docnum] = intern("host", host, host)
        table.has_turns[docnum] = bool(meta.get("turns"))
        copy = meta.get("copy")
        if copy:
            preference = (bool(meta.get("republished_by")), ordinal or 10**9, rid)
            groups.setdefault(copy, []).append((preference, docnum))
    table.names = names
    table.keys = {f: list(v.keys()) for f, v in interned.items()}
    number = 0
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort()
        table.losers[number] = [d for _, d in members]
        for _, d in members:
            table.copy_rank[d] = number
        number += 1
    return table


def cache_path(generation_dir: Path, index_generation: int) -> Path:
    return generation_dir / f"facets-v{CACHE_VERSION}-{index_generation}.json"


def to_json(table: FacetTable) -> str:
    data: dict[str, Any] = {name: getattr(table, name) for name in _LISTS}
    data.update({name: _pack(getattr(table, name)) for name in _INTS})
    data.update(
        version=CACHE_VERSION,
        generation=table.generation,
        has_turns=[d for d, flag in enumerate(table.has_turns) if flag],
        names=table.names,
        keys=table.keys,
        groups=[table.losers[g] for g in sorted(table.losers)],
    )
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def from_json(text: str | bytes, generation: int) -> FacetTable | None:
    """The table saved by `to_json`, or None when it is not one (of this generation).

    The collector is paused meanwhile: the 20,000 speaker lists of a large table
    otherwise set off collections that doubled the load time (28 ms -> 14 ms).
    Given the file's bytes, json decodes them itself: reading 1.4 MB as text
    through a text file (newline translation) took twice as long."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _from_data(json.loads(text), generation)
    finally:
        if paused:
            gc.enable()


def _from_data(data: Any, generation: int) -> FacetTable | None:
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return None
    if data.get("generation") != generation:
        return None
    table = FacetTable(generation=generation)
    for name in _LISTS:
        setattr(table, name, data[name])
    for name in _INTS:
        setattr(table, name, _unpack(data[name]))
    size = len(table.ids)
    if any(len(getattr(table, name)) != size for name in _COLUMNS):
        return None
    table.has_turns = [False] * size
    for d in data["has_turns"]:
        table.has_turns[d] = True
    table.names, table.keys = data["names"], data["keys"]
    for number, members in enumerate(data["groups"]):
        table.losers[number] = members
        for d in members:
            table.copy_rank[d] = number
    table.by_id = {rid: d for d, rid in enumerate(table.ids) if rid is not None}
    return table


def _pack(values: list[int]) -> str:
    """Integers as little-endian 32-bit words in base64: a quarter of the parse time of
    a JSON list of numbers, and still plain data."""
    words = array.array("i", values)
    if sys.byteorder == "big":
        words.byteswap()
    return base64.b64encode(words.tobytes()).decode("ascii")


def _unpack(text: str) -> list[int]:
    words = array.array("i")
    words.frombytes(base64.b64decode(text, validate=True))
    if sys.byteorder == "big":
        words.byteswap()
    return words.tolist()


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
        table = from_json(path.read_bytes(), gen)
        if table is not None:
            return table
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, OverflowError):
        pass  # missing or damaged: rebuilt below
    table = build_table(reader, gen)
    try:
        atomic_write(path, to_json(table), durable=False)
    except OSError:
        pass  # a read-only home still searches, only slower
    for old in generation_dir.glob("facets-v*-*.*"):
        number = old.stem.rsplit("-", 1)[-1]
        stale = not old.name.startswith(f"facets-v{CACHE_VERSION}-") or old.suffix != ".json"
        if stale or (number.lstrip("-").isdigit() and int(number) < gen):  # never a newer one
            try:
                old.unlink()
            except OSError:
                pass
    return table
