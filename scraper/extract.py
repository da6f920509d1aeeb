"""Turn one page (bytes or file) into one clean, attributed `Statement`.

    extract_bytes(data, url=..., content_type=..., name=...) -> Statement
    extract_file(path) -> Statement
    extract_record(dict, name=...) -> Statement   (a parsed JSON item / JSONL line)
    iter_pages(folder) -> Iterator[Path]     (page-like files, recursive, sorted)

The pipeline: bytes -> text (`encoding`) -> a reader for the input's kind
(HTML `html_page`, JSON item `feeds`, plain-text capture `capture`) fills a
`Draft` -> `finish` merges the speaker evidence, splits turns, picks the
type and the id. Every problem a user can cause is an `ExtractError` whose
message names the page, the problem and what to do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from statements.scraper import metadata
from statements.scraper.draft import Draft
from statements.scraper.encoding import MAX_BYTES, decode_bytes
from statements.scraper.errors import ExtractError
from statements.scraper.people import document_names, offices
from statements.scraper.people.person import canonical_name
from statements.scraper.people.titles import (
    heading_persons,
    speakers_from_byline,
    speakers_from_tags,
    title_speakers,
)
from statements.scraper.people.turns import split_turns
from statements.scraper.record import Statement, make_id

#: A body shorter than this is a menu, a caption or an empty page, not a statement.
MIN_WORDS = 5

#: File name endings `iter_pages` treats as pages.
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".txt", ".json", ".text")

_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|p\b)", re.I | re.S
)
_HTML_TAGS = re.compile(r"<(?:p|div|body|article|h1|br)[\s>/]", re.I)


def extract_bytes(
    data: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    name: str | None = None,
) -> Statement:
    """Extract the statement a page's bytes hold. Raises `ExtractError` for bad pages."""
    label = name or url or "page"
    text = decode_bytes(data, content_type=content_type, name=label)
    kind = _kind(text, content_type=content_type, name=name)
    try:
        if kind == "json":
            from statements.scraper.feeds import load_json, read_json

            draft = read_json(load_json(text, label), url=url, name=label)
        elif kind == "html":
            from statements.scraper.html_page import read_html

            draft = read_html(text, url=url, name=label)
        else:
            from statements.scraper.capture import read_capture

            draft = read_capture(text, url=url)
    except RecursionError:
        raise ExtractError(
            f"{label}: the page is nested too deeply to read; save a simpler copy of it"
        ) from None
    return finish(draft, label)


def extract_file(path: Path) -> Statement:
    """Extract the statement in a saved page file."""
    return extract_bytes(read_page(path), name=str(path))


