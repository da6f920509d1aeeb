"""Shared helpers for the index and search tests: the real record set in tests/data."""

from __future__ import annotations

import json
from pathlib import Path

from scraper.record import Statement

DATA = Path(__file__).parent / "data"
RECORDS = DATA / "records.jsonl"
PAGES = DATA / "pages"


def load_records() -> list[Statement]:
    with open(RECORDS, encoding="utf-8") as fh:
        return [Statement.from_dict(json.loads(line)) for line in fh if line.strip()]
