"""`statements export`: every matching document as whole records (JSONL, CSV or JSON).

`search --format jsonl` gives hits (title, snippet, score); `export` gives the
records themselves: text, turns, type, language, location, and the other
locations of the same text. It streams: records are read a page at a time
and written as they come, so memory stays flat however many documents match.
Its JSONL output is what `statements add` takes back (each record is marked
complete, so it is indexed exactly as exported): an export added to an
empty home gives an equal index.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import typer

from statements.search import options
from statements.search.app import command, open_library
from statements.search.options import FacetName, Sort
from statements.search.query_args import QueryCommand
from statements.search.terminal import Terminal

if TYPE_CHECKING:
    from statements.index.models import Export, Location
    from statements.scraper.record import Statement

RECORD_COLUMNS = [
    "id",
    "url",
    "title",
    "date",
    "speakers",
    "source",
    "republished_by",
    "type",
    "location",
    "language",
    "section",
    "document_number",
    "text",
    "turns",
    "copies",
]


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    json = "json"


@command(
    "export",
    cls=QueryCommand,
    help=(
        "Write every matching document as a whole record: text, turns, metadata and "
        "the other locations of its text. QUERY and the filters are as in search; "
        "leave QUERY out (or '*') for the whole index.\n\n"
        "jsonl (the default) is one record a line, which `statements add` takes back; "
        "csv is one row a record (turns and copies as JSON); json is one object with "
        "the total, the facets and the records.\n\n"
        "Example: statements export --speaker Lavrov --since 2022 > lavrov.jsonl"
    ),
)
def export_cmd(
    query: str = typer.Argument("", help="What to look for; leave out or '*' for everything."),
    speaker: list[str] = options.speaker(),
    said_by: list[str] = options.said_by(),
    since: str | None = options.since(),
    until: str | None = options.until(),
    source: list[str] = options.source(),
    site: list[str] = options.site(),
    doc_type: list[str] = options.doc_type(),
    lang: list[str] = options.lang(),
    facet: list[FacetName] = options.facet("Counts by a facet (json only: see --format)."),
    sort: Sort = options.sort(),
    limit: int | None = typer.Option(
        None, "--limit", "-n", min=1, help="At most this many records (default: every match)."
    ),
    fmt: ExportFormat = options.fmt(ExportFormat.jsonl, "jsonl (default), csv or json."),
    home: Path | None = options.home(),
) -> None:
    request = options.search_request(
        query,
        speaker=speaker,
        said_by=said_by,
        since=since,
        until=until,
        source=source,
        site=site,
        doc_type=doc_type,
        lang=lang,
        facet=facet,
        sort=sort,
        all_copies=True,  # every document: a copy is a document of its own publisher
        snippets=False,
    )
    term = Terminal()
    if request.facets and fmt is not ExportFormat.json:
        term.say(
            f"Note: --facet is not written in {fmt.value} (it has no place for counts); "
            "use --format json to get the facets with the records"
        )
    library = open_library(home)
    try:
        export = library.export(request, limit=limit)
        for note in export.notes:
            term.say(f"Note: {note}")
        out = sys.stdout
        if fmt is ExportFormat.json:
            write_json(out, export)
        elif fmt is ExportFormat.csv:
            write_csv(out, export.records)
        else:
            for record, copies in export.records:
                out.write(json.dumps(exported(record, copies), ensure_ascii=False) + "\n")
        out.flush()
    finally:
        library.close()


def exported(record: Statement, copies: list[Location]) -> dict[str, Any]:
    """The record as export writes it: every field, its other locations, and the mark
    that makes `add` take it exactly as it is."""
    return {**record.to_dict(), "copies": copies, "complete": True}


def write_json(out: TextIO, export: Export) -> None:
    """One JSON object, written record by record: {"total", "facets", "records": [...]}."""
    facets = {
        name: [{"value": v, "count": n} for v, n in rows] for name, rows in export.facets.items()
    }
    head = {"total": export.total, "facets": facets}
    out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "records": [')
    first = True
    for record, copies in export.records:
        text = json.dumps(exported(record, copies), ensure_ascii=False)
        out.write(("\n" if first else ",\n") + text)
        first = False
    out.write("\n]}\n")


def write_csv(out: TextIO, records: Iterable[tuple[Statement, list[Location]]]) -> None:
    """One row a record; page text is cleaned of control characters (CSV is often viewed
    in a terminal); list fields as JSON text, so nothing is lost."""
    from statements.search.output import safe

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RECORD_COLUMNS)
    for record, copies in records:
        data = record.to_dict()
        row = []
        for column in RECORD_COLUMNS:
            if column == "copies":
                row.append(safe(json.dumps(copies, ensure_ascii=False)))
            elif column == "turns":
                row.append(safe(json.dumps(data["turns"], ensure_ascii=False)))
            elif column == "speakers":
                row.append("; ".join(safe(s, keep_newlines=False) for s in data["speakers"]))
            else:
                row.append(safe(data[column]) if isinstance(data[column], str) else "")
        writer.writerow(row)
