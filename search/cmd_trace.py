"""`statements trace PHRASE`: first and last use, who said it how often, when, and where.

The command parses options; `index.trace` finds and counts, `tables.render_trace` draws
the table and chart.
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
    from statements.index.trace import Trace


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
        from statements.search.tables import render_trace

        typer.echo(render_trace(trace, occurrences, colour=Terminal().colour))


# ---- json lines and csv (the table is drawn in tables.py) --------------------------------


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
    from statements.search.output import csv_text, safe

    columns = CONTEXT_COLUMNS if occurrences else PEOPLE_COLUMNS
    rows = []
    for row in _rows(trace, occurrences):
        values = []
        for c in columns:
            value = row.get(c)
            if isinstance(value, list):
                value = "; ".join(value)
            values.append(safe(str(value), keep_newlines=False) if value is not None else "")
        rows.append(values)
    return csv_text(columns, rows)
