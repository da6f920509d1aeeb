"""The benchmark's document sets, built from the real records in ../shared/corpus.

The corpus holds about 2,600 real statements. The larger set (20,000+) is
made from them by re-cutting real text, not by inventing words: copy k of a
record keeps its title, speakers, source, year and turns, rotates its paragraphs by
k and borrows one paragraph from another record, so that every document is
distinct (no two share a copy fingerprint) while term statistics stay those of
real statements.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

from scraper.record import Statement

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

JSONL_SETS = (
    "state-gov-press-releases/records.jsonl",
    "whitehouse-briefing-room/records.jsonl",
    "kremlin-ru-records/records.jsonl",
    "kremlin-ru-wayback-2000s/records.jsonl",
)


def base_records() -> list[Statement]:
    """Every JSONL record of the corpus, through the real extractor (JSON feed items)."""
    from scraper.errors import ExtractError
    from scraper.extract import extract_bytes

    if not SHARED.is_dir():
        raise SystemExit(f"bench needs the shared corpus at {SHARED}")
    out: list[Statement] = []
    skipped = 0
    for rel in JSONL_SETS:
        with open(SHARED / rel, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                try:
                    out.append(extract_bytes(line.encode("utf-8"), name="record.json"))
                except ExtractError:
                    skipped += 1  # e.g. a feed item with no body: reported, not benchmarked
    unique = {r.id: r for r in out}  # a few feed items share a URL, hence an id
    out = list(unique.values())
    if skipped:
        print(
            f"bench: {skipped} corpus records gave no statement and were skipped", file=sys.stderr
        )
    return out


def scaled(records: list[Statement], n: int, seed: int = 7) -> Iterator[Statement]:
    """`n` documents: the real records first, then re-cut copies of them."""
    rng = random.Random(seed)
    paras = [r.text.split("\n\n") for r in records]
    for i in range(n):
        k, j = divmod(i, len(records))
        rec = records[j]
        if k == 0:
            yield rec
            continue
        own = paras[j]
        rot = k % max(1, len(own))
        other = paras[rng.randrange(len(paras))]
        borrowed = other[rng.randrange(len(other))] if other else ""
        text = "\n\n".join(own[rot:] + own[:rot] + [borrowed])
        # turns are kept so that said-by search is measured at full size too
        yield rec.with_(id=f"{rec.id}~{k}", url=None, text=text)


def write_jsonl(records: list[Statement], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
