"""`statements add / remove / reindex`: the commands that write the index.

Reading the inputs is the library's (`index.ingest`); these commands parse
options, draw the progress bar and print the summary line.
"""

from __future__ import annotations

from pathlib import Path

import typer

from statements.search import options
from statements.search.app import ExitStatus, command, open_library
from statements.search.terminal import Terminal


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
    home: Path | None = options.home(),
    wait: float = options.wait(),
    split_turns: bool = typer.Option(
        False,
        "--split-turns",
        help="Split speaker turns out of the text of .jsonl records that have none.",
    ),
) -> None:
    from statements.index.ingest import Inputs, count_inputs

    term = Terminal()
    # the bar's length: counted only on a terminal, where someone watches it
    total = count_inputs(inputs) if term.progress else None
    seen = 0

    def read() -> None:
        nonlocal seen
        seen += 1
        if seen % 10 == 0 or seen == total:
            term.show("reading", seen, total)

    def indexing(done: int, total: int | None) -> None:
        if total is not None:  # the reading is done, the index is being written
            term.show("indexing", done, total)

    reader = Inputs(inputs, split_turns=split_turns, on_fail=term.error, on_read=read)
    library = open_library(home, wait)
    summary = library.add(reader, progress=indexing if term.progress else None)
    library.close()
    term.clear()
    for what, message in summary.errors:
        term.say(f"Error: {what}: {message}")
    failed = summary.failed + len(reader.failed)
    if summary.kept_pages:
        term.say(
            f"{summary.kept_pages} record{'s' if summary.kept_pages != 1 else ''} left as "
            "indexed: the same statement is indexed from its page (same URL)"
        )
    term.say(
        f"{summary.added} added, {summary.updated} updated, {summary.unchanged} unchanged, "
        f"{failed} failed"
    )
    from statements.search.cmd_watch import announce

    announce(library.home, wait)  # "3 new for 'NAME'" for the saved searches
    if failed:
        raise typer.Exit(ExitStatus.ERROR)


@command(
    "remove",
    help=(
        "Delete one document (and its stored capture) from the index.\n\n"
        "Example: statements remove ub8c1766f8857ab23"
    ),
)
def remove_cmd(
    doc_id: str = typer.Argument(..., metavar="ID", help="The id of the document to delete."),
    home: Path | None = options.home(),
    wait: float = options.wait(),
) -> None:
    library = open_library(home, wait)
    library.remove(doc_id)
    library.close()
    Terminal().say(f"removed {doc_id}")


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
    home: Path | None = options.home(),
    wait: float = options.wait(),
) -> None:
    library = open_library(home, wait)
    term = Terminal()

    def show(done: int, total: int | None) -> None:
        if total is not None:
            term.show("indexing", done, total)
        elif done % 50 == 0:  # the number of captures is not known before reading them
            term.show("re-extracting", done, None)

    summary = library.reindex(progress=show if term.progress else None)
    library.close()
    term.clear()
    for what, message in summary.errors:
        term.say(f"Error: {what}: {message} (kept the previous record)")
    term.say(f"reindexed {summary.added} documents, {summary.failed} failed")
    if summary.failed:
        raise typer.Exit(ExitStatus.ERROR)
