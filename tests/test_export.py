"""Issue 10, item 8: `statements export` writes whole records, every match, streaming;
an export added to an empty home gives an equal index. Counts are checked against the
records (Counter, regex), never against the engine."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from conftest import run
from index_helpers import PAGES, RECORDS

import statements.index.library
from statements.index.library import Library
from statements.scraper.jsonl import record_from_jsonl


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("export-home"))
    result = run("add", str(RECORDS), str(PAGES), "--home", path)
    assert result.exit_code == 0, result.stderr
    return path


def records_of(home: str) -> dict[str, dict]:
    with Library(home) as lib:
        ids = [h["id"] for h in everything(home)]
        return {rid: lib.get(rid).to_dict() for rid in ids}


def everything(home: str) -> list[dict]:
    out = run("search", "*", "--all-copies", "-fjsonl", "--home", home).stdout
    return [json.loads(line) for line in out.splitlines()]


def test_an_export_added_to_an_empty_home_gives_an_equal_index(
    home: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(statements.index.library, "EXPORT_PAGE", 7)  # many pages: it streams
    exported = run("export", "--home", home)
    assert exported.exit_code == 0, exported.stderr
    path = tmp_path / "export.jsonl"
    path.write_text(exported.stdout, encoding="utf-8")
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    before = records_of(home)
    assert len(lines) == len({r["id"] for r in lines}) == len(before)
    again = tmp_path / "again"
    added = run("add", str(path), "--home", str(again))
    assert added.stderr.splitlines()[-1] == f"{len(before)} added, 0 updated, 0 unchanged, 0 failed"
    assert records_of(str(again)) == before
    for args in (
        ("security", "--facet", "speaker", "--facet", "year", "--facet", "type"),
        ("*", "--facet", "source", "--facet", "lang", "--sort", "oldest", "-n", "50"),
        ('"United States"', "--said-by", "Blinken", "--facet", "said-by"),
    ):
        one = json.loads(run("search", *args, "-fjson", "--home", home).stdout)
        two = json.loads(run("search", *args, "-fjson", "--home", str(again)).stdout)
        assert one == two, args


def test_export_writes_whole_records_with_their_copies(home: str) -> None:
    lines = [json.loads(line) for line in run("export", "--home", home).stdout.splitlines()]
    given = {}
    for line in RECORDS.read_text(encoding="utf-8").splitlines():
        record = record_from_jsonl(json.loads(line))
        given[record.id] = record
    by_id = {r["id"]: r for r in lines}
    for rid, record in given.items():
        out = by_id[rid]
        assert out["text"] == record.text and out["language"] == record.language
        assert out["type"] == record.type and out["location"] == record.location
        assert out["turns"] == [t.to_dict() for t in record.turns]
        assert out["complete"] is True
    # the two republished copies list the original, and the originals list them
    copies = [r for r in lines if r["republished_by"] == "GlobalSecurity.org"]
    assert len(copies) == 2
    for copy in copies:
        (original,) = copy["copies"]
        assert copy["id"] in [c["id"] for c in by_id[original["id"]]["copies"]]


def test_export_takes_the_query_and_filters_and_says_what_it_cannot_carry(home: str) -> None:
    given = list(records_of(home).values())  # pages and records, as stored
    word = re.compile(r"\bkremlin\b", re.I)
    ru = [r for r in given if r["source"] == "President of Russia"]
    out = run("export", "--source", "kremlin", "--facet", "year", "--home", home)
    assert out.exit_code == 0
    assert len(out.stdout.splitlines()) == len(ru)
    assert out.stderr == (
        "Note: --facet is not written in jsonl (it has no place for counts); "
        "use --format json to get the facets with the records\n"
    )
    data = json.loads(run("export", "--source", "kremlin", "--facet", "year", "-fjson",
                          "--home", home).stdout)  # fmt: skip
    assert data["total"] == len(data["records"]) == len(ru)
    assert sum(row["count"] for row in data["facets"]["year"]) == len(ru)
    # a word query: every document holding it (title or text, any case), none other
    hold = {r["id"] for r in given if word.search(r["title"] + " " + r["text"])}
    found = run("export", "kremlin", "--lang", "en", "--home", home).stdout.splitlines()
    assert {json.loads(line)["id"] for line in found} == {
        r["id"] for r in given if r["id"] in hold and r["language"] == "en"
    }
    limited = run("export", "-n", "3", "--home", home).stdout.splitlines()
    assert len(limited) == 3


def test_csv_export_and_search_csv_carry_every_match(home: str) -> None:
    rows = list(csv.DictReader(io.StringIO(run("export", "-fcsv", "--home", home).stdout)))
    every = records_of(home)
    assert len(rows) == len(every)
    for row in rows:
        record = every[row["id"]]
        assert row["text"] == record["text"] and json.loads(row["turns"]) == record["turns"]
    hits = run("search", "*", "--all-copies", "-fcsv", "--home", home).stdout
    assert len(list(csv.DictReader(io.StringIO(hits)))) == len(every)  # not 10
    note = run("search", "*", "-fcsv", "--facet", "year", "--home", home).stderr
    assert note.startswith("Note: --facet is not written in csv")
