"""`statements add / search / show / stats / remove / reindex` over the local index."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from statements.search.app import ExitStatus, command
from statements.search.query_args import QueryCommand

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


class Sort(StrEnum):
    relevance = "relevance"
    newest = "newest"
    oldest = "oldest"


class ValueField(StrEnum):
    speaker = "speaker"
    source = "source"
    site = "site"
    type = "type"
    lang = "lang"


class FacetName(StrEnum):
    speaker = "speaker"
    said_by = "said-by"
    year = "year"
    month = "month"
    source = "source"
    type = "type"
    lang = "lang"


def _home_option() -> Any:
    return typer.Option(None, "--home", help=HOME_HELP, show_default=False)


def _library(home: Path | None, wait: float = 10.0) -> Any:
    from statements.index.library import Library

    return Library(home, wait=wait)


def _say(message: str) -> None:
    """A message on stderr; file names and page text in it lose their escape sequences."""
    from statements.search.output import safe

    typer.echo(safe(message, keep_newlines=False), err=True)


# ---- add -------------------------------------------------------------------------


def _looks_like_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


class _Inputs:
    """Turns the command's arguments into (record, capture) pairs, reporting bad inputs.

    Each failure is printed as one `Error: <input>: <why>` line and counted;
    the batch carries on.
    """

    def __init__(self, args: list[str], progress: bool, split_turns: bool = False) -> None:
        self.args = args
        self.split_turns = split_turns
        self.failed: list[tuple[str, str]] = []
        self.progress = progress
        self.seen = 0
        # the bar's length: counted only on a terminal, where someone watches it
        self.total = _count_inputs(args) if progress else None

    def fail(self, what: str, message: str) -> None:
        self.failed.append((what, message))
        if self.progress:
            sys.stderr.write("\r\x1b[K")
        msg = message if message.startswith(what) else f"{what}: {message}"
        _say(f"Error: {msg}")

    def tick(self) -> None:
        from statements.search.output import progress_bar

        self.seen += 1
        if self.progress and (self.seen % 10 == 0 or self.seen == self.total):
            sys.stderr.write("\r\x1b[K" + progress_bar("reading", self.seen, self.total))
            sys.stderr.flush()

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        from statements.scraper.errors import StatementsError

        for arg in self.args:
            try:
                if _looks_like_url(arg):
                    yield self._url(arg)
                    self.tick()
                    continue
                path = Path(arg)
                if not path.exists():
                    self.fail(
                        arg, "no such file or folder (give a page file, folder, .jsonl or URL)"
                    )
                elif path.is_dir():
                    yield from self._folder(path)
                elif path.suffix.lower() == ".jsonl":
                    yield from self._jsonl(path)
                else:
                    yield self._file(path)
                    self.tick()
            except StatementsError as exc:
                self.fail(arg, str(exc))
            except Exception as exc:  # one input's failure must not cost the batch
                self.fail(arg, _unexpected(exc))

    def _url(self, url: str) -> tuple[Any, Any]:
        from statements.index.store import Capture
        from statements.scraper.extract import extract_bytes
        from statements.scraper.fetch import fetch

        response = fetch(url)
        final = response.url or url
        capture = Capture(response.content, final, response.content_type, url)
        record = extract_bytes(
            response.content, url=final, content_type=response.content_type, name=url
        )
        return record, capture

    def _file(self, path: Path) -> tuple[Any, Any]:
        from statements.index.store import Capture
        from statements.scraper.extract import extract_file

        record = extract_file(path)
        return record, Capture(path.read_bytes(), None, None, str(path))

    def _folder(self, folder: Path) -> Iterator[tuple[Any, Any]]:
        from statements.scraper.errors import StatementsError
        from statements.scraper.extract import iter_pages

        for page in iter_pages(folder):
            try:
                if page.suffix.lower() == ".jsonl":
                    yield from self._jsonl(page)
                    continue
                yield self._file(page)
                self.tick()
            except StatementsError as exc:
                self.fail(str(page), str(exc))
            except Exception as exc:  # one page's failure must not cost the folder
                self.fail(str(page), _unexpected(exc))
        for records in _jsonl_files(folder):
            yield from self._jsonl(records)

    def _jsonl(self, path: Path) -> Iterator[tuple[Any, None]]:
        from statements.scraper.errors import StatementsError
        from statements.scraper.ingest import record_from_jsonl

        try:
            handle = path.open(encoding="utf-8", errors="replace")
        except OSError as exc:
            self.fail(str(path), f"cannot read ({exc.strerror})")
            return
        with handle:
            for lineno, line in enumerate(_capped_lines(handle), 1):
                where = f"{path}:{lineno}"
                if line is None:
                    self.fail(where, _too_long())
                    continue
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                    record = record_from_jsonl(data, name=where)
                except ValueError as exc:
                    self.fail(where, f"not a JSON record ({exc})")
                    continue
                except StatementsError as exc:
                    self.fail(where, str(exc))
                    continue
                yield (_with_turns(record) if self.split_turns else record), None
                self.tick()


def _capped_lines(handle: Any) -> Iterator[str | None]:
    """The lines of a .jsonl file; None for a line longer than the page size cap (16 MB),
    which is skipped without ever being held whole (a 100 MB record took 1.8 GB)."""
    from statements.scraper.encoding import MAX_BYTES

    while True:
        line = handle.readline(MAX_BYTES + 1)
        if not line:
            return
        if len(line) <= MAX_BYTES or line.endswith("\n"):
            yield line
            continue
        while line and not line.endswith("\n"):  # the rest of the long line, read past
            line = handle.readline(1 << 20)
        yield None


def _too_long() -> str:
    from statements.scraper.encoding import MAX_BYTES

    return (
        f"the record is longer than {MAX_BYTES // (1024 * 1024)} MB, the size cap of one "
        "statement; skipped (split the text, or give the page itself)"
    )


def _jsonl_files(folder: Path) -> list[Path]:
    """The .jsonl record files under `folder`, sorted, hidden paths skipped (as pages are)."""
    return [
        p
        for p in sorted(folder.rglob("*.jsonl"))
        if not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]


def _count_inputs(args: list[str]) -> int:
    """How many pages and records `args` hold: a URL or file is one, a .jsonl file
    one per non-empty line, a folder its pages plus the lines of its .jsonl files."""
    from statements.scraper.extract import iter_pages

    def lines(path: Path) -> int:
        try:
            with path.open("rb") as fh:
                return sum(1 for line in fh if line.strip())
        except OSError:
            return 0

    total = 0
    for arg in args:
        path = Path(arg)
        if _looks_like_url(arg) or not path.exists():
            total += 1
        elif path.is_dir():
            total += sum(1 for _ in iter_pages(path))
            total += sum(lines(p) for p in _jsonl_files(path))
        elif path.suffix.lower() == ".jsonl":
            total += lines(path)
        else:
            total += 1
    return total


def _unexpected(exc: Exception) -> str:
    """The one-line report of an input that failed in an unforeseen way.

    A file that cannot be read is the user's to fix; anything else is a bug in
    the extractor, reported for this input while the rest of the batch goes on.
    """
    if isinstance(exc, OSError):
        return f"cannot read ({exc.strerror or exc}); check the file's permissions"
    return (
        f"could not be processed ({type(exc).__name__}: {exc}); "
        "the rest was indexed, please report this page as a bug"
    )


def _with_turns(record: Any) -> Any:
    """A JSONL record without turns gets them split from its text (`add --split-turns`).

    Pages get theirs from the extractor; record sets exported by other tools
    (the corpus's JSONL files) carry the transcript only as text, and without
    turns `--said-by` could not see who said what in them. Off by default: a
    JSONL record is otherwise indexed exactly as given.
    """
    if record.turns or not record.text:
        return record
    try:
        from statements.scraper.turns import split_turns
    except ImportError:
        return record
    turns = split_turns(record.text, title=record.title, language=record.language, date=record.date)
    return record.with_(turns=turns) if turns else record


@command(
    "add",
    help=(
        "Index pages, folders of pages, .jsonl record files or URLs.\n\n"
        "Incremental: unchanged documents are skipped, changed ones replaced. "
        "Bad inputs are reported and the rest is indexed (exit 1 if any failed).\n\n"
        "Example: statements add pages/ records.jsonl https://www.state.gov/some-statement/"
    ),
)
def add_cmd(
    inputs: list[str] = typer.Argument(
        ..., metavar="PATH_OR_URL...", help="Files, folders, .jsonl or URLs."
    ),
    home: Path | None = _home_option(),
    wait: float = typer.Option(10.0, "--wait", min=0, help=WAIT_HELP),
    split_turns: bool = typer.Option(
        False,
        "--split-turns",
        help="Split speaker turns out of the text of .jsonl records that have none.",
    ),
) -> None:
    from statements.search.output import progress_bar

    progress = sys.stderr.isatty()
    reader = _Inputs(inputs, progress, split_turns)
    library = _library(home, wait)

    def show(done: int, total: int | None) -> None:
        if total is not None:  # the reading is done, the index is being written
            sys.stderr.write("\r\x1b[K" + progress_bar("indexing", done, total))
            sys.stderr.flush()

    summary = library.add(reader, progress=show if progress else None)
    library.close()
    if progress:
        sys.stderr.write("\r\x1b[K")
    for what, message in summary.errors:
        _say(f"Error: {what}: {message}")
    failed = summary.failed + len(reader.failed)
    if summary.kept_pages:
        _say(
            f"{summary.kept_pages} record{'s' if summary.kept_pages != 1 else ''} left as "
            "indexed: the same statement is indexed from its page (same URL)"
        )
    _say(
        f"{summary.added} added, {summary.updated} updated, {summary.unchanged} unchanged, "
        f"{failed} failed"
    )
    from statements.search.cmd_watch import announce

    announce(library.home, wait)  # "3 new for 'NAME'" for the saved searches
    if failed:
        raise typer.Exit(ExitStatus.ERROR)


# ---- search ----------------------------------------------------------------------


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
    speaker: list[str] = typer.Option(
        [],
        "--speaker",
        metavar="NAME",
        help="Only documents by this speaker (repeatable; aliases work).",
    ),
    said_by: list[str] = typer.Option(
        [],
        "--said-by",
        metavar="NAME",
        help="Only where this person said the words (speaker turns).",
    ),
    since: str | None = typer.Option(
        None, "--since", metavar="DATE", help="From this date: YYYY, YYYY-MM or YYYY-MM-DD."
    ),
    until: str | None = typer.Option(
        None, "--until", metavar="DATE", help="Up to this date: YYYY, YYYY-MM or YYYY-MM-DD."
    ),
    source: list[str] = typer.Option(
        [],
        "--source",
        metavar="SOURCE",
        help="Only from this publisher: its name, a short form or its web site "
        "(kremlin, state.gov; repeatable).",
    ),
    site: list[str] = typer.Option(
        [],
        "--site",
        metavar="DOMAIN",
        help="Only documents whose URL is on this site or its subdomains (repeatable).",
    ),
    doc_type: list[str] = typer.Option(
        [], "--type", metavar="TYPE", help="Only this document type (repeatable)."
    ),
    lang: list[str] = typer.Option(
        [], "--lang", metavar="LANG", help="Only this language, e.g. en, ru (repeatable)."
    ),
    facet: list[FacetName] = typer.Option(
        [],
        "--facet",
        metavar="FACET",
        help="Count hits by speaker, said-by, year, month, source, type or lang (repeatable).",
    ),
    sort: Sort = typer.Option(Sort.relevance, "--sort", help="relevance, newest or oldest."),
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
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, json, jsonl or csv."),
    list_values: ValueField | None = typer.Option(
        None,
        "--list-values",
        metavar="FIELD",
        help="List the values of speaker, source, site, type or lang in the index "
        "(what the filters take), with counts; no search.",
    ),
    home: Path | None = _home_option(),
) -> None:
    from statements.index.models import SearchRequest
    from statements.search import output

    if list_values is not None:
        _list_values(home, list_values.value, fmt)
        return

    # jsonl and csv carry every hit unless --limit says otherwise
    export_all = fmt in (Format.jsonl, Format.csv) and limit is None
    if facet and fmt in (Format.jsonl, Format.csv):
        _say(
            f"Note: --facet is not written in {fmt.value} (one hit a line has no place for "
            "counts); use --format json or table to get the facets"
        )
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
        limit=EXPORT_PAGE if export_all else (limit or 10),
        page=1 if export_all else page,
        all_copies=all_copies,
        exact=exact,
        all_words=all_words,
    )
    library = _library(home)
    if export_all:  # every hit, a page of records at a time (memory stays flat)
        try:
            _export(library, request, fmt)
        finally:
            library.close()
        return
    result = library.search(request)
    library.close()
    if fmt is Format.json:
        typer.echo(output.render_json(result))
    elif fmt is Format.jsonl:
        text = output.render_jsonl(result)
        if text:
            typer.echo(text)
    elif fmt is Format.csv:
        typer.echo(output.render_csv(result))
    else:
        typer.echo(
            output.render_table(result, colour=output.use_colour(sys.stdout), all_copies=all_copies)
        )
    for note in result.notes:
        _say(f"Note: {note}")
    if result.total == 0 and result.suggestion:
        _say(f"Did you mean: {output.safe(result.suggestion, keep_newlines=False)}")


def _list_values(home: Path | None, fieldname: str, fmt: Format) -> None:
    """`search --list-values FIELD`: the values the filters take, most documents first."""
    from statements.search import output

    library = _library(home)
    try:
        values = library.values(fieldname)
    finally:
        library.close()
    if fmt is Format.json:
        typer.echo(json.dumps([v.to_dict() for v in values], ensure_ascii=False, indent=2))
    elif fmt is Format.jsonl:
        for v in values:
            typer.echo(json.dumps(v.to_dict(), ensure_ascii=False))
    else:
        typer.echo(output.render_values(fieldname, values, csv=fmt is Format.csv))


EXPORT_PAGE = 1000


def _export(library: Any, request: Any, fmt: Format = Format.jsonl) -> None:
    """`--format jsonl` or `csv` without --limit: every matching hit, a page at a time
    (one JSON object or CSV row a line, the CSV header once)."""
    from dataclasses import replace

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


# ---- show / stats / remove / reindex ------------------------------------------------


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
    fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f", help="text or json."),
    home: Path | None = _home_option(),
) -> None:
    from statements.search import output

    library = _library(home)
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
        typer.echo("\n" + output.render_copies(copies))


@command(
    "stats",
    help=(
        "Summarise the index: documents, speakers, sources, date span, size.\n\n"
        "Example: statements stats --format json"
    ),
)
def stats_cmd(
    fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f", help="text or json."),
    home: Path | None = _home_option(),
) -> None:
    from statements.search import output

    library = _library(home)
    stats = library.stats()
    library.close()
    if fmt is ShowFormat.json:
        typer.echo(output.dumps(stats, indent=2))
    else:
        typer.echo(output.render_stats(stats))


@command(
    "remove",
    help=(
        "Delete one document (and its stored capture) from the index.\n\n"
        "Example: statements remove ub8c1766f8857ab23"
    ),
)
def remove_cmd(
    doc_id: str = typer.Argument(..., metavar="ID", help="The id of the document to delete."),
    home: Path | None = _home_option(),
    wait: float = typer.Option(10.0, "--wait", min=0, help=WAIT_HELP),
) -> None:
    library = _library(home, wait)
    library.remove(doc_id)
    library.close()
    _say(f"removed {doc_id}")


@command(
    "reindex",
    help=(
        "Rebuild the whole index from the stored captures with the current extractor. "
        "The new index is built beside the old one and replaces it only when complete; "
        "also the repair for a damaged index.\n\n"
        "Example: statements reindex"
    ),
)
def reindex_cmd(
    home: Path | None = _home_option(),
    wait: float = typer.Option(10.0, "--wait", min=0, help=WAIT_HELP),
) -> None:
    library = _library(home, wait)
    progress = sys.stderr.isatty()

    from statements.search.output import progress_bar

    def show(done: int, total: int | None) -> None:
        if total is not None:
            sys.stderr.write("\r\x1b[K" + progress_bar("indexing", done, total))
        elif done % 50 == 0:  # the number of captures is not known before reading them
            sys.stderr.write("\r\x1b[K" + progress_bar("re-extracting", done, None))
        sys.stderr.flush()

    summary = library.reindex(progress=show if progress else None)
    library.close()
    if progress:
        sys.stderr.write("\r\x1b[K")
    for what, message in summary.errors:
        _say(f"Error: {what}: {message} (kept the previous record)")
    _say(f"reindexed {summary.added} documents, {summary.failed} failed")
    if summary.failed:
        raise typer.Exit(ExitStatus.ERROR)
