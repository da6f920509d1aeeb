"""Renderers: turn records and search results into text, tables, JSON or CSV.

Renderers only format; they never query or print. Everything that comes from
a page passes through `safe()` first, so a hostile title cannot send escape
sequences to the user's terminal.
"""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING, Any

from statements.scraper.record import Statement

if TYPE_CHECKING:
    from statements.index.models import Location, Stats

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


# ---- search results ------------------------------------------------------------

BAR = "█"
BAR_WIDTH = 40
TITLE_WIDTH = 60
SPEAKERS_WIDTH = 28
BOLD_YELLOW = "\x1b[1;33m"
DIM = "\x1b[2m"
RESET = "\x1b[0m"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def highlighted(snippet: str, spans: list[tuple[int, int]], colour: bool) -> str:
    """The snippet with matched words in bold yellow (on a colour terminal only).

    Highlighting happens after cleaning each piece, so the escape sequences in
    the output are only ours. A piece keeps the spaces at its ends: they are
    the spaces between a highlighted word and its neighbours.
    """
    if not colour or not spans:
        return safe(snippet, keep_newlines=False)
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out.append(_piece(snippet[last:start]))
        out.append(BOLD_YELLOW + _piece(snippet[start:end]) + RESET)
        last = end
    out.append(_piece(snippet[last:]))
    return "".join(out).strip()


def _piece(text: str) -> str:
    """`safe()` for one piece of a line: whitespace runs become one space, ends kept."""
    return re.sub(r"\s+", " ", safe(text))


def render_table(result: Any, colour: bool = False, all_copies: bool = False) -> str:
    """Hits as a table with a snippet line under each, then the facet tables."""
    from tabulate import tabulate

    lines: list[str] = []
    first = (result.page - 1) * result.limit + 1
    if result.total:
        last = first + len(result.hits) - 1
        lines.append(
            f"{result.total} document{'s' if result.total != 1 else ''} match"
            f"{'es' if result.total == 1 else ''}"
            + (f", {result.all_words} with all the words" if result.all_words is not None else "")
            + (f"; showing {first}-{last}" if result.hits else f"; page {result.page} is empty")
        )
    else:
        lines.append("No documents match.")
    if result.hits:
        rows = []
        for n, hit in enumerate(result.hits, first):
            who = ", ".join(hit.speakers)
            if hit.said_by:
                who = f"{hit.said_by} (said)"
            title = hit.title
            if hit.copies and not all_copies:
                title += f" [+{len(hit.copies)} cop{'y' if len(hit.copies) == 1 else 'ies'}]"
            rows.append(
                [
                    n,
                    hit.date or "undated",
                    _cut(safe(who, keep_newlines=False) or "-", SPEAKERS_WIDTH),
                    _cut(safe(title, keep_newlines=False), TITLE_WIDTH),
                    f"{hit.score:.2f}" if hit.score is not None else "",
                ]
            )
        table = tabulate(
            rows,
            headers=["#", "Date", "Speakers", "Title", "Score"],
            tablefmt="simple",
            disable_numparse=True,
        ).split("\n")
        lines.extend(table[:2])
        for row_line, hit in zip(table[2:], result.hits, strict=False):
            lines.append(row_line)
            snippet = highlighted(hit.snippet, hit.spans, colour)
            if snippet:
                lines.append(
                    "    "
                    + (DIM if colour and not hit.spans else "")
                    + snippet
                    + (RESET if colour and not hit.spans else "")
                )
            lines.append(
                "    "
                + safe(hit.id, keep_newlines=False)
                + ("  " + safe(hit.url, keep_newlines=False) if hit.url else "")
            )
    for name, rows in result.facets.items():
        lines.append("")
        if name in ("year", "month"):
            lines.append(render_bars(name, rows))
        else:
            lines.append(
                tabulate(
                    [[safe(v, keep_newlines=False), n] for v, n in rows],
                    headers=[name, "documents"],
                    tablefmt="simple",
                    disable_numparse=True,
                )
                if rows
                else f"{name}: (none)"
            )
    return "\n".join(lines)


