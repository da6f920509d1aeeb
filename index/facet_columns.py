"""Columns of the facet table that are more than one number per document, read in place.

The record ids and the speakers of a document have no fixed length; on disk
(index.facet_file) the ids are one UTF-8 text with the offset where each starts,
the speakers a first-speaker column and (docnum, speaker) pairs for the others.
These classes read a document's part when asked for it, so opening the table
costs nothing per document: a search decodes the ids of its ten hits, not of the
500,000 documents. `LiveDocs` stands for the set of documents not deleted.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence, Set
from itertools import compress, filterfalse
from typing import Any, overload


class LiveDocs(Set[int]):
    """The docnums not deleted: range(size) less `deleted`, without a set of every one.

    Building frozenset(range(500,000)) took 15-30 ms per search. What a search
    does with the live set is `matched & live` (index.ranking.Evaluator), and that
    runs here in C: the docnums past the end and the few deleted ones taken out."""

    def __init__(self, size: int, deleted: frozenset[int]) -> None:
        self.size = size
        self.deleted = deleted

    def __contains__(self, d: object) -> bool:
        return isinstance(d, int) and 0 <= d < self.size and d not in self.deleted

    def __len__(self) -> int:
        return self.size - len(self.deleted)

    def __iter__(self) -> Iterator[int]:
        if not self.deleted:
            return iter(range(self.size))
        return filterfalse(self.deleted.__contains__, range(self.size))

    def __and__(self, other: Iterable[Any]) -> set[int]:
        """The live docnums among `other` (docnums, never negative): a copy and a max,
        as fast as `&` with a frozenset, and a filter only when one is past the end."""
        kept = set(other)
        if kept and max(kept) >= self.size:
            kept = set(filter(self.size.__gt__, kept))
        kept.difference_update(self.deleted)
        return kept

    __rand__ = __and__


class Ids(Sequence["str | None"]):
    """The record id of each docnum (None where the docnum is deleted).

    `text` holds each id in UTF-8 followed by "\\n" ("\\n" alone for a deleted
    docnum), `starts[d]` where docnum d's starts (len(ids) + 1 offsets)."""

    def __init__(self, text: memoryview, starts: memoryview) -> None:
        self._text = text
        self.starts = starts

    def __len__(self) -> int:
        return len(self.starts) - 1

    @overload
    def __getitem__(self, d: int) -> str | None: ...
    @overload
    def __getitem__(self, d: slice) -> list[str | None]: ...
    def __getitem__(self, d: int | slice) -> str | list[str | None] | None:
        if isinstance(d, slice):
            return [self[i] for i in range(len(self))[d]]
        if d < 0:
            d += len(self)
        start, end = self.starts[d], self.starts[d + 1]
        return str(self._text[start : end - 1], "utf-8", "replace") or None

    def __iter__(self) -> Iterator[str | None]:
        return (rid or None for rid in self._all())

    def docnums(self) -> dict[str, int]:
        """id -> docnum of every live document (decoded in one piece: 20 ms at 500,000)."""
        by_id = dict(zip(self._all(), range(len(self)), strict=True))
        by_id.pop("", None)  # the deleted docnums
        return by_id

    def _all(self) -> list[str]:
        """Every id in docnum order, "" for a deleted docnum."""
        ids = str(self._text, "utf-8", "replace").split("\n")
        if len(ids) == len(self) + 1:  # one "\n" per id: none holds one of its own
            ids.pop()
            return ids
        return [self[d] or "" for d in range(len(self))]


class Speakers(Sequence["tuple[int, ...]"]):
    """The speakers of each docnum, as numbers into the table's speaker names.

    Most documents have one speaker or none: the first is a column of its own
    (`first`, -1 for none), which `tally` counts in one pass in C. The others are
    (docnum, speaker) pairs in two columns, `more_doc` ascending and `more`,
    counted in one more pass over the pairs (13% of documents have any)."""

    def __init__(self, first: memoryview, more_doc: memoryview, more: memoryview) -> None:
        self._first = first
        self._more_doc = more_doc
        self._more = more

    def __len__(self) -> int:
        return len(self._first)

    @overload
    def __getitem__(self, d: int) -> tuple[int, ...]: ...
    @overload
    def __getitem__(self, d: slice) -> list[tuple[int, ...]]: ...
    def __getitem__(self, d: int | slice) -> tuple[int, ...] | list[tuple[int, ...]]:
        if isinstance(d, slice):
            return [self[i] for i in range(len(self))[d]]
        first = self._first[d]
        if first < 0:
            return ()
        if d < 0:
            d += len(self)
        start = bisect_left(self._more_doc, d)
        end = bisect_right(self._more_doc, d, start)
        return (first, *self._more[start:end]) if end > start else (first,)

    def tally(self, docs: Collection[int]) -> Counter[int]:
        """How many of `docs` each speaker speaks in, counted in C (map, compress and
        Counter): the first speakers, then the pairs whose docnum is in `docs`."""
        counter = Counter(map(self._first.__getitem__, docs))
        counter.pop(-1, None)
        if self._more:
            among = docs if isinstance(docs, set | frozenset) else set(docs)
            counter.update(compress(self._more, map(among.__contains__, self._more_doc)))
        return counter
