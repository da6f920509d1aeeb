"""Bounded decompression: a gzip or deflate body never grows past the size cap.

The cap is counted on the *decompressed* bytes, so a gzip bomb (a few KB that
inflate to gigabytes) is cut at the cap instead of filling memory.
"""

from __future__ import annotations

import zlib

from statements.scraper.errors import FetchError
from statements.scraper.network.response import TooLargeError, size_text

STEP = 1024 * 1024  # largest decompressed piece held at once beyond what was kept


class BodyTooLarge(Exception):
    """The body passed the cap (the caller names the URL in its own error)."""


class Decoder:
    """Incremental Content-Encoding decoder whose output never exceeds a cap.

    `zlib`'s `max_length` bounds each step's output, so even a chunk that
    would inflate a thousandfold is expanded only up to the cap.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.parts: list[bytes] = []
        enc = encoding.strip().lower()
        if enc in ("", "identity"):
            self._z = None
        elif enc in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self._z = zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib stream (auto header)
        else:
            raise ValueError(enc)

    def feed(self, data: bytes) -> None:
        if self._z is None:
            self._add(data)
            return
        while data:
            room = min(self.limit - self.size + 1, STEP)
            out = self._z.decompress(data, room)
            self._add(out)
            data = self._z.unconsumed_tail
            if self._z.eof:
                break

    def finish(self) -> bytes:
        if self._z is not None:
            self._add(self._z.flush(self.limit - self.size + 1))
        return b"".join(self.parts)

    def _add(self, out: bytes) -> None:
        self.size += len(out)
        if self.size > self.limit:
            raise BodyTooLarge
        if out:
            self.parts.append(out)


def gunzip_capped(data: bytes, max_bytes: int, *, url: str = "") -> bytes:
    """Decompress a gzip file (a `sitemap.xml.gz`) without letting it exceed `max_bytes`."""
    dec = Decoder("gzip", max_bytes)
    try:
        dec.feed(data)
        return dec.finish()
    except BodyTooLarge:
        raise TooLargeError(
            f"{url or 'gzip data'}: decompresses to more than {size_text(max_bytes)} "
            "(possibly a decompression bomb); skipped",
            "raise the size cap (update --max-size) only if you trust this site",
        ) from None
    except zlib.error as exc:
        raise FetchError(f"{url or 'gzip data'}: damaged gzip data ({exc})") from None
