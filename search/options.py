"""The options the commands share, each defined once, and the request they build.

One definition per option, so that `--home`, `--format` or a search filter
reads and helps the same way in every command that has it. The commands that
search (`search`, `export`, `watch add`, `trace`) turn their filters into a
`SearchRequest` through `search_request`, the one place that maps option
names to request fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from statements.index.models import SearchRequest

HOME_HELP = "Data folder (default: $STATEMENTS_HOME, else the per-user data folder)."
WAIT_HELP = "Seconds to wait for another process that is writing to the index."


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


class ListFormat(StrEnum):
    table = "table"
    json = "json"


class Sort(StrEnum):
    relevance = "relevance"
    newest = "newest"
    oldest = "oldest"


class FacetName(StrEnum):
    speaker = "speaker"
    said_by = "said-by"
    year = "year"
    month = "month"
    source = "source"
    type = "type"
    lang = "lang"


# ---- the data home ----------------------------------------------------------------------


def home() -> Any:
    return typer.Option(None, "--home", help=HOME_HELP, show_default=False)


def watch_name() -> Any:
    """The NAME argument of the watch commands that act on a saved watch."""
    return typer.Argument(..., metavar="NAME", help="The watch (see `statements watch list`).")


def wait() -> Any:
    return typer.Option(10.0, "--wait", min=0, help=WAIT_HELP)


def fmt(default: StrEnum, help: str) -> Any:
    """`--format`/`-f` with the command's own choices (the enum of `default`)."""
    return typer.Option(default, "--format", "-f", help=help)


TABLE_FORMATS = ("table", "json")


def _table_format(value: str) -> str:
    if value not in TABLE_FORMATS:
        raise typer.BadParameter(f"use one of: {', '.join(TABLE_FORMATS)}")
    return value


def table_format() -> Any:
    """`--format table|json` of the listing commands (`sources`, `update`, `watch list`)."""
    return typer.Option("table", "--format", "-f", callback=_table_format, help="table or json.")


# ---- search filters ---------------------------------------------------------------------


def speaker(help: str = "Only documents by this speaker (repeatable; aliases work).") -> Any:
    return typer.Option([], "--speaker", metavar="NAME", help=help)


def said_by() -> Any:
    return typer.Option(
        [],
        "--said-by",
        metavar="NAME",
        help="Only where this person said the words (speaker turns).",
    )


def since() -> Any:
    return typer.Option(
        None, "--since", metavar="DATE", help="From this date: YYYY, YYYY-MM or YYYY-MM-DD."
    )


def until() -> Any:
    return typer.Option(
        None, "--until", metavar="DATE", help="Up to this date: YYYY, YYYY-MM or YYYY-MM-DD."
    )


def source() -> Any:
    return typer.Option(
        [],
        "--source",
        metavar="SOURCE",
        help="Only from this publisher: its name, a short form or its web site "
        "(kremlin, state.gov; repeatable).",
    )


def site() -> Any:
    return typer.Option(
        [],
        "--site",
        metavar="DOMAIN",
        help="Only documents whose URL is on this site or its subdomains (repeatable).",
    )


def doc_type() -> Any:
    return typer.Option([], "--type", metavar="TYPE", help="Only this document type (repeatable).")


def lang() -> Any:
    return typer.Option(
        [], "--lang", metavar="LANG", help="Only this language, e.g. en, ru (repeatable)."
    )


def facet(help: str = "Count hits by FACET, as in search (repeatable).") -> Any:
    return typer.Option([], "--facet", metavar="FACET", help=help)


def sort(default: Sort = Sort.relevance) -> Any:
    return typer.Option(default, "--sort", help="relevance, newest or oldest.")


def search_request(
    query: str,
    *,
    speaker: Sequence[str] = (),
    said_by: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
    source: Sequence[str] = (),
    site: Sequence[str] = (),
    doc_type: Sequence[str] = (),
    lang: Sequence[str] = (),
    facet: Sequence[FacetName] = (),
    sort: Sort = Sort.relevance,
    limit: int = 10,
    page: int = 1,
    all_copies: bool = False,
    exact: bool = False,
    all_words: bool = False,
    snippets: bool = True,
) -> SearchRequest:
    """The request the filter options ask for, with its paging and output choices."""
    from statements.index.models import SearchRequest

    return SearchRequest(
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
        limit=limit,
        page=page,
        all_copies=all_copies,
        exact=exact,
        all_words=all_words,
        snippets=snippets,
    )
