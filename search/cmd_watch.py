"""`statements watch add/list/show/seen/feed/remove`: saved searches and their new matches.

`announce()` is the hook `add` and `update` call when they are done: it checks
every watch and prints "3 new for 'NAME'" on stderr for each that has new
matches. The work is done by `index.watch`; this module parses and prints.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from statements.search import options
from statements.search.app import app, command, open_library
from statements.search.options import FacetName, Format, Sort
from statements.search.terminal import Terminal

if TYPE_CHECKING:
    from statements.index.library import Library
    from statements.index.watch import News, Watch, Watches

watch_app = typer.Typer(
    name="watch",
    help=(
        "Saved searches: after each `add` and `update`, the new matches of every watch are "
        "counted on stderr; `watch show NAME --new` lists them, `watch feed` makes an Atom "
        "feed.\n\n"
        "Example: statements watch add indivisible-security '\"indivisible security\"' "
        "--speaker Lavrov && statements update && statements watch show indivisible-security --new"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(watch_app)


def _say(message: str) -> None:
    Terminal().say(message)


def _open(home: Path | None, wait: float) -> tuple[Library, Watches]:
    from statements.index.watch import Watches

    library = open_library(home, wait)
    return library, Watches(library.home, wait)


def _news_lines(news: list[News]) -> list[str]:
    lines = []
    for n in news:
        if n.fresh:
            more = f" ({n.unseen} unseen in all)" if n.unseen > n.fresh else ""
            lines.append(f"{n.fresh} new for '{n.name}'{more}")
    return lines


def announce(home: Path, wait: float = 10.0) -> None:
    """After `add` / `update`: every watch's new matches, counted on stderr."""
    from statements.index.watch import Watches
    from statements.scraper.errors import StatementsError

    watches = Watches(home, wait)
    if not watches.exists():
        return
    try:
        with open_library(home, wait) as library:
            news = watches.check(library)
    except StatementsError as exc:
        from statements.index.watch import WatchError

        raise WatchError(
            f"the documents were indexed, but the watches could not be checked: {exc}",
            "run `statements watch list` to check them again",
        ) from None
    for line in _news_lines(news):
        _say(line)


@command(
    "add",
    group=watch_app,
    help=(
        "Save a search under NAME. What is indexed now is its baseline: only documents "
        "added later are new for it.\n\n"
        "Example: statements watch add lavrov-security '\"indivisible security\"' "
        "--said-by Lavrov --since 2022"
    ),
)
def watch_add(
    name: str = typer.Argument(
        ..., metavar="NAME", help="A short name: letters, digits, '.', '_', '-'."
    ),
    query: str = typer.Argument(
        ..., metavar="QUERY", help="The search, in the query language of `search`."
    ),
    speaker: list[str] = options.speaker(),
    said_by: list[str] = options.said_by(),
    since: str | None = options.since(),
    until: str | None = options.until(),
    source: list[str] = options.source(),
    doc_type: list[str] = options.doc_type(),
    lang: list[str] = options.lang(),
    home: Path | None = options.home(),
    wait: float = options.wait(),
) -> None:
    from statements.index.watch import Watch

    request = options.search_request(
        query,
        speaker=speaker,
        said_by=said_by,
        since=since,
        until=until,
        source=source,
        doc_type=doc_type,
        lang=lang,
    )
    watch = Watch.from_request(name, request)
    library, watches = _open(home, wait)
    with library:
        news = watches.add(library, watch)
        matches = _count(library, watch)
    for line in _news_lines(news):
        _say(line)
    now = f"{matches} document{'s' if matches != 1 else ''} match it now"
    _say(f"Watching '{name}': {watch.arguments()} ({now}; new ones are reported after each update)")


def _count(library: Library, watch: Watch) -> int:
    from statements.index.errors import NoIndexError

    try:
        return int(library.search(watch.request(limit=1, snippets=False)).total)
    except NoIndexError:
        return 0


