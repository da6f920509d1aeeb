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
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from statements.search.app import command
from statements.search.cmd_index import HOME_HELP, FacetName, Sort
from statements.search.query_args import QueryCommand

if TYPE_CHECKING:
    from statements.index.models import Location

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
    speaker: list[str] = typer.Option([], "--speaker", metavar="NAME", help="By this speaker."),
    said_by: list[str] = typer.Option(
        [], "--said-by", metavar="NAME", help="Where this person said the words."
    ),
    since: str | None = typer.Option(None, "--since", metavar="DATE", help="From this date."),
    until: str | None = typer.Option(None, "--until", metavar="DATE", help="Up to this date."),
    source: list[str] = typer.Option([], "--source", metavar="SOURCE", help="From this publisher."),
    site: list[str] = typer.Option([], "--site", metavar="DOMAIN", help="URL on this site."),
    doc_type: list[str] = typer.Option([], "--type", metavar="TYPE", help="Of this type."),
    lang: list[str] = typer.Option([], "--lang", metavar="LANG", help="In this language."),
    facet: list[FacetName] = typer.Option(
        [], "--facet", metavar="FACET", help="Counts by a facet (json only: see --format)."
    ),
    sort: Sort = typer.Option(Sort.relevance, "--sort", help="relevance, newest or oldest."),
    limit: int | None = typer.Option(
        None, "--limit", "-n", min=1, help="At most this many records (default: every match)."
    ),
    fmt: ExportFormat = typer.Option(
        ExportFormat.jsonl, "--format", "-f", help="jsonl (default), csv or json."
    ),
    home: Path | None = typer.Option(None, "--home", help=HOME_HELP, show_default=False),
) -> None:
    from statements.index.library import Library
    from statements.index.models import SearchRequest
    from statements.search.cmd_index import _say

    request = SearchRequest(
        query=query,
        speakers=tuple(speaker),
        said_by=tuple(said_by),
        since=since,
        until=until,
        sources=tuple(source),
        sites=tuple(site),
        types=tuple(doc_type),
        langs=tuple(lang),
        facets=tuple(f.value for f in facet),
        sort=sort.value,
        all_copies=True,  # every document: a copy is a document of its own publisher
        snippets=False,
    )
    if request.facets and fmt is not ExportFormat.json:
        _say(
            f"Note: --facet is not written in {fmt.value} (it has no place for counts); "
            "use --format json to get the facets with the records"
        )
    library = Library(home)
    try:
        export = library.export(request, limit=limit)
        for note in export.notes:
            _say(f"Note: {note}")
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


def exported(record: Any, copies: list[Location]) -> dict[str, Any]:
    """The record as export writes it: every field, its other locations, and the mark
    that makes `add` take it exactly as it is."""
    return {**record.to_dict(), "copies": copies, "complete": True}


def write_json(out: Any, export: Any) -> None:
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


def write_csv(out: Any, records: Any) -> None:
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
