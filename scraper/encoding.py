"""Bytes to text: find the encoding a page was written in, then normalise it.

Order of evidence, most to least reliable:
1. a byte-order mark (it is part of the bytes, so it cannot lie);
2. strict UTF-8 when the bytes hold non-ASCII UTF-8 sequences (Cyrillic cp1251 text
   practically never forms valid multi-byte UTF-8, while servers often still
   *declare* windows-1251 for pages converted to UTF-8 long ago);
3. the charset the HTTP header or the page's own `<meta>` declares, if the bytes
   decode under it;
4. content detection with charset-normalizer.

Then line endings become "\\n" and the invisible spaces pages use for layout
(no-break space, zero-width space, word joiner, soft hyphen) become plain
spaces or go away, so "White\\u00a0House" matches a search for "White House".
"""

from __future__ import annotations

import codecs
import re

from scraper.errors import ExtractError

#: Pages bigger than this are refused: the largest real statement page in the
#: corpus is under 1 MB, and a 50 MB download is junk or a dump, not a page.
MAX_BYTES = 16 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
# <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)

# Characters replaced by a plain space / removed outright.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2009\u200a"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_TRANSLATE = {**_SPACES, **_INVISIBLE}

# C0 control characters other than tab/newline/CR/form feed, and C1 controls (what
# binary junk becomes under latin-1): a real page has almost none.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset named by the HTTP Content-Type or the page's first `<meta>`, if any."""
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m:
            return _known_codec(m.group(1))
    meta = _META_CHARSET.search(data[:4096])
    if meta:
        return _known_codec(meta.group(1).decode("ascii", "ignore"))
    return None


def _known_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def decode_bytes(data: bytes, *, content_type: str | None = None, name: str = "page") -> str:
    """Decode a page to normalised text; `ExtractError` for binary or undecodable data.

    `name` only appears in error messages (a file name or URL).
    """
    if not data or not data.strip():
        raise ExtractError(f"{name}: the page is empty; give a saved page with text in it")
    if len(data) > MAX_BYTES:
        raise ExtractError(
            f"{name}: {len(data) / 1e6:.0f} MB is too big for one page "
            f"(limit {MAX_BYTES // (1024 * 1024)} MB); give a single statement page"
        )
    text = _decode(data, content_type)
    if text is None or _looks_binary(text):
        raise ExtractError(
            f"{name}: not a text page (binary or undecodable bytes); "
            "give an HTML, text or JSON page"
        )
    return normalise_text(text)


def _decode(data: bytes, content_type: str | None) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data[:4096]:
        return None  # binary (UTF-16/32 without a BOM is not met on the web)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # a UTF-8 page with a few corrupt bytes (a bad copy-paste, a cut multi-byte
    # character) stays UTF-8: replacing those bytes beats decoding it all wrong
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= max(3, len(data) // 2000) and _has_multibyte(data):
        return lenient
    declared = declared_charset(data, content_type)
    if declared and declared not in ("utf-8", "ascii"):
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    return _detect(data)


def _has_multibyte(data: bytes) -> bool:
    """True if the bytes hold at least one well-formed multi-byte UTF-8 sequence."""
    return re.search(rb"[\xc2-\xf4][\x80-\xbf]+", data[:100_000]) is not None


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_binary(text: str) -> bool:
    """Control characters or replacement marks in more than 1% of the text mean junk."""
    sample = text[:100_000]
    bad = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
    return bad > max(8, len(sample) // 100)


def normalise_text(text: str) -> str:
    """Unix line endings, plain spaces for no-break spaces, no zero-width characters."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_TRANSLATE)
