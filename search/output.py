"""Renderers: turn records and search results into text, tables, JSON or CSV.

Renderers only format; they never query or print. Everything that comes from
a page passes through `safe()` first, so a hostile title cannot send escape
sequences to the user's terminal.
"""

from __future__ import annotations

import re
import textwrap

from scraper.record import Statement

# C0/C1 control characters except tab and newline, plus ESC-introduced sequences.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: str | None, *, keep_newlines: bool = True) -> str:
    """Strip escape sequences and control characters from page-supplied text."""
    if not text:
        return ""
    text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text)
    if not keep_newlines:
        text = " ".join(text.split())
    return text


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
