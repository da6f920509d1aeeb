"""`statements search`: one page of hits, every hit as jsonl or csv, or the values
the filters take (`--list-values`)."""

from __future__ import annotations

import json
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from statements.search import options
from statements.search.app import command, open_library
from statements.search.options import FacetName, Format, Sort
from statements.search.query_args import QueryCommand
from statements.search.terminal import Terminal

if TYPE_CHECKING:
    from statements.index.library import Library
    from statements.index.models import SearchRequest

EXPORT_PAGE = 1000


class ValueField(StrEnum):
    speaker = "speaker"
    source = "source"
    site = "site"
    type = "type"
    lang = "lang"


@command(
    "search",
    cls=QueryCommand,
    help=(
        "Search the index; QUERY may be left out (or '*') to browse.\n\n"
        'Query language: words, "phrases", AND / OR / NOT, -word, title: speaker: source: '
        "type: lang: fields, wildcards (secur*), date ranges (date:2019..2021-06). "
        "Documents with all the words rank first.\n\n"
        "Example: statements search 'indivisible security' --speaker 'Sergey Lavrov' "
        "--since 2021 --facet year --facet speaker"
    ),
)
def search_cmd(
    query: str = typer.Argument("", help="What to look for; leave out or '*' to browse."),
    speaker: list[str] = options.speaker(),
    said_by: list[str] = options.said_by(),
    since: str | None = options.since(),
    until: str | None = options.until(),
    source: list[str] = options.source(),
    site: list[str] = options.site(),
    doc_type: list[str] = options.doc_type(),
    lang: list[str] = options.lang(),
    facet: list[FacetName] = options.facet(
        "Count hits by speaker, said-by, year, month, source, type or lang (repeatable)."
    ),
    sort: Sort = options.sort(),
    limit: int | None = typer.Option(
        None,
        "--limit",
        "-n",
        min=1,
        max=10_000,
        help="Hits per page (default 10; jsonl and csv: every hit).",
    ),
    page: int = typer.Option(1, "--page", min=1, help="Page number."),
    all_copies: bool = typer.Option(
        False, "--all-copies", help="Show each republished copy as its own hit."
    ),
    exact: bool = typer.Option(
        False, "--exact", help="Match the words as typed, not their stems (as =word does)."
    ),
    all_words: bool = typer.Option(
        False, "--all-words", help="Only documents holding all the query's words."
    ),
    fmt: Format = options.fmt(Format.table, "table, json, jsonl or csv."),
    list_values: ValueField | None = typer.Option(
        None,
        "--list-values",
        metavar="FIELD",
        help="List the values of speaker, source, site, type or lang in the index "
        "(what the filters take), with counts; no search.",
    ),
    home: Path | None = options.home(),
) -> None:
    from statements.search import tables

    if list_values is not None:
        _list_values(home, list_values.value, fmt)
        return

    # jsonl and csv carry every hit unless --limit says otherwise
    export_all = fmt in (Format.jsonl, Format.csv) and limit is None
    term = Terminal()
    if facet and fmt in (Format.jsonl, Format.csv):
        term.say(
            f"Note: --facet is not written in {fmt.value} (one hit a line has no place for "
            "counts); use --format json or table to get the facets"
        )
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
        limit=EXPORT_PAGE if export_all else (limit or 10),
        page=1 if export_all else page,
        all_copies=all_copies,
        exact=exact,
        all_words=all_words,
    )
    library = open_library(home)
    if export_all:  # every hit, a page of records at a time (memory stays flat)
        try:
            _export(library, request, fmt)
        finally:
            library.close()
        return
    result = library.search(request)
    library.close()
    text = tables.render(result, fmt.value, colour=term.colour, all_copies=all_copies)
    if text:  # jsonl of no hits is no line at all
        typer.echo(text)
    for note in result.notes:
        term.say(f"Note: {note}")
    if result.total == 0 and result.suggestion:
        term.say(f"Did you mean: {result.suggestion}")


def _list_values(home: Path | None, fieldname: str, fmt: Format) -> None:
    """`search --list-values FIELD`: the values the filters take, most documents first."""
    from statements.search import tables

    library = open_library(home)
    try:
        values = library.values(fieldname)
    finally:
        library.close()
    if fmt is Format.json:
        typer.echo(json.dumps([v.to_dict() for v in values], ensure_ascii=False, indent=2))
    elif fmt is Format.jsonl:
        for v in values:
            typer.echo(json.dumps(v.to_dict(), ensure_ascii=False))
    elif fmt is Format.csv:
        from statements.search.output import csv_text

        typer.echo(csv_text(*tables.value_rows(fieldname, values)))
    else:
        typer.echo(tables.render_values(fieldname, values))


def _export(library: Library, request: SearchRequest, fmt: Format = Format.jsonl) -> None:
    """`--format jsonl` or `csv` without --limit: every matching hit, a page at a time
    (one JSON object or CSV row a line, the CSV header once)."""
    from statements.search import output

    page = 1
    with library.snapshot():  # one state of the index for all pages, writers or not
        while True:
            result = library.search(replace(request, page=page))
            if fmt is Format.csv:
                text = output.render_csv(result, header=page == 1)
            else:
                text = output.render_jsonl(result)
            if text:
                typer.echo(text)
            if page * request.limit >= result.total or not result.hits:
                break
            page += 1
