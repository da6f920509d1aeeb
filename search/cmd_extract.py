"""`statements extract`: print the record a page (file, folder or URL) gives."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from statements.scraper.errors import StatementsError
from statements.search.app import ExitStatus, app, command, fail


class ExtractFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    text = "text"


def _looks_like_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


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
    from statements.index.names import install_aliases
    from statements.scraper import extract as ex
    from statements.search.output import escape_json, render_record_text

    install_aliases()  # the user's alias table, before the page's names are folded
    if _looks_like_url(path_or_url):
        records = [ex.extract_url(path_or_url)]
        _print(records, fmt)
        return
    path = Path(path_or_url)
    if not path.exists():
        raise fail(f"no such file or folder: {path_or_url} (give a page file, folder or URL)")
    if path.is_file():
        _print([ex.extract_file(path)], fmt)
        return
    failed = 0
    done = 0
    for page in ex.iter_pages(path):
        try:
            record = ex.extract_file(page)
        except StatementsError as exc:  # the message already names the page
            failed += 1
            typer.echo(f"Error: {exc}", err=True)
            continue
        except Exception as exc:  # a bug on one page must not stop the folder
            failed += 1
            typer.echo(
                f"Error: {page}: internal error: {type(exc).__name__}: {exc} "
                "(rerun this page with --debug and report the traceback)",
                err=True,
            )
            continue
        done += 1
        if fmt is ExtractFormat.text:
            typer.echo(render_record_text(record))
            typer.echo("")
        else:
            typer.echo(escape_json(record.to_json()))
    typer.echo(f"extracted {done} page(s), {failed} failed", err=True)
    if failed:
        raise typer.Exit(ExitStatus.ERROR)


def _print(records: list, fmt: ExtractFormat) -> None:
    from statements.search.output import dumps, escape_json, render_record_text

    for record in records:
        if fmt is ExtractFormat.text:
            typer.echo(render_record_text(record))
        elif fmt is ExtractFormat.jsonl:
            typer.echo(escape_json(record.to_json()))
        else:
            typer.echo(dumps(record.to_dict(), indent=2))


__all__ = ["app", "extract_cmd"]
