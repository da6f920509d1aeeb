"""`statements trace PHRASE`: first and last use, who said it how often, when, and where.

The command parses options and renders; `index.trace` finds and counts.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from statements.search import options
from statements.search.app import command, open_library
from statements.search.options import Format
from statements.search.terminal import Terminal

if TYPE_CHECKING:
    from statements.index.trace import Occurrence, Trace

SPEAKER_WIDTH = 24
TITLE_WIDTH = 60


class Period(StrEnum):
    year = "year"
    month = "month"


@command(
    "trace",
    help=(
        "Trace a phrase through the index: first and last use (date, person, document), "
        "a table per person (count, first and last date), a chart per year or month "
        "(zero periods shown) and, with --occurrences, every use in context.\n\n"
        "With --said-by an occurrence counts only for the person whose own turn it is in.\n\n"
        "Example: statements trace 'indivisible security' --said-by --by year --occurrences"
    ),
)
def trace_cmd(
    phrase: str = typer.Argument(
        ..., metavar="PHRASE", help="The words to trace, as one argument."
    ),
    speaker: list[str] = options.speaker(
        "Only documents by this speaker; with --said-by, only their own turns."
    ),
    since: str | None = options.since(),
    until: str | None = options.until(),
    source: list[str] = options.source(),
    doc_type: list[str] = options.doc_type(),
    lang: list[str] = options.lang(),
    said_by: bool = typer.Option(
        False, "--said-by", help="Credit a person only with the words of their own turns."
    ),
    by: Period = typer.Option(Period.year, "--by", help="Chart per year or per month."),
    occurrences: bool = typer.Option(
        False, "--occurrences", help="List every occurrence in context (keyword in context)."
    ),
    width: int = typer.Option(
        40, "--width", min=5, max=200, help="Characters of context on each side."
    ),
    fmt: Format = options.fmt(
        Format.table,
        "table, json, jsonl or csv (jsonl/csv: one row per person, or per occurrence).",
    ),
    home: Path | None = options.home(),
) -> None:
    from statements.index.trace import TraceRequest

    request = TraceRequest(
        phrase=phrase,
        speakers=tuple(speaker),
        since=since,
        until=until,
        sources=tuple(source),
        types=tuple(doc_type),
        langs=tuple(lang),
        said_by=said_by,
        by=by.value,
        occurrences=occurrences,
        width=width,
    )
    with open_library(home) as library:
        trace = library.trace(request)
    if fmt is Format.json:
        import json

        typer.echo(json.dumps(trace.to_dict(contexts=occurrences), ensure_ascii=False, indent=2))
    elif fmt is Format.jsonl:
        text = render_jsonl(trace, occurrences)
        if text:
            typer.echo(text)
    elif fmt is Format.csv:
        typer.echo(render_csv(trace, occurrences))
    else:
        typer.echo(render_table(trace, occurrences, colour=Terminal().colour))


# ---- renderers --------------------------------------------------------------------------


def _rows(trace: Trace, occurrences: bool) -> list[dict[str, Any]]:
    if occurrences:
        return [c.to_dict() for c in trace.contexts]
    return [p.to_dict() for p in trace.people]


def render_jsonl(trace: Trace, occurrences: bool) -> str:
    import json

    return "\n".join(json.dumps(r, ensure_ascii=False) for r in _rows(trace, occurrences))


PEOPLE_COLUMNS = ["name", "occurrences", "documents", "first", "last"]
CONTEXT_COLUMNS = ["id", "date", "people", "left", "match", "right", "title", "url", "offset"]


def render_csv(trace: Trace, occurrences: bool) -> str:
    """One row per person (or per occurrence); page text is `safe()`-cleaned."""
    import csv
    import io

    from statements.search.output import safe

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    columns = CONTEXT_COLUMNS if occurrences else PEOPLE_COLUMNS
    writer.writerow(columns)
    for row in _rows(trace, occurrences):
        values = []
        for c in columns:
            value = row.get(c)
            if isinstance(value, list):
                value = "; ".join(value)
            values.append(safe(str(value), keep_newlines=False) if value is not None else "")
        writer.writerow(values)
    return buf.getvalue().rstrip("\n")


def _use_line(label: str, occ: Occurrence | None) -> str:
    from statements.search.output import _cut, safe

    if occ is None:
        return f"{label} -"
    who = _cut(safe(", ".join(occ.people), keep_newlines=False) or "-", 2 * SPEAKER_WIDTH)
    title = _cut(safe(occ.title, keep_newlines=False), TITLE_WIDTH)
    return f"{label} {occ.date}  {who}  {title}  {safe(occ.id, keep_newlines=False)}"


def render_table(trace: Trace, occurrences: bool, colour: bool = False) -> str:
    """The summary, the per-person table, the chart and (optionally) every occurrence."""
    from tabulate import tabulate

    from statements.search.output import render_bars, safe

    phrase = safe(trace.phrase, keep_newlines=False)
    if not trace.occurrences:
        return f'"{phrase}": no occurrences.'
    n, d = trace.occurrences, trace.documents
    lines = [
        f'"{phrase}": {n} occurrence{"s" if n != 1 else ""} in {d} document'
        f"{'s' if d != 1 else ''}"
        + (" (own turns only)" if trace.said_by else "")
        + (f"; {trace.unattributed} with no speaker named" if trace.unattributed else ""),
        _use_line("First use:", trace.first),
        _use_line("Last use: ", trace.last),
        "",
    ]
    if trace.people:
        lines.append(
            tabulate(
                [
                    [
                        safe(p.name, keep_newlines=False),
                        p.occurrences,
                        p.documents,
                        p.first or "undated",
                        p.last or "undated",
                    ]
                    for p in trace.people
                ],
                headers=["person", "occurrences", "documents", "first", "last"],
                tablefmt="simple",
                disable_numparse=True,
            )
        )
    else:
        lines.append("person: (none named)")
    lines.append("")
    lines.append(render_bars(f"occurrences by {trace.by}", [(p, k) for p, k, _ in trace.periods]))
    if occurrences:
        lines.append("")
        lines.extend(_kwic_lines(trace, colour))
    return "\n".join(lines)


def _kwic_lines(trace: Trace, colour: bool) -> list[str]:
    """Concordance lines: date, id, speaker, then the context with the phrase centred."""
    from statements.search.output import BOLD_YELLOW, RESET, _cut, safe

    width = max((len(c.left) for c in trace.contexts), default=0)
    id_width = max((len(c.id) for c in trace.contexts), default=0)
    out = []
    for c in trace.contexts:
        who = _cut(safe(", ".join(c.people), keep_newlines=False) or "-", SPEAKER_WIDTH)
        match = safe(c.match, keep_newlines=False)
        if colour:
            match = BOLD_YELLOW + match + RESET
        # the context is one line already; safe() keeps its spacing next to the match
        left, right = safe(c.left), safe(c.right)
        out.append(
            f"{c.date or 'undated':<10}  {safe(c.id, keep_newlines=False):<{id_width}}  "
            f"{who:<{SPEAKER_WIDTH}}  {left:>{width}}{match}{right}"
        )
    return out
