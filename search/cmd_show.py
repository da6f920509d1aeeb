"""`statements show / stats`: one document, or a summary of the index."""

from __future__ import annotations

from pathlib import Path

import typer

from statements.search import options
from statements.search.app import command, open_library
from statements.search.options import ShowFormat


@command(
    "show",
    help=(
        "Print one indexed document: metadata, text, other locations of the same text.\n\n"
        "Example: statements show ub8c1766f8857ab23 --turns"
    ),
)
def show_cmd(
    doc_id: str = typer.Argument(
        ..., metavar="ID", help="A document id (see search --format json)."
    ),
    turns: bool = typer.Option(
        False, "--turns", help="Print the transcript as attributed speaker turns."
    ),
    fmt: ShowFormat = options.fmt(ShowFormat.text, "text or json."),
    home: Path | None = options.home(),
) -> None:
    from statements.search import output, tables

    library = open_library(home)
    record = library.get(doc_id)
    copies = library.copies(doc_id)
    library.close()
    if fmt is ShowFormat.json:
        data = record.to_dict()
        data["copies"] = copies
        typer.echo(output.dumps(data, indent=2))
        return
    if turns:
        head = output.render_record_text(record.with_(text="")).rstrip()
        typer.echo(head + "\n")
        typer.echo(output.render_turns(record).rstrip())
    else:
        typer.echo(output.render_record_text(record).rstrip())
    if copies:
        typer.echo("\n" + tables.render_copies(copies))


@command(
    "stats",
    help=(
        "Summarise the index: documents, speakers, sources, date span, size.\n\n"
        "Example: statements stats --format json"
    ),
)
def stats_cmd(
    fmt: ShowFormat = options.fmt(ShowFormat.text, "text or json."),
    home: Path | None = options.home(),
) -> None:
    from statements.search import output, tables

    library = open_library(home)
    stats = library.stats()
    library.close()
    if fmt is ShowFormat.json:
        typer.echo(output.dumps(stats, indent=2))
    else:
        typer.echo(tables.render_stats(stats))