def render_bars(name: str, rows: list[tuple[str, int]]) -> str:
    """A year or month facet as a bar chart: when did they start saying it?

    Empty years and months between the first and the last are zero rows: a gap
    in the data shows as a gap in the chart.
    """
    from statements.index.facets import fill_periods

    if not rows:
        return f"{name}: (none)"
    rows = fill_periods(name, rows)
    top = max(n for _, n in rows)
    label_width = max(len(v) for v, _ in rows)
    count_width = len(str(top))
    out = [f"{name}"]
    for value, n in rows:
        length = max(1, round(n / top * BAR_WIDTH)) if n else 0
        out.append(f"{value:<{label_width}}  {n:>{count_width}}  {BAR * length}")
    return "\n".join(out)


def render_values(fieldname: str, values: list[Any], csv: bool = False) -> str:
    """`search --list-values`: value, documents, and what else names it (a source's
    web sites, a language's names)."""
    from tabulate import tabulate

    also = {"source": "web sites", "lang": "names"}.get(fieldname)
    rows = []
    for v in values:
        row = [safe(v.name, keep_newlines=False), v.count]
        if also:
            row.append(", ".join(safe(a, keep_newlines=False) for a in v.also))
        rows.append(row)
    headers = [fieldname, "documents", *([also] if also else [])]
    if csv:
        import csv as csv_module
        import io

        buf = io.StringIO()
        writer = csv_module.writer(buf, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(rows)
        return buf.getvalue().rstrip("\n")
    if not rows:
        return f"{fieldname}: (none)"
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)


def render(result: Any, fmt: str, colour: bool = False, all_copies: bool = False) -> str:
    """A page of search results in the format asked for (table, json, jsonl or csv)."""
    if fmt == "json":
        return render_json(result)
    if fmt == "jsonl":
        return render_jsonl(result)
    if fmt == "csv":
        return render_csv(result)
    return render_table(result, colour=colour, all_copies=all_copies)


def render_json(result: Any) -> str:
    return dumps(result.to_dict(), indent=2)


def render_jsonl(result: Any) -> str:
    return "\n".join(dumps(h.to_dict()) for h in result.hits)


CSV_COLUMNS = ["id", "score", "date", "speakers", "title", "source", "url", "snippet"]


def render_csv(result: Any, header: bool = True) -> str:
    """One row per hit; page text is `safe()`-cleaned (CSV is often viewed in a terminal)."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header:
        writer.writerow(CSV_COLUMNS)
    for hit in result.hits:
        writer.writerow(
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
        )
    return buf.getvalue().rstrip("\n")


def render_copies(copies: list[Location]) -> str:
    """The other locations of a document (republished copies), one per line."""
    lines = ["Other locations:"]
    for c in copies:
        who = c.get("republished_by") or c.get("source") or "-"
        where = c.get("url") or c.get("id")
        lines.append(f"  {safe(who, keep_newlines=False)}: {safe(where, keep_newlines=False)}")
    return "\n".join(lines)


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


def render_stats(stats: Stats) -> str:
    from tabulate import tabulate

    def size(n: int) -> str:
        return f"{n / 1e6:.1f} MB"

    rows = [
        ["Documents", stats["documents"]],
        ["Speakers", stats["speakers"]],
        ["Sources", stats["sources"]],
        ["Date span", f"{stats['first_date'] or '-'} .. {stats['last_date'] or '-'}"],
        ["Undated", stats["undated"]],
        ["Index size", size(stats["index_bytes"])],
        ["Captures", size(stats["capture_bytes"])],
        ["Home", safe(stats["home"], keep_newlines=False)],
    ]
    return tabulate(rows, tablefmt="plain", disable_numparse=True)


def progress_bar(label: str, done: int, total: int | None, width: int = 30) -> str:
    """One status line for stderr: `reading [#######.......]  120/2000`.

    Without a known total (a URL list still being read) it is a plain count.
    """
    if not total:
        return f"{label} {done} ..."
    done = min(done, total)
    filled = width * done // total
    return f"{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
