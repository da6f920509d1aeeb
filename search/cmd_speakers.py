"""`statements speakers`: every speaker of the index, its aliases and likely duplicates.

The list a user needs to write a good `aliases.tsv`: each speaker value with
its number of documents (and of documents where a turn of theirs is indexed),
the spellings the alias table already folds into it, and the pairs of values
that look like one person, each with the alias row that would merge them.
When the alias files changed since the index was built, a note on stderr says
that `statements reindex` applies them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from statements.search import options
from statements.search.app import command, open_library
from statements.search.options import ListFormat

REINDEX_NOTE = (
    "Note: the alias files changed since this index was built; "
    "run `statements reindex` to fold the stored speaker names with them."
)


@command(
    "speakers",
    help=(
        "List every speaker with document counts, the aliases that fold into each name, "
        "and likely duplicates (same surname, same words, a near spelling) with the "
        "aliases.tsv row that would merge them.\n\n"
        "Example: statements speakers --duplicates"
    ),
)
def speakers_cmd(
    name: str = typer.Argument(
        "", metavar="[NAME]", help="Only speakers whose name holds this text (any case)."
    ),
    duplicates: bool = typer.Option(
        False, "--duplicates", "-d", help="Only the likely duplicates."
    ),
    fmt: ListFormat = options.fmt(ListFormat.table, "table or json."),
    home: Path | None = options.home(),
) -> None:
    from statements.index.models import SearchRequest
    from statements.index.names import likely_duplicates, speaker_entries

    library = open_library(home)
    try:
        result = library.search(
            SearchRequest(query="", facets=("speaker", "said-by"), limit=1, snippets=False)
        )
        changed = library.aliases_changed()
    finally:
        library.close()
    entries = speaker_entries(result.facets["speaker"], dict(result.facets.get("said-by", [])))
    pairs = likely_duplicates(entries)
    if name:
        needle = name.casefold()
        entries = [e for e in entries if needle in e.name.casefold()]
        pairs = [p for p in pairs if needle in p.keep.casefold() or needle in p.merge.casefold()]
    if changed:
        typer.echo(REINDEX_NOTE, err=True)
    if fmt is ListFormat.json:
        data: dict[str, Any] = {
            "speakers": [] if duplicates else [e.to_dict() for e in entries],
            "duplicates": [p.to_dict() for p in pairs],
            "reindex_needed": changed,
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from statements.search.tables import render_speakers

    typer.echo(render_speakers(entries, pairs, duplicates))
