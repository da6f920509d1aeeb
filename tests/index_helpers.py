"""Shared helpers for the index and search tests: the real record set in tests/data."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import RECORDS

from statements.scraper.record import Statement

DATA = Path(__file__).parent / "data"
PAGES = DATA / "pages"


def load_records() -> list[Statement]:
    with open(RECORDS, encoding="utf-8") as fh:
        return [Statement.from_dict(json.loads(line)) for line in fh if line.strip()]


def added_id(given: str) -> str:
    """The id `statements add` gives the record of records.jsonl whose own id is `given`:
    its URL's, as a page at that URL gets (one id per statement)."""
    from statements.scraper.record import make_id

    by_id = {r.id: r for r in load_records()}
    url = by_id[given].url
    return make_id(url) if url else given


def added_count() -> int:
    """How many documents `statements add records.jsonl` gives: one per URL (two records
    of the White House share one URL, the later one kept)."""
    return len({added_id(r.id) for r in load_records()})


def records_home(path: Path) -> Path:
    """A data home at `path` holding every record of tests/data/records.jsonl, added
    through the library (the real index, built once per test module)."""
    from statements.index.library import Library

    with Library(path) as lib:
        lib.add((r, None) for r in load_records())
    return path
