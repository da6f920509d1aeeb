"""The scale benchmark's helpers (bench/): the peer answers the same questions right,
the re-cut sets stream and nest, the queries are drawn the same way every time, and
the memory of a child's whole process tree is seen. No time is asserted here: speed
lives in `make bench`."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import sys
from collections import Counter
from pathlib import Path

from bench import dataset, queries
from bench.fts5 import Fts5
from bench.procs import run_measured
from statements.scraper.record import Statement, Turn

SPEAKERS = ("Anna Field", "Boris Lake", "Chen Hill")
WORDS = ("harbour", "wheat", "treaty", "glacier", "orchard")


def _records(n: int = 60) -> list[Statement]:
    """Small records whose words, speakers, dates and turns vary with the index."""
    out = []
    for i in range(n):
        words = [w for k, w in enumerate(WORDS) if i % (k + 2) == 0] or ["plain"]
        who = SPEAKERS[i % 3]
        out.append(
            Statement(
                id=f"doc-{i}",
                title=f"Statement {i}",
                text=f"On {' '.join(words)} today.\n\nA second paragraph {i}.",
                date=None if i % 7 == 0 else dt.date(2010 + i % 5, 1 + i % 12, 1 + i % 28),
                speakers=(who,) if i % 2 else (who, SPEAKERS[(i + 1) % 3]),
                turns=()
                if i % 5 == 0  # a statement without turns: its words are its speaker's
                else (
                    Turn(label="Q:", text="A question about wheat?", role="question"),
                    Turn(
                        label=f"{who}:", text=f"We spoke of {words[0]}, {words[-1]}.", speaker=who
                    ),
                ),
            )
        )
    return out


def _fts(tmp_path: Path, records: list[Statement]) -> Fts5:
    fts = Fts5(tmp_path / "fts.db")
    assert fts.build(iter(records), commit_every=7) == len(records)
    return fts


def _with(records: list[Statement], word: str) -> list[Statement]:
    return [r for r in records if word in r.title.split() + r.text.replace(".", " ").split()]


def test_fts5_facets_equal_counts_over_the_records(tmp_path: Path) -> None:
    records = _records()
    fts = _fts(tmp_path, records)
    for word in WORDS:
        hits = _with(records, word)
        total, speakers, years = fts.faceted(f'"{word}"')
        assert total == len(hits)
        assert speakers == Counter(s for r in hits for s in r.speakers)
        assert years == Counter(r.date.year if r.date else "undated" for r in hits)


def test_fts5_newest_first_and_said_by(tmp_path: Path) -> None:
    records = _records()
    fts = _fts(tmp_path, records)
    by_id = {r.id: r for r in records}
    total, ids = fts.newest('"harbour"')
    assert total == len(_with(records, "harbour"))
    dates = [by_id[i].date for i in ids]
    assert all(d is not None for d in dates)
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]

    for who in SPEAKERS:
        own = {
            r.id for r in records if any(t.speaker == who and "harbour" in t.text for t in r.turns)
        }
        total, ids = fts.said_by('"harbour"', who, limit=100)
        assert total == len(own)
        assert set(ids) == own
    # the question's words are nobody's: "wheat" is said by a speaker only in their turn
    total, _ = fts.said_by('"question"', SPEAKERS[0])
    assert total == 0


def test_scaled_streams_a_nested_set_of_distinct_documents() -> None:
    base = _records(40)
    stream = dataset.scaled(base, 500)
    assert inspect.isgenerator(stream)
    big = list(stream)
    assert len({r.id for r in big}) == 500
    assert len({r.text for r in big}) == 500
    assert list(dataset.scaled(base, 130)) == big[:130]  # sizes are prefixes of each other
    assert [r.speakers for r in big[40:80]] == [r.speakers for r in base]


def test_write_batches_splits_counts_and_reuses(tmp_path: Path) -> None:
    base = _records(40)
    folder = tmp_path / "data"
    data = dataset.write_batches(base, 250, 100, folder)
    assert data.files == ["batch-0001.jsonl", "batch-0002.jsonl", "batch-0003.jsonl"]
    lines = [p.read_text().splitlines() for p in data.paths(folder)]
    assert [len(x) for x in lines] == [100, 100, 50]
    assert all(json.loads(x[0])["complete"] is True for x in lines)  # taken as given by add
    back = list(dataset.read_jsonl(data.paths(folder)))
    assert back == list(dataset.scaled(base, 250))
    assert data.text_bytes == sum(len(r.text.encode()) for r in back)
    stamp = (folder / "batch-0001.jsonl").stat().st_mtime_ns
    assert dataset.write_batches(base, 250, 100, folder) == data
    assert (folder / "batch-0001.jsonl").stat().st_mtime_ns == stamp  # not written again
    assert dataset.write_batches(base, 250, 0, folder).files == ["batch-0001.jsonl"]


def test_corpus_is_found_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(dataset.ENV_CORPUS, str(tmp_path))
    assert dataset.corpus_dir() == tmp_path


def test_queries_are_drawn_from_the_corpus_the_same_way_each_time() -> None:
    records = _records(300)
    a, b = queries.draw(records, n=4, seed=3), queries.draw(records, n=4, seed=3)
    assert a == b
    assert a.words and a.pairs and a.said_by
    for w in a.words:  # in between 1% and 20% of the records
        assert 3 <= sum(w in queries._words(f"{r.title}\n{r.text}") for r in records) <= 60
    for p in a.pairs:
        assert any(p in r.text.lower() for r in records)
    assert {s for s, _ in a.said_by} <= set(SPEAKERS)


def test_memory_of_the_whole_process_tree_is_seen() -> None:
    """A child whose own worker holds 80 MB: the tree's peak includes the worker."""
    worker = "b = bytearray(80 * 2**20); import time; time.sleep(1.5)"
    child = (
        f"import subprocess, sys; subprocess.run([sys.executable, '-c', {worker!r}], check=True)"
    )
    usage = run_measured([sys.executable, "-c", child], interval=0.05)
    assert usage.returncode == 0
    assert usage.maxrss_mb >= 80  # the worker, waited for by the child
    assert usage.peak_rss_mb >= 80  # sampled over the process group
    assert usage.processes >= 2
    assert usage.cpu_s > 0
