"""`statements trace`: every figure checked against a regex count over the real records.

The index holds tests/data/records.jsonl (real corpus records, see its SOURCES.md).
Expected counts are computed here from the records with a regular expression
and a Counter, never with the engine: per person, first and last dates, the
chart, the occurrences, and with --said-by only the person's own turns.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from conftest import run
from index_helpers import load_records, records_home

from statements.index.library import Library
from statements.scraper.record import Statement

HUMAN_RIGHTS = re.compile(r"\bhuman\W+rights?\b", re.IGNORECASE)
UNITED_STATES = re.compile(r"\bunited\W+states?\b", re.IGNORECASE)
CLIMATE = re.compile(r"\bclimates?\W+chang(?:e|es|ed|ing)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return records_home(tmp_path_factory.mktemp("trace-home"))


def trace(home: Path, *args: str) -> dict:
    result = run("trace", *args, "--home", str(home), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def originals() -> list[Statement]:
    """The records less republished copies (same words as another record's body),
    as search shows one document per copy group."""
    records = load_records()
    by_words: dict[str, Statement] = {}
    for r in sorted(records, key=lambda r: (bool(r.republished_by), r.id)):
        key = " ".join(re.findall(r"\w+", r.text.lower()))
        by_words.setdefault(key, r)
    return list(by_words.values())


def expected(pattern: re.Pattern[str], said_by: bool = False) -> dict:
    """Occurrences per person, documents, first/last dates, from the records by regex."""
    per: Counter[str] = Counter()
    docs: dict[str, set[str]] = defaultdict(set)
    dates: dict[str, list[str]] = defaultdict(list)
    total = 0
    all_dates = []
    for r in originals():
        if said_by:
            own = [(t.speaker, t.text) for t in r.turns if t.speaker and t.text.strip()]
            if not own and len(r.speakers) == 1:
                own = [(r.speakers[0], r.text)]
            parts = [(text, [who]) for who, text in own]
        else:
            parts = [(r.text, list(r.speakers))]
        for text, people in parts:
            n = len(pattern.findall(text))
            total += n
            if n and r.date:
                all_dates.append(r.date.isoformat())
            for who in people if n else ():
                per[who] += n
                docs[who].add(r.id)
                if r.date:
                    dates[who].append(r.date.isoformat())
    return {
        "total": total,
        "per": dict(per),
        "docs": {k: len(v) for k, v in docs.items()},
        "first": {k: min(v) for k, v in dates.items()},
        "last": {k: max(v) for k, v in dates.items()},
        "dates": sorted(all_dates),
    }


def test_counts_and_dates_equal_a_regex_over_the_records(home: Path) -> None:
    want = expected(HUMAN_RIGHTS)
    assert want["total"] > 30 and len(want["per"]) >= 3  # the check has something to check
    got = trace(home, "human rights")
    assert got["occurrences"] == want["total"]
    people = {p["name"]: p for p in got["people"]}
    assert {k: p["occurrences"] for k, p in people.items()} == want["per"]
    assert {k: p["documents"] for k, p in people.items()} == want["docs"]
    assert {k: p["first"] for k, p in people.items()} == want["first"]
    assert {k: p["last"] for k, p in people.items()} == want["last"]
    assert got["first"]["date"] == want["dates"][0]
    assert got["last"]["date"] == want["dates"][-1]
    # the people table is sorted by count, most first
    counts = [p["occurrences"] for p in got["people"]]
    assert counts == sorted(counts, reverse=True)


def test_said_by_credits_only_the_persons_own_turns(home: Path) -> None:
    want = expected(HUMAN_RIGHTS, said_by=True)
    everyone = expected(HUMAN_RIGHTS)
    got = trace(home, "human rights", "--said-by")
    people = {p["name"]: p["occurrences"] for p in got["people"]}
    assert people == want["per"]
    assert got["occurrences"] == want["total"]
    # Blinken answered questions that named the phrase: the questions are not his
    blinken = "Antony Blinken"
    assert people[blinken] < everyone["per"][blinken]
    # a transcript's turns: the phrase in a reporter's question credits no one
    with Library(home) as lib:
        record = lib.get("state-246602")
    asked = sum(len(HUMAN_RIGHTS.findall(t.text)) for t in record.turns if t.speaker is None)
    assert asked > 0
    listed = trace(home, "human rights", "--said-by", "--occurrences")["contexts"]
    in_doc = [c for c in listed if c["id"] == "state-246602"]
    assert all(c["people"] == [blinken] and c["turn"] is not None for c in in_doc)
    assert len(in_doc) == sum(
        len(HUMAN_RIGHTS.findall(t.text)) for t in record.turns if t.speaker == blinken
    )


def test_said_by_with_speaker_keeps_only_that_persons_words(home: Path) -> None:
    want = expected(HUMAN_RIGHTS, said_by=True)
    got = trace(home, "human rights", "--said-by", "--speaker", "Ned Price")
    assert [p["name"] for p in got["people"]] == ["Ned Price"]
    assert got["occurrences"] == want["per"]["Ned Price"]


def test_documents_agree_with_search(home: Path) -> None:
    got = trace(home, "human rights")
    result = run("search", '"human rights"', "--home", str(home), "--format", "json")
    assert got["documents"] == json.loads(result.stdout)["total"]


def test_chart_shows_every_month_between_first_and_last(home: Path) -> None:
    got = trace(home, "climate change", "--by", "month")
    months = [p["period"] for p in got["periods"]]
    first, last = got["first"]["date"][:7], got["last"]["date"][:7]
    assert months[0] == first and months[-1] == last
    y, m = int(first[:4]), int(first[5:])
    span = []
    while f"{y:04d}-{m:02d}" <= last:
        span.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    assert months == span
    assert any(p["occurrences"] == 0 for p in got["periods"])  # zero periods are shown
    by_month = Counter(d[:7] for d in expected_dates(CLIMATE))
    assert {p["period"]: p["occurrences"] for p in got["periods"]} == {
        p: by_month.get(p, 0) for p in span
    }


def expected_dates(pattern: re.Pattern[str]) -> list[str]:
    """One date per occurrence (dated records only)."""
    return [
        r.date.isoformat()
        for r in originals()
        if r.date
        for _ in range(len(pattern.findall(r.text)))
    ]


def test_table_draws_the_chart_with_zero_years(home: Path) -> None:
    result = run("trace", "united states", "--home", str(home))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    want = expected(UNITED_STATES)
    assert lines[0].startswith(f'"united states": {want["total"]} occurrences in ')
    chart = lines[lines.index("occurrences by year") + 1 :]
    rows = {line.split()[0]: int(line.split()[1]) for line in chart if line[:4].isdigit()}
    years = [int(y) for y in rows]
    assert years == list(range(years[0], years[-1] + 1))
    assert 0 in rows.values()  # a year without the phrase is drawn, empty
    assert rows == {
        str(y): Counter(d[:4] for d in expected_dates(UNITED_STATES)).get(str(y), 0) for y in years
    }


def test_russian_words_are_found_in_all_their_forms(home: Path) -> None:
    pattern = re.compile(r"\bЛавров\w*", re.IGNORECASE)
    got = trace(home, "Лавров", "--occurrences")
    assert got["occurrences"] == sum(len(pattern.findall(r.text)) for r in originals())
    forms = {c["match"].lower() for c in got["contexts"]}
    assert {"лаврову", "лавровым"} <= forms  # inflected forms (see tests/data/SOURCES.md)


def test_occurrences_are_keyword_in_context_lines(home: Path) -> None:
    got = trace(home, "human rights", "--occurrences", "--width", "30")
    contexts = got["contexts"]
    assert len(contexts) == got["occurrences"]
    dates = [c["date"] for c in contexts]
    assert dates == sorted(dates)  # oldest first
    with Library(home) as lib:
        for c in contexts[:10]:
            text = lib.get(c["id"]).text
            assert HUMAN_RIGHTS.fullmatch(c["match"])
            assert HUMAN_RIGHTS.fullmatch(" ".join(text[c["offset"] :].split())[: len(c["match"])])
            assert len(c["left"].lstrip("…").strip()) <= 30 and len(c["right"]) <= 31
    result = run("trace", "human rights", "--occurrences", "--home", str(home))
    kwic = [line for line in result.stdout.splitlines() if "state-246602" in line]
    assert kwic and all(re.search(r"human rights", line, re.I) for line in kwic)


def test_jsonl_and_csv_give_rows(home: Path) -> None:
    people = run("trace", "human rights", "--home", str(home), "--format", "jsonl").stdout
    rows = [json.loads(line) for line in people.splitlines()]
    assert {r["name"]: r["occurrences"] for r in rows} == expected(HUMAN_RIGHTS)["per"]
    out = run(
        *["trace", "human rights", "--home", str(home), "--format", "csv", "--occurrences"],
    ).stdout
    table = list(csv.DictReader(io.StringIO(out)))
    assert len(table) == expected(HUMAN_RIGHTS)["total"]
    assert set(table[0]) >= {"id", "date", "people", "left", "match", "right"}


def test_filters_narrow_the_trace(home: Path) -> None:
    got = trace(home, "human rights", "--since", "2021-05-27")
    want = sum(
        len(HUMAN_RIGHTS.findall(r.text))
        for r in originals()
        if r.date and r.date.isoformat() >= "2021-05-27"
    )
    assert got["occurrences"] == want


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["?!"], 2, "has no searchable words"),
        ([" "], 2, "has no searchable words"),
        (["human rights", "--by", "week"], 2, "--by"),
        (["human rights", "--since", "2021-13"], 2, "is not a date"),
    ],
)
def test_bad_input_is_one_line(home: Path, args: list[str], code: int, message: str) -> None:
    result = run("trace", *args, "--home", str(home))
    assert result.exit_code == code
    assert message in result.stderr and result.stderr.startswith("Error: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_no_occurrences(home: Path, tmp_path: Path) -> None:
    result = run("trace", "zzyzx quux", "--home", str(home))
    assert result.exit_code == 0 and "no occurrences" in result.stdout
    empty = run("trace", "security", "--home", str(tmp_path / "none"))
    assert empty.exit_code == 1 and "does not exist" in empty.stderr


@pytest.mark.parametrize("phrase", ["human rights", "united states", "Лавров"])
@pytest.mark.parametrize("said_by", [False, True])
def test_counts_from_positions_equal_counts_from_the_texts(
    home: Path, phrase: str, said_by: bool
) -> None:
    """Without --occurrences the counts come from the index's positions; with it, from
    scanning the texts. Both must give the same table, chart and first/last use."""
    flags = ["--said-by"] if said_by else []
    counted = trace(home, phrase, *flags)
    scanned = trace(home, phrase, *flags, "--occurrences")
    scanned.pop("contexts")
    assert counted == scanned