def read_page(path: Path) -> bytes:
    """The bytes of a saved page file, refused in one clear line when it is too big
    for one page, a folder or unreadable."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ExtractError(
                f"{path}: {size / 1e6:.0f} MB is too big for one page "
                f"(limit {MAX_BYTES // (1024 * 1024)} MB); give a single statement page"
            )
        return path.read_bytes()
    except IsADirectoryError:
        raise ExtractError(f"{path}: is a folder; give a page file") from None
    except OSError as exc:
        raise ExtractError(f"{path}: cannot read ({exc.strerror}); check the path") from None


def extract_record(data: dict[str, Any], *, name: str = "record") -> Statement:
    """A statement from one JSON item already parsed (a JSONL line, a feed item).

    The same cleaning as a `.json` page gets: the site's banners, header and
    footer are removed from `text` (kremlin.ru "События ... Текстовая версия",
    state.gov author lines, White House time lines and markdown), unlike
    `Statement.from_dict`, which takes a record as it is.
    """
    from statements.scraper.feeds import normalise_json, read_json

    draft = read_json(normalise_json(data), url=None, name=name)
    return finish(draft, name)


def iter_pages(folder: Path, suffixes: tuple[str, ...] = PAGE_SUFFIXES) -> Iterator[Path]:
    """Page-like files under `folder` (or those with other `suffixes`, such as the
    `.jsonl` record files), recursively, in sorted order, hidden files skipped."""
    folder = Path(folder)
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file() and path.suffix.lower() in suffixes:
            yield path


# ---- the input's kind ------------------------------------------------------------------


def _kind(text: str, *, content_type: str | None, name: str | None) -> str:
    """ "json", "html" or "text": clear content first, then declared type and file name.

    A page that starts with "{" is JSON and one that starts with an HTML tag is
    HTML whatever its name says (saved pages are often misnamed); otherwise the
    Content-Type and the file name decide, and plain text is the default.
    """
    stripped = text.strip()
    if stripped[:1] == "{" or (stripped[:1] == "[" and stripped[-1:] == "]"):
        return "json"
    if _HTML_START.match(text[:2000]):
        return "html"
    ctype = (content_type or "").split(";")[0].strip().lower()
    suffix = Path(name).suffix.lower() if name else ""
    if ctype.endswith("json") or suffix in (".json", ".jsonl"):
        return "json"
    if ctype in ("text/html", "application/xhtml+xml") or suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if len(_HTML_TAGS.findall(text[:20000])) >= 3:
        return "html"
    return "text"


# ---- sealing the record ------------------------------------------------------------------


def finish(draft: Draft, label: str) -> Statement:
    """Merge the evidence into a `Statement`; `ExtractError` when there is no text."""
    text = draft.text.strip()
    title = " ".join(draft.title.split())
    enough = word_count(text) >= MIN_WORDS
    if not enough and draft.truncated:
        raise ExtractError(
            f"{label}: the HTML stops before </body></html> and no statement text was "
            "found in what there is (truncated download?); save or fetch the page again"
        )
    if not enough:
        raise ExtractError(
            f"{label}: no statement text found (empty body, a listing or a truncated page); "
            "give the page of a single statement"
        )
    language = draft.language or metadata.detect_language(text)
    if not title:
        first = text.split("\n", 1)[0]
        title = first if len(first) <= 200 else first[:197].rsplit(" ", 1)[0] + "..."

    title_people = title_speakers(title, text, language) + heading_persons(text)
    byline_people: list[str] = []
    for line in draft.bylines:
        persons, _offices = speakers_from_byline(line)
        byline_people.extend(persons)
    meta_people = [n for p in draft.persons if (n := canonical_name(p, language))]
    signers = [n for p in draft.signers if (n := canonical_name(p, language))]
    country = offices.country_of(draft.source, draft.url)
    turns = split_turns(text, title=title, language=language, date=draft.date, country=country)
    if not title_people and (held := offices.title_office_holder(title, draft.date, country)):
        title_people = [held]  # "Statement by the President" on a dated White House page
    turn_people = [t.speaker for t in turns if t.speaker and t.role == "speaker"]
    # person tags list the people a page is about; in a transcript those are its
    # participants, in a readout the counterpart only (who is not quoted): so tags
    # count as speakers only where the page has turns, and else only resolve initials
    tag_people = speakers_from_tags(draft.tags)
    speakers, turns = document_names.settle(
        [title_people, byline_people, meta_people, turn_people, tag_people if turns else ()],
        turns,
        text=text,
        known=tag_people,
        signers=signers,
        date=draft.date,
        country=country,
    )

    table = draft.profile.section_types if draft.profile else {}
    kind = draft.type or metadata.statement_type(
        title, draft.sections, table, hint=_hint_type(draft.type_hint, table)
    )
    if kind is None and draft.profile is not None:
        kind = draft.profile.default_type
    if kind is None and turns:
        kind = "transcript"
    return Statement(
        id=make_id(draft.url, title, text),
        url=draft.url,
        title=title,
        text=text,
        date=draft.date,
        speakers=tuple(speakers),
        source=draft.source,
        republished_by=draft.republished_by,
        type=kind,
        location=draft.location or None,
        language=language,
        section=draft.section or None,
        document_number=draft.document_number or None,
        turns=tuple(turns),
    )


_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def word_count(text: str) -> int:
    """Words of a body: space-separated tokens, and each Han, kana or Hangul character
    (Chinese and Japanese write no spaces: a whole answer is one "token")."""
    return len(text.split()) + len(_CJK_CHAR.findall(text[:2000]))


_INITIAL = re.compile(r"^(\w)\.\s?(\S.*)$")


def resolve_initials(names: list[str], fuller: list[str]) -> dict[str, str]:
    """Map "Е. Солнцев" to "Евгений Солнцев" when the page names him in full elsewhere.

    Transcript labels give initials ("Е.Солнцев:"); the page's person tags, title
    or metadata may give the full name. Same surname and same first letter, and
    only one such full name, or the initial stays as it is.
    """
    out: dict[str, str] = {}
    for name in set(names):
        if _INITIAL.match(name) and (full := document_names.resolve(name, fuller)):
            out[name] = full
    return out


def _hint_type(hint: str | None, table: dict[str, str]) -> str | None:
    if not hint:
        return None
    return table.get(hint.strip().lower())
