"""`statements sources ...` and `statements update`: follow publishers' feeds and listings.

`sources add/list/remove` edit the registry in the data home; `update` reads
every source (or the named ones), fetches only what is new or changed and
indexes it. Progress and per-URL failures go to stderr, the summary table (or
`--format json`) to stdout; the exit status is 1 when anything failed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from statements.search import options
from statements.search.app import ExitStatus, app, command
from statements.search.output import dumps
from statements.search.terminal import Terminal

sources_app = typer.Typer(
    name="sources",
    help=(
        "Follow publishers: RSS/Atom feeds, sitemaps and listing pages.\n\n"
        "Example: statements sources add https://www.state.gov/rss-feed/press-releases/feed/ "
        "--name state && statements update"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(sources_app)

NO_SOURCES = "No sources yet. Add one: statements sources add URL [--name NAME]"


def _home(flag: Path | None) -> Path:
    from statements.index.home import resolve_home

    return resolve_home(flag)


def _err(message: str) -> None:
    Terminal().say(message, one_line=False)


@command("add", group=sources_app)
def sources_add(
    url: str = typer.Argument(
        ..., help="Address of an RSS/Atom feed, a sitemap or a listing page."
    ),
    name: str | None = typer.Option(None, "--name", help="Short name (default: the host)."),
    home: Path | None = options.home(),
) -> None:
    """Follow a feed, sitemap or listing page (fetched by `statements update`)."""
    from statements.index.sources import SourceRegistry

    source = SourceRegistry(_home(home)).add(url, name)
    _err(f"Following '{source.name}': {source.url}")
    _err(f"Run `statements update {source.name}` to fetch it.")


@command("list", group=sources_app)
def sources_list(
    fmt: str = options.table_format(),
    home: Path | None = options.home(),
) -> None:
    """List the sources you follow, with what the last update saw."""
    from statements.index.sources import FetchState, SourceRegistry

    home_dir = _home(home)
    sources = SourceRegistry(home_dir).all()
    state = FetchState(home_dir)
    rows: list[dict[str, str | int | None]] = []
    for s in sources:
        feed = state.feeds.get(s.url)
        page = state.page(s.url)
        rows.append(
            {
                **s.to_dict(),
                "links": len(feed.links) if feed else None,
                "checked": page.checked if page else None,
                "answer": page.answer if page else None,
                "error": page.error if page else None,
            }
        )
    if fmt == "json":
        typer.echo(dumps(rows, indent=2))
        return
    if not rows:
        _err(NO_SOURCES)
        return
    from statements.search.tables import render_sources

    typer.echo(render_sources(rows))


@command("remove", group=sources_app)
def sources_remove(
    name: str = typer.Argument(..., help="Name of the source (see `statements sources list`)."),
    home: Path | None = options.home(),
) -> None:
    """Stop following a source (statements already indexed stay in the index)."""
    from statements.index.sources import SourceRegistry

    source = SourceRegistry(_home(home)).remove(name)
    _err(f"Stopped following '{source.name}' ({source.url}); its statements stay indexed.")


@command("update")
def update_cmd(
    names: list[str] | None = typer.Argument(None, help="Sources to update (default: all)."),
    fmt: str = options.table_format(),
    home: Path | None = options.home(),
    delay: float = typer.Option(
        1.0,
        "--delay",
        min=0.0,
        help="Seconds between requests to one host (robots.txt may ask more).",
    ),
    timeout: float = typer.Option(30.0, "--timeout", min=0.1, help="Read timeout in seconds."),
    retries: int = typer.Option(3, "--retries", min=0, help="Retries on 429/5xx/network errors."),
    max_size: float = typer.Option(
        20.0, "--max-size", min=0.01, help="Largest page to download, in MB (decompressed)."
    ),
    max_links: int = typer.Option(
        1000,
        "--max-links",
        min=1,
        help="Most pages to request per source and run; the rest waits for the next run.",
    ),
    max_time: float | None = typer.Option(
        None,
        "--max-time",
        min=1.0,
        help="Longest the whole run may take, in seconds; what is not reached waits.",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress lines on stderr."),
) -> None:
    """Fetch what is new or changed in the sources you follow and index it.

    Example: statements update state --format json
    """
    from statements.index.update import update
    from statements.scraper.network.fetch import Fetcher

    progress = None if quiet else _err
    with Fetcher(
        delay=delay,
        read_timeout=timeout,
        connect_timeout=min(timeout, 10.0),
        retries=retries,
        max_bytes=int(max_size * 1024 * 1024),
    ) as fetcher:
        report = update(
            _home(home),
            names or None,
            fetcher=fetcher,
            progress=progress,
            max_links=max_links,
            max_time=max_time,
        )
    for s in report.sources:
        if s.error:
            _err(f"Error: {s.name}: {s.error}")
        for url, message in s.errors:
            where = "" if not url or url in message else f"{url}: "
            _err(f"Error: {s.name}: {where}{message}")
    if fmt == "json":
        typer.echo(dumps(report.to_dict(), indent=2))
    elif report.sources:
        from statements.search.tables import render_update

        typer.echo(render_update(report))
    else:
        _err(NO_SOURCES)
    sys.stdout.flush()
    from statements.search.cmd_watch import announce

    announce(_home(home))  # "3 new for 'NAME'" for the saved searches
    if not report.ok:
        raise typer.Exit(ExitStatus.ERROR)