@command(
    "list",
    group=watch_app,
    help="List the watches with how many new matches each has.\n\nExample: statements watch list",
)
def watch_list(
    fmt: str = options.table_format(),
    home: Path | None = options.home(),
    wait: float = options.wait(),
) -> None:
    import json

    library, watches = _open(home, wait)
    with library:
        items = watches.listing(library)
    if fmt == "json":
        rows = [
            {
                "name": w.name,
                "query": w.query,
                "filters": w.to_dict()["filters"],
                "new": len(w.new),
                "seen": len(w.seen),
                "created": w.created,
                "checked": w.checked,
                "shown": w.shown,
            }
            for w in items
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not items:
        _say("No watches yet. Add one: statements watch add NAME QUERY [filters]")
        return
    from statements.search.tables import render_watches

    typer.echo(render_watches(items))


@command(
    "remove",
    group=watch_app,
    help="Delete a watch (the documents stay indexed).\n\nExample: statements watch remove NAME",
)
def watch_remove(
    name: str = options.watch_name(),
    home: Path | None = options.home(),
    wait: float = options.wait(),
) -> None:
    from statements.index.home import resolve_home
    from statements.index.watch import Watches

    watch = Watches(resolve_home(home), wait).remove(name)
    _say(f"Removed watch '{watch.name}' ({watch.arguments()})")


@command(
    "show",
    group=watch_app,
    help=(
        "Run a watch's search, like `search` in every format; with --new only the matches "
        "added since it last showed. Shown matches are no longer new.\n\n"
        "Example: statements watch show indivisible-security --new --format json"
    ),
)
def watch_show(
    name: str = options.watch_name(),
    new: bool = typer.Option(False, "--new", help="Only the new matches."),
    facet: list[FacetName] = options.facet(),
    sort: Sort = options.sort(Sort.newest),
    limit: int | None = typer.Option(
        None, "--limit", "-n", min=1, max=10_000, help="Hits per page (default 10; jsonl: all)."
    ),
    page: int = typer.Option(1, "--page", min=1, help="Page number."),
    fmt: Format = options.fmt(Format.table, "table, json, jsonl or csv."),
    home: Path | None = options.home(),
    wait: float = options.wait(),
) -> None:
    from statements.search import output, tables

    export_all = fmt is Format.jsonl and limit is None
    library, watches = _open(home, wait)
    request = watches.get(name).request(
        facets=tuple(f.value for f in facet),
        sort=sort.value,
        limit=1000 if export_all else (limit or 10),
        page=1 if export_all else page,
    )
    with library:
        if export_all:
            for result in watches.pages(library, name, request, new):
                text = output.render_jsonl(result)
                if text:
                    typer.echo(text)
            return
        result = watches.show(library, name, request, new)
    if fmt is Format.table and new and result.total == 0:
        _say(f"Nothing new for '{name}'.")
        return
    text = tables.render(result, fmt.value, colour=Terminal().colour)
    if text:  # jsonl of no hits is no line at all
        typer.echo(text)


@command(
    "seen",
    group=watch_app,
    help="Mark every new match of a watch as seen.\n\nExample: statements watch seen NAME",
)
def watch_seen(
    name: str = options.watch_name(),
    home: Path | None = options.home(),
    wait: float = options.wait(),
) -> None:
    library, watches = _open(home, wait)
    with library:
        count = watches.mark_seen(library, name)
    _say(f"{count} match{'es' if count != 1 else ''} of '{name}' marked seen")


@command(
    "feed",
    group=watch_app,
    help=(
        "Print an Atom feed of a watch's latest matches (the latest found first), for a "
        "feed reader.\n\n"
        "Example: statements watch feed indivisible-security > indivisible-security.xml"
    ),
)
def watch_feed(
    name: str = options.watch_name(),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=10_000, help="Entries in the feed."),
    link_base: str | None = typer.Option(
        None,
        "--link-base",
        metavar="URL",
        help="Link for statements without a URL of their own: URL + the document id.",
    ),
    self_url: str | None = typer.Option(
        None, "--self-url", metavar="URL", help="Where the feed will be published (rel=self)."
    ),
    home: Path | None = options.home(),
) -> None:
    from statements.index.watch import Watches
    from statements.search.feed import render_feed

    with open_library(home) as library:
        watch, latest = Watches(library.home).latest(library, name, limit)
    sys.stdout.buffer.write(render_feed(watch, latest, link_base=link_base, self_url=self_url))
    sys.stdout.flush()
