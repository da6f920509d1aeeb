"""How records and captures are compressed on disk, and every older form read back.

Both side stores hold compressed bytes: records.sqlite a record's JSON, captures.sqlite
the original page or, for a record that came without one (`.jsonl`, the library API),
the record's JSON again. That JSON is compressed once and stored in both (the capture
adds a marker). The two copies are kept on purpose: each store rebuilds the other when
one is damaged (tests/test_damage.py), so the way to make them smaller is to compress
each better.

zstd level 9 replaced zlib level 6. On 5,000 records of the bench set, each compressed
alone as stored: 0.40x the body text against zlib's 0.54x, compressing at ~80 MB/s of
JSON against zlib's ~35 MB/s, and read back 2.5x faster (20,000 records: 0.5 s of CPU
against 1.3 s). Level 3 was 0.42x at ~350 MB/s, level 19 0.38x at 5 MB/s; brotli 5
0.38x at 67 MB/s; lzma 0.39x at 5 MB/s. A trained zstd dictionary would take it to
~0.33x, but every stored row would then depend on one more file (README "Performance").

What older releases wrote is still read, so an index built before opens and reindexes:
records as zlib bytes or as plain JSON text, captures marked `ZLIB` or uncompressed.
"""

from __future__ import annotations

import zlib
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import zstandard

LEVEL = 9
# The first bytes of a zstd frame (RFC 8878): how a record row tells zstd from zlib,
# whose streams start with 0x78.
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
# The start of a compressed capture. A capture without either marker is an older,
# uncompressed one: its bytes are the page as given.
ZSTD = b"\x00zstd\x00"
ZLIB = b"\x00zlib\x00"  # captures written by releases that compressed with zlib
MAX_SIZE = 1 << 30  # more than any record or page holds (pages are cut at 16 MB)


# One compressor and one decompressor per process, made when first needed (a search that
# shows no record text never imports zstandard). They are not thread-safe, and need not
# be: the stores' SQLite connections already keep a Library to the thread that made it.
@cache
def _compressor() -> zstandard.ZstdCompressor:
    import zstandard

    return zstandard.ZstdCompressor(level=LEVEL)


@cache
def _decompressor() -> zstandard.ZstdDecompressor:
    import zstandard

    return zstandard.ZstdDecompressor()


def _unzstd(data: bytes) -> bytes:
    """A zstd frame's bytes; ValueError when it is damaged. The size its header claims
    is checked first: a damaged header must not ask for gigabytes."""
    import zstandard

    try:
        size = zstandard.frame_content_size(data)
        if not 0 <= size <= MAX_SIZE:
            raise ValueError(f"a frame claiming {size} bytes")
        return _decompressor().decompress(data)
    except zstandard.ZstdError as exc:
        raise ValueError(str(exc)) from None


def compress_json(text: str) -> bytes:
    """A record's JSON as records.sqlite stores it; `ZSTD` + these bytes is the same
    record as a capture (compressed once for both)."""
    return _compressor().compress(text.encode("utf-8"))


def record_json(value: str | bytes) -> str:
    """A record row's JSON: zstd or zlib bytes, or text in stores of older releases."""
    if isinstance(value, str):
        return value
    try:
        data = _unzstd(value) if value.startswith(ZSTD_MAGIC) else zlib.decompress(value)
        return data.decode("utf-8")
    except (zlib.error, ValueError) as exc:  # UnicodeDecodeError is a ValueError
        raise ValueError(f"a damaged record ({exc})") from None


def pack(data: bytes) -> bytes:
    """Capture bytes as stored: compressed, marked."""
    return ZSTD + _compressor().compress(data)


def pack_json(compressed: bytes) -> bytes:
    """The capture of a record that came without a page, from its `compress_json`."""
    return ZSTD + compressed


def unpack(data: bytes) -> bytes:
    """Stored capture bytes back as given (older captures were stored as they came).

    A damaged capture comes back as garbage bytes, which the extractor rejects by name."""
    try:
        if data.startswith(ZSTD):
            return _unzstd(data[len(ZSTD) :])
        if data.startswith(ZLIB):
            return zlib.decompress(data[len(ZLIB) :])
    except (zlib.error, ValueError):
        return data
    return data
