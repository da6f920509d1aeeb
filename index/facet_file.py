"""The facet table on disk: a small JSON header, then raw little-endian columns read in place.

Layout of `facets-v6-N.bin`:

    MAGIC (8 bytes) | header length (uint32) | header (UTF-8 JSON) | columns, 4-aligned

The header holds the version, the index generation, the number of documents
(`size`), of copy groups and of deleted docnums, the short lists (facet names and
keys, months) and, for each column, its byte offset (from the end of the header,
which is padded to 4 bytes) and its length in items. A search
maps the file (`mmap`) and takes each column as a `memoryview` over the mapping:
opening costs the same at 500,000 documents as at 2,000, and only the pages a
command touches are read. (The JSON table of version 5 was parsed whole: 80 ms at
100,000 documents, 400 ms at 500,000.)

Plain data, never pickle: a data home may come from someone else. The reader
checks every offset and length against the file's size and the header's sizes
before it hands out a column, so a truncated file, or one whose header lies, is
refused (`None`), and the caller rebuilds it.
"""

from __future__ import annotations

import array
import json
import struct
import sys
from collections.abc import Mapping
from typing import Any

MAGIC = b"STFACET\n"
VERSION = 6
_LENGTH = struct.Struct("<I")
_START = len(MAGIC) + _LENGTH.size

# Each column: its item format and how many items it holds, a name from the header
# ("size": one per document; "size+1": CSR offsets; "groups+1": copy-group offsets;
# "deleted": the count of deleted docnums) or None, for a flat list whose length the
# last offset of its CSR column gives.
COLUMNS: dict[str, tuple[str, str | None]] = {
    "ordinal": ("i", "size"),  # date.toordinal(); 0 = undated
    "year": ("i", "size"),  # 0 = undated
    "month": ("i", "size"),  # a number in header["months"]
    "source": ("i", "size"),  # a number in names["source"]; -1 = none
    "type": ("i", "size"),
    "lang": ("i", "size"),
    "host": ("i", "size"),
    "has_turns": ("B", "size"),  # one byte per document: 1 = the document has speaker turns
    "speaker": ("i", "size"),  # the first speaker; -1 = none
    "more_doc": ("i", None),  # the other speakers: (docnum, speaker) pairs by docnum
    "more": ("i", None),
    "id_start": ("i", "size+1"),  # CSR: each id in UTF-8 then "\n"; "\n" alone = deleted
    "id_text": ("B", None),
    "deleted": ("i", "deleted"),  # the deleted docnums
    "group": ("i", "size"),  # the copy group; -1 = none
    "group_start": ("i", "groups+1"),  # CSR: each group's members, preferred first
    "group_members": ("i", None),
}
_FLAT_OF = {"id_text": "id_start", "group_members": "group_start"}
_ITEM = {"i": 4, "B": 1}
assert array.array("i").itemsize == 4  # the platforms Python runs on


def encode(header: dict[str, Any], columns: Mapping[str, array.array | bytes]) -> bytes:
    """The file's bytes: `header` (with "size", "groups" and "deleted") and every column
    of COLUMNS."""
    parts: list[bytes] = []
    places: dict[str, list[int]] = {}
    offset = 0  # from the start of the columns, the first 4-aligned byte after the header
    for name, (fmt, _) in COLUMNS.items():
        values = columns[name]
        if isinstance(values, array.array):
            if sys.byteorder == "big":
                values = array.array(values.typecode, values)
                values.byteswap()
            data = values.tobytes()
        else:
            data = bytes(values)
        places[name] = [offset, len(data) // _ITEM[fmt]]
        parts.append(data + b"\0" * (-len(data) % 4))
        offset += len(parts[-1])
    head = dict(header, version=VERSION, columns=places)
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    text += b" " * (-(_START + len(text)) % 4)
    return MAGIC + _LENGTH.pack(len(text)) + text + b"".join(parts)


def decode(buffer: Any, generation: int) -> tuple[dict[str, Any], dict[str, memoryview]] | None:
    """The header and the columns (memoryviews over `buffer`) of a file `encode` wrote for
    index generation `generation`, or None when `buffer` is not one, whole."""
    try:
        return _decode(memoryview(buffer), generation)
    except (ValueError, TypeError, KeyError, IndexError, RecursionError, struct.error):
        return None  # json's errors are ValueErrors; a misaligned cast is a TypeError


def _decode(
    view: memoryview, generation: int
) -> tuple[dict[str, Any], dict[str, memoryview]] | None:
    if view[: len(MAGIC)] != MAGIC:
        return None
    (length,) = _LENGTH.unpack_from(view, len(MAGIC))
    end = _START + length
    if end % 4 or end > len(view):
        return None
    header = json.loads(bytes(view[_START:end]))
    if not isinstance(header, dict) or header.get("version") != VERSION:
        return None
    if header.get("generation") != generation:
        return None
    counts = {name: header[name] for name in ("size", "groups", "deleted")}
    if any(type(n) is not int or n < 0 for n in counts.values()):
        return None
    expected = {"size": counts["size"], "size+1": counts["size"] + 1}
    expected.update({"groups+1": counts["groups"] + 1, "deleted": counts["deleted"]})
    places = header["columns"]
    columns: dict[str, memoryview] = {}
    for name, (fmt, length_of) in COLUMNS.items():
        offset, count = places[name]
        if type(offset) is not int or type(count) is not int or offset % 4 or offset < 0:
            return None
        offset += end
        if count < 0 or offset + count * _ITEM[fmt] > len(view):
            return None
        if length_of is not None and count != expected[length_of]:
            return None
        columns[name] = _column(view[offset : offset + count * _ITEM[fmt]], fmt)
    for flat, starts in _FLAT_OF.items():  # each CSR runs from 0 to its flat list's end
        if columns[starts][0] != 0 or columns[starts][-1] != len(columns[flat]):
            return None
    if len(columns["more_doc"]) != len(columns["more"]):
        return None
    return header, columns


def _column(raw: memoryview, fmt: str) -> memoryview:
    if fmt == "B":
        return raw.cast("B")
    if sys.byteorder == "big":  # the file is little-endian: a swapped copy
        words = array.array("i")
        words.frombytes(raw)
        words.byteswap()
        return memoryview(words)
    return raw.cast("i")
