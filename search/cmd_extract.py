"""`statements extract`: print the record a page (file, folder or URL) gives."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from statements.search.app import ExitStatus, app, command, fail
from statements.search.terminal import Terminal

if TYPE_CHECKING:
    from statements.scraper.record import Statement


class ExtractFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    text = "text"


@command(
    "extract",
    help=(
        "Extract one clean, attributed record from a page and print it.\n\n"
        "PATH_OR_URL is an HTML file, a plain-text page capture, a JSON feed item, "
        "a folder of those, or an http(s) URL (one polite fetch).\n\n"
        "Example: statements extract page.html --format json"
    ),
)
def extract_cmd(
    path_or_url: str = typer.Argument(..., metavar="PATH_OR_URL", help="File, folder or URL."),
    fmt: ExtractFormat = typer.Option(
        ExtractFormat.json, "--format", "-f", help="json (pretty), jsonl (one line each) or text."
    ),
) -> None:
    from statements.index import ingest
    from statements.search.output import escape_json, render_record_text

    if ingest.looks_like_url(path_or_url):
        record, _capture = ingest.read_url(path_or_url)
        _print([record], fmt)
        return
    path = Path(path_or_url)
    if not path.exists():
        raise fail(f"no such file or folder: {path_or_url} (give a page file, folder or URL)")
    if path.is_file():
        record, _capture = ingest.read_file(path)
        _print([record], fmt)
        return
    term = Terminal()
    pages = ingest.Inputs([str(path)], records=False, on_fail=term.error, explain=_internal)
    done = 0
    for record, _capture in pages:
        done += 1
        if fmt is ExtractFormat.text:
            typer.echo(render_record_text(record))
            typer.echo("")
        else:
            typer.echo(escape_json(record.to_json()))
    failed = len(pages.failed)
    typer.echo(f"extracted {done} page(s), {failed} failed", err=True)
    if failed:
        raise typer.Exit(ExitStatus.ERROR)


def _internal(exc: Exception) -> str:
    """A bug on one page must not stop the folder: reported, and the rest extracted."""
    return (
        f"internal error: {type(exc).__name__}: {exc} "
        "(rerun this page with --debug and report the traceback)"
    )


def _print(records: list[Statement], fmt: ExtractFormat) -> None:
    from statements.search.output import dumps, escape_json, render_record_text

    for record in records:
        if fmt is ExtractFormat.text:
            typer.echo(render_record_text(record))
        elif fmt is ExtractFormat.jsonl:
            typer.echo(escape_json(record.to_json()))
        else:
            typer.echo(dumps(record.to_dict(), indent=2))


__all__ = ["app", "extract_cmd"]
