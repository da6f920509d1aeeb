"""Issue 10: answers a user can trust. Highlighting on a terminal, queries that start
with `-`, zero rows for empty periods, `sources list` after a 304.

Every expectation is computed from the records (regex, Counter), never from the engine.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
from conftest import run
from index_helpers import RECORDS, load_records
from site_server import Site, no_proxies, serve
from test_search_cli import ROOT, _on_a_terminal

from statements.scraper.jsonl import record_from_jsonl

INSTALLED = (ROOT / ".venv" / "bin" / "statements").exists()
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@lru_cache(maxsize=1)
def indexed() -> list:
    """The records as `add` reads them (`record_from_jsonl`: the URL's id, missing fields
    from the extractor): one per URL, the last one given."""
    lines = RECORDS.read_text(encoding="utf-8").splitlines()
    records = [record_from_jsonl(json.loads(line)) for line in lines if line.strip()]
    return list({r.id: r for r in records}.values())


# ---- item 5: highlighting keeps the spaces -----------------------------------------


@pytest.mark.skipif(not INSTALLED, reason="the project is not installed in .venv")
def test_highlighted_snippet_keeps_its_spaces_on_a_terminal(home: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["STATEMENTS_HOME"] = home
    shown = _on_a_terminal(["search", "nuclear weapon", "--limit", "3"], env)
    marked = [line.strip() for line in shown.splitlines() if "\x1b[1;33m" in line]
    assert len(marked) == 3  # one highlighted snippet per hit
    # colour taken away, each snippet is a passage of a record's text, spaces and all
    texts = [" ".join((r.title + " " + r.text).split()) for r in load_records()]
    for line in marked:
        plain = ANSI.sub("", line).strip("… ")
        assert any(plain in text for text in texts), plain
        assert re.search(r"\w\x1b\[1;33m|\x1b\[0m\w", line) is None  # no word glued on
    # and it is what a pipe gets
    piped = run("search", "nuclear weapon", "--limit", "3", "--home", home).stdout
    assert [ANSI.sub("", line) for line in marked] == [
        line.strip() for line in piped.splitlines() if line.startswith("    … ")
    ]


def test_highlighting_never_glues_words() -> None:
    from statements.search.tables import highlighted

    text = "an Iran with a nuclear weapon or with the capability"
    spans = [(m.start(), m.end()) for m in re.finditer(r"nuclear|weapon", text)]
    out = highlighted(text, spans, colour=True)
    assert ANSI.sub("", out) == text
    assert "a \x1b[1;33mnuclear\x1b[0m \x1b[1;33mweapon\x1b[0m or" in out


# ---- item 9: a query that starts with `-` ------------------------------------------


def _holds(word: str) -> set[str]:
    pattern = re.compile(rf"\b{word}", re.I)
    return {r.id for r in indexed() if pattern.search(r.title + "\n" + r.text)}


def test_a_query_starting_with_a_dash_is_a_query(home: str) -> None:
    every = {r.id for r in indexed()}
    result = run("search", "-nuclear", "--all-copies", "-fjson", "-n", "500", "--home", home)
    without = json.loads(result.stdout)
    plain = json.loads(run("search", "nuclear", "--all-copies", "-fjson", "--home", home).stdout)
    assert plain["total"] == len(_holds("nuclear")), (plain["total"], result.stderr)
    assert without["total"] == len(every - _holds("nuclear")) < len(every), result.stderr
    # options before and after, short options with their values attached
    again = run("search", "--home", home, "-n5", "-nuclear", "--all-copies", "--format", "json")
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["total"] == without["total"]
    assert len(json.loads(again.stdout)["hits"]) == 5
    # words given without quotes are one query; a mistyped long option is still an error
    split = json.loads(run("search", "nuclear", "-weapons", "-fjson", "--home", home).stdout)
    joined = json.loads(run("search", "nuclear -weapons", "-fjson", "--home", home).stdout)
    assert split["total"] == joined["total"]
    bad = run("search", "nuclear", "--bogus", "--home", home)
    assert bad.exit_code == 2 and "No such option: --bogus" in bad.stderr


def test_an_option_never_takes_another_option_as_its_value(home: str) -> None:
    """`search --home --format json --home H` (found by the fuzzer, query "--home"):
    Click took `--format` as the folder, the second --home won, and a table came out
    where JSON was asked for. It is a usage error naming both."""
    for args in (
        ("--home", "--format", "json", "--home", home),
        ("nuclear", "--speaker", "-n", "5", "--home", home),
        ("nuclear", "--since", "--until=2020", "--home", home),
    ):
        result = run("search", *args)
        lines = result.stderr.splitlines()
        assert result.exit_code == 2 and len(lines) == 1, (args, result.stderr)
        assert "needs a value, got the option" in lines[0] and result.stdout == "", args
    # a value that merely starts with a dash is still a value
    dashed = run("search", "nuclear", "--speaker", "-Lavrov", "-fjson", "--home", home)
    assert dashed.exit_code == 0, dashed.stderr


# ---- item 9: empty periods are zero rows -------------------------------------------


def test_year_and_month_charts_show_empty_periods_as_zero_rows(home: str) -> None:
    result = run("search", "*", "--all-copies", "--facet", "year", "--facet", "month",
                 "--home", home)  # fmt: skip
    assert result.exit_code == 0
    years = Counter(r.date.year for r in indexed() if r.date)
    charts = result.stdout.split("\nyear\n", 1)[1]
    year_chart, month_chart = charts.split("\nmonth\n", 1)
    rows = [line.split()[:2] for line in year_chart.strip().splitlines()]
    undated = sum(1 for r in indexed() if not r.date)
    if undated:
        assert rows.pop() == ["undated", str(undated)]
    assert [y for y, _ in rows] == [str(y) for y in range(min(years), max(years) + 1)]
    for year, count in rows:
        assert int(count) == years.get(int(year), 0)
    assert any(int(c) == 0 for _, c in rows)  # the data has gaps, and they show
    months = Counter(r.date_iso[:7] for r in indexed() if r.date and r.date_precision != "year")
    shown = {
        line.split()[0]: int(line.split()[1])
        for line in month_chart.strip().splitlines()
        if len(line.split()[0]) == 7 and line.split()[0] != "undated"
    }
    first, last = min(months), max(months)
    expected = []
    y, m = int(first[:4]), int(first[5:])
    while f"{y:04d}-{m:02d}" <= last:
        expected.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    assert sorted(shown) == expected
    assert all(shown[k] == months.get(k, 0) for k in expected)


# ---- item 9: `sources list` shows the last check, 304 included ---------------------


@pytest.fixture
def site() -> Site:
    with serve() as s:
        s.page("/robots.txt", b"User-agent: *\n", content_type="text/plain")
        yield s


def test_sources_list_shows_the_last_check_whatever_its_answer(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_proxies(monkeypatch)
    feed = site.page(
        "/feed.xml",
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>',
        content_type="application/rss+xml",
        etag=True,
    )
    home = str(tmp_path)
    fast = ["--delay", "0", "--timeout", "0.5", "--retries", "0", "--home", home]
    assert run("sources", "add", feed, "--name", "feed", "--home", home).exit_code == 0

    def listed() -> dict:
        return json.loads(run("sources", "list", "--format", "json", "--home", home).stdout)[0]

    run("update", *fast)
    first = listed()
    assert first["checked"] and first["answer"] == "read"
    run("update", *fast)
    assert site.hits("/feed.xml", 304) == 1
    second = listed()
    assert second["answer"] == "not modified" and second["checked"] >= first["checked"]
    table = run("sources", "list", "--home", home).stdout
    assert "UTC (not modified)" in table
    site.routes.pop("/feed.xml")  # the feed is gone: a 404 is a check too
    assert run("update", *fast).exit_code == 1
    third = listed()
    assert third["answer"] == "failed" and "404" in third["error"]
    assert "UTC (failed: " in run("sources", "list", "--home", home).stdout


# ---- item 7: filters take the names users know -------------------------------------


def _total(home: str, *args: str) -> int:
    result = run("search", *args, "--all-copies", "-fjson", "--home", home)
    assert result.exit_code == 0, result.stderr
    return int(json.loads(result.stdout)["total"])


def _host(url: str | None) -> str:
    return re.sub(r"^www\.", "", (url or "").split("/")[2]) if url else ""


@pytest.mark.parametrize(
    ("typed", "source"),
    [
        ("kremlin", "President of Russia"),
        ("kremlin.ru", "President of Russia"),
        ("source:kremlin", "President of Russia"),
        ("state.gov", "U.S. Department of State"),
        ("https://www.state.gov/", "U.S. Department of State"),
        ("whitehouse", "The White House"),
        ("source:whitehouse", "The White House"),
        ("White House", "The White House"),
        ("President of Russia", "President of Russia"),
    ],
)
def test_source_takes_a_name_a_short_form_or_a_domain(home: str, typed: str, source: str) -> None:
    expected = sum(1 for r in indexed() if r.source == source)
    assert expected > 0
    if typed.startswith("source:"):
        assert _total(home, typed) == expected
    else:
        assert _total(home, "--source", typed) == expected


def test_site_filters_on_the_url_host(home: str) -> None:
    hosts = Counter(_host(r.url) for r in indexed())
    assert _total(home, "--site", "state.gov") == hosts["state.gov"]
    assert _total(home, "--site", "whitehouse.gov") == hosts["whitehouse.gov"]
    # a domain takes its subdomains: archives.gov holds bidenwhitehouse.archives.gov
    assert _total(home, "--site", "archives.gov") == hosts["bidenwhitehouse.archives.gov"] > 0
    # the republished copies are on globalsecurity.org, their source is the State Department
    copies = hosts["globalsecurity.org"]
    assert copies and _total(home, "--site", "globalsecurity.org") == copies
    assert _total(home, "--site", "globalsecurity.org", "--source", "state.gov") == copies


@pytest.mark.parametrize(
    ("args", "note"),
    [
        (
            ["--speaker", "Blinkin"],
            "Note: no speaker 'Blinkin' in the index; did you mean --speaker 'Antony Blinken'",
        ),
        (["--type", "press releases"], "did you mean --type 'press release'?"),
        (["--source", "kremlinn"], "did you mean --source 'kremlin.ru'?"),
        (["--site", "state.gv"], "did you mean --site 'state.gov'?"),
        (["--lang", "englsh"], "did you mean --lang 'en'?"),
    ],
)
def test_an_unknown_value_gets_did_you_mean_from_the_index(
    home: str, args: list[str], note: str
) -> None:
    result = run("search", *args, "--home", home)
    assert result.exit_code == 0
    assert result.stdout.startswith("No documents match.")
    (line,) = result.stderr.splitlines()
    assert line.startswith("Note: no ") and note in line
    assert line.endswith(f"(every value: statements search --list-values {args[0][2:]})")


def test_language_names_are_languages(home: str) -> None:
    english = sum(1 for r in indexed() if r.language == "en")
    assert _total(home, "--lang", "english") == _total(home, "--lang", "EN") == english
    assert _total(home, "--lang", "русский") == sum(1 for r in indexed() if r.language == "ru")


def test_list_values_shows_what_the_filters_take(home: str) -> None:
    for fieldname, key in (("source", "source"), ("type", "type"), ("lang", "language")):
        result = run("search", "--list-values", fieldname, "-fjson", "--home", home)
        assert result.exit_code == 0, result.stderr
        shown = {row["value"]: row["documents"] for row in json.loads(result.stdout)}
        expected = Counter(getattr(r, key) for r in indexed() if getattr(r, key))
        assert shown == dict(expected), fieldname
    sources = json.loads(run("search", "--list-values", "source", "-fjson", "--home", home).stdout)
    kremlin = next(row for row in sources if row["value"] == "President of Russia")
    assert kremlin["also"] == ["kremlin.ru"]
    table = run("search", "--list-values", "site", "--home", home).stdout.splitlines()
    assert table[0].split() == ["site", "documents"]
    assert dict(line.split() for line in table[2:]) == {
        h: str(n) for h, n in Counter(_host(r.url) for r in indexed()).items()
    }
    bad = run("search", "--list-values", "colour", "--home", home)
    assert bad.exit_code == 2 and "colour" in bad.stderr
