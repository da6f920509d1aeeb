"""Bytes to text: find the encoding a page was written in, then normalise it.

Order of evidence, most to least reliable:
1. a byte-order mark (it is part of the bytes, so it cannot lie);
2. strict UTF-8 when the bytes hold non-ASCII UTF-8 sequences (Cyrillic cp1251 text
   practically never forms valid multi-byte UTF-8, while servers often still
   *declare* windows-1251 for pages converted to UTF-8 long ago);
3. the charset the HTTP header or the page's own `<meta>` declares, if the bytes
   decode under it;
4. content detection with charset-normalizer.

Real binaries (images, PDFs, archives, executables: known by their first bytes,
or by control bytes all through them) are refused. A text page with a few stray
C0 control bytes (NUL, ESC, BEL: a capture tool's padding, a terminal colour code
pasted into a title) is not binary: those bytes are dropped before decoding, and
the page goes on. No text encoding met on the web but UTF-16/32 (BOM first) and
ISO-2022 (its escape sequences are kept) uses those bytes inside a character.

Then line endings become "\\n" and the invisible spaces pages use for layout
(no-break space, zero-width space, word joiner, soft hyphen) become plain
spaces or go away, so "White\\u00a0House" matches a search for "White House".
"""

from __future__ import annotations

import codecs
import re

from statements.scraper.errors import ExtractError

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
# C0 controls left in decoded text (a UTF-16 page, a JSON "\\u001b" escape) go too.
_C0 = dict.fromkeys([*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F], None)
_TRANSLATE = {**_SPACES, **_INVISIBLE, **_C0}
_TO_NORMALISE = re.compile("[" + "".join(re.escape(chr(c)) for c in _TRANSLATE) + "]")

# C0 control characters other than tab/newline/CR/form feed, and C1 controls (what
# binary junk becomes under latin-1): a real page has almost none.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# The same C0 controls (and vertical tab, DEL) as bytes, in runs: what is dropped from
# a text page. A run of NUL padding counts once.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]+")
_C0_BYTES = bytes([*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
# The escape sequences of ISO-2022 encodings (JIS X 0208, KS C 5601, ASCII/Roman back).
_ISO2022_ESC = re.compile(rb"\x1b(?:\$[@AB]|\$\([CD]|\$\)[AC]|\([BIJ]|\.[AF]|N|O)")
# ANSI/VT100 control sequences (CSI "ESC [ ... m", OSC "ESC ] ... BEL").
_TERMINAL_CODE = re.compile(
    rb"\x1b\[[0-?]{0,32}[ -/]{0,4}[@-~]|\x1b\][^\x07\x1b]{0,200}(?:\x07|\x1b\\)"
)
#: First bytes of binary formats that are never a page (checked before anything else).
_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"%PDF-",
    b"PK\x03\x04",  # zip, docx, xlsx, epub, jar
    b"PK\x05\x06",
    b"\x1f\x8b",  # gzip
    b"BZh",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\x28\xb5\x2f\xfd",  # zstd
    b"\xd0\xcf\x11\xe0",  # OLE: doc, xls, msg
    b"\x7fELF",
    b"\xca\xfe\xba\xbe",  # Java class, Mach-O fat
    b"\x00asm",
    b"SQLite format 3\x00",
    b"II*\x00",  # TIFF
    b"MM\x00*",
    b"wOFF",
    b"wOF2",
    b"OggS",
    b"fLaC",
    b"ID3",  # MP3
    b"\x1aE\xdf\xa3",  # Matroska / WebM
)
#: More control-byte runs than this share of a page's bytes (or a short page with more
#: than `_MAX_STRAY` of them) means binary data, not stray bytes in a text.
_CONTROL_SHARE = 0.01
_MAX_STRAY = 16


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
    if _is_binary_format(data) or _no_whitespace(data):
        return None
    stripped = strip_control_bytes(data)
    if stripped is None:
        return None
    data = stripped
    if b"\x1b" in data and _ISO2022_ESC.search(data):
        # 7-bit ISO-2022 text is also valid ASCII: its declaration or detection decides
        iso = declared_charset(data, content_type) or ""
        if iso.startswith("iso2022"):
            try:
                return data.decode(iso)
            except UnicodeDecodeError:
                pass
        return _detect(data)
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


def _is_binary_format(data: bytes) -> bool:
    """The bytes start like an image, a PDF, an archive, audio/video or a program."""
    head = data[:16]
    if head.startswith(_MAGIC):
        return True
    # RIFF (WebP, WAV, AVI) and ISO media (MP4, MOV, HEIC) put their tag at offset 8 / 4
    return (head.startswith(b"RIFF") and head[8:12].isalnum()) or head[4:8] == b"ftyp"


def _no_whitespace(data: bytes) -> bool:
    """4 KB without one space, tab or newline is no page in any script (minified HTML has
    spaces in its attributes, CJK text line ends): it is binary that decodes by chance."""
    sample = data[:100_000]
    return len(sample) >= 4096 and not re.search(rb"[ \t\n\r]", sample)


def strip_control_bytes(data: bytes) -> bytes | None:
    """`data` without its C0 control bytes (but tab, newlines, form feed), or None when
    there are so many that the bytes are binary, not a text with a few stray bytes.

    Padding runs (a capture tool's NUL blocks) count once each; ISO-2022 escape
    sequences, which are part of the text's encoding, stay.
    """
    if len(data.translate(None, _C0_BYTES)) == len(data):
        return data  # the common case, checked at C speed
    runs = _CONTROL_BYTES.findall(data)
    stray = sum(1 if not run.strip(b"\x00") else len(run) for run in runs)
    if stray > max(_MAX_STRAY, len(data) * _CONTROL_SHARE):
        return None
    if b"\x1b" in data:
        if _ISO2022_ESC.search(data):
            return _nonempty(re.sub(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]+", b"", data))
        # a terminal colour or title code ("\x1b[1m", "\x1b]0;title\x07") goes whole:
        # dropping the ESC alone would leave "[1m" in the text
        data = _TERMINAL_CODE.sub(b"", data)
    return _nonempty(_CONTROL_BYTES.sub(b"", data))


def _nonempty(data: bytes) -> bytes | None:
    """None for bytes that were nothing but control codes (all NUL: a blank disk block)."""
    return data if data.strip() else None


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
    # str.translate looks every character up; a search for the few that change is
    # several times faster on real text, where they are rare
    if _TO_NORMALISE.search(text) is None:
        return text
    return text.translate(_TRANSLATE)
