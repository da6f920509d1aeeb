"""Output that is not a table: page text made safe, JSON, JSONL, CSV, a record as
text, the progress line. (Every table and chart is drawn in `tables.py`.)

Renderers only format; they never query or print. Everything that comes from
a page passes through `safe()` first, so a hostile title cannot send escape
sequences to the user's terminal.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from statements.scraper.record import Statement

if TYPE_CHECKING:
    from statements.index.models import SearchResult

# Escape sequences: ESC-introduced (CSI, OSC, two-character) and the C1 CSI (U+009B).
_ANSI = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])|\x9b[0-?]*[ -/]*[@-~]"
)
# C0/C1 control characters except tab and newline, and the bidi controls (embeddings,
# overrides, isolates, marks) that can make a line read differently from its bytes.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}]")
# What JSON output escapes (`\u009b`) although JSON allows it raw: the terminal
# would act on it. C0 controls JSON escapes itself; U+2028/9 break JavaScript readers.
_JSON_UNSAFE = re.compile(f"[\\x7f-\\x9f{_BIDI}\\u2028\\u2029]")


def safe(text: str | None, *, keep_newlines: bool = True) -> str:
    """Strip escape sequences and control characters from page-supplied text."""
    if not text:
        return ""
    text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text)
    if not keep_newlines:
        text = " ".join(text.split())
    return text


def escape_json(text: str) -> str:
    """JSON text with C1 controls and bidi controls written as `\\uXXXX` escapes (still
    the same JSON value: they can only occur inside strings)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def dumps(data: Any, **options: Any) -> str:
    """`json.dumps` for output: UTF-8 text as is, terminal-active characters escaped."""
    import json

    return escape_json(json.dumps(data, ensure_ascii=False, **options))


def render_record_text(record: Statement, width: int = 88) -> str:
    """A readable block: the metadata lines, then the body wrapped by paragraph."""
    rows = [
        ("Title", record.title),
        ("Date", record.date_iso or "unknown"),
        ("Speakers", ", ".join(record.speakers) or "-"),
        ("Source", record.source or "-"),
        ("Republished by", record.republished_by),
        ("Type", record.type),
        ("Location", record.location),
        ("Language", record.language),
        ("Section", record.section),
        ("Document no.", record.document_number),
        ("URL", record.url),
        ("Id", record.id),
    ]
    lines = [
        f"{name + ':':<15} {safe(value, keep_newlines=False)}" for name, value in rows if value
    ]
    lines.append("")
    for para in safe(record.text).split("\n\n"):
        lines.append(textwrap.fill(para, width=width) if para.strip() else "")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# ---- a page of search results as data (the table is drawn in tables.py) ----------------


def render_json(result: SearchResult) -> str:
    return dumps(result.to_dict(), indent=2)


def render_jsonl(result: SearchResult) -> str:
    return "\n".join(dumps(h.to_dict()) for h in result.hits)


CSV_COLUMNS = ["id", "score", "date", "speakers", "title", "source", "url", "snippet"]


def csv_text(header: Sequence[str] | None, rows: Iterable[Sequence[object]]) -> str:
    """CSV rows (and the header row, unless None) as one text, lines ending in `\n`
    and no newline at the end, as `typer.echo` adds one."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().rstrip("\n")


def render_csv(result: SearchResult, header: bool = True) -> str:
    """One row per hit; page text is `safe()`-cleaned (CSV is often viewed in a terminal)."""
    rows = (
        [
            safe(hit.id, keep_newlines=False),
            f"{hit.score:.4f}" if hit.score is not None else "",
            hit.date or "",
            "; ".join(safe(s, keep_newlines=False) for s in hit.speakers),
            safe(hit.title, keep_newlines=False),
            safe(hit.source, keep_newlines=False),
            safe(hit.url, keep_newlines=False),
            safe(hit.snippet, keep_newlines=False),
        ]
        for hit in result.hits
    )
    return csv_text(CSV_COLUMNS if header else None, rows)


def render_turns(record: Statement, width: int = 88) -> str:
    """The transcript as attributed turns: who spoke, then the words."""
    if not record.turns:
        return "(no speaker turns in this document)"
    out = []
    for turn in record.turns:
        who = turn.speaker or turn.role.capitalize() or "?"
        label = safe(turn.label, keep_newlines=False)
        head = safe(who, keep_newlines=False) + (f" [{label}]" if label else "")
        out.append(head + ":")
        for para in safe(turn.text).split("\n\n"):
            if para.strip():
                out.append(
                    textwrap.fill(
                        " ".join(para.split()),
                        width=width,
                        initial_indent="  ",
                        subsequent_indent="  ",
                    )
                )
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def progress_bar(label: str, done: int, total: int | None, width: int = 30) -> str:
    """One status line for stderr: `reading [#######.......]  120/2000`.

    Without a known total (a URL list still being read) it is a plain count.
    """
    if not total:
        return f"{label} {done} ..."
    done = min(done, total)
    filled = width * done // total
    return f"{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
