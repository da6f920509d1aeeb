"""`statements watch`: saved searches over real records, with `update` from a local server.

A site on 127.0.0.1 serves real corpus records (tests/data/records.jsonl, see its
SOURCES.md) as JSON pages listed in an RSS feed; the feed grows between runs of
`statements update`. Which records match a watch is computed here with a regex
over the records, never with the engine.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest
from conftest import run
from index_helpers import load_records
from site_server import Site, no_proxies, serve

from statements.index.library import Library
from statements.index.lock import WriteLock
from statements.index.watch import WATCHES_FILE
from statements.scraper.errors import ExtractError
from statements.scraper.extract import extract_bytes
from statements.scraper.record import Statement, make_id
from statements.search.feed import document_urn

FAST = ["--delay", "0", "--timeout", "2", "--retries", "0"]
HUMAN_RIGHTS = re.compile(r"\bhuman\W+rights\b", re.IGNORECASE)  # exact words


def _servable(record: Statement) -> bool:
    """State.gov and White House records, no republished copies, and none that the
    extractor rejects (one White House post is only an image)."""
    if record.id.startswith("copy-") or record.source not in (
        "U.S. Department of State",
        "The White House",
    ):
        return False
    try:
        extract_bytes(record.to_json().encode("utf-8"), content_type="application/json")
    except ExtractError:
        return False
    return True


# with the id `add` gives a record: its URL's (one id per statement)
RECORDS = [r.with_(id=make_id(r.url)) if r.url else r for r in load_records() if _servable(r)]


@pytest.fixture(autouse=True)
def _local_only(monkeypatch: pytest.MonkeyPatch) -> None:
    no_proxies(monkeypatch)


@pytest.fixture
def site():
    with serve() as s:
        s.page("/robots.txt", b"User-agent: *\n", content_type="text/plain")
        yield s


def path(n: int) -> str:
    return f"/records/{n}.json"


def publish(site: Site, upto: int) -> None:
    """Serve records 0..upto-1, all listed in the feed."""
    for n in range(upto):
        record = RECORDS[n].to_dict()
        record.pop("id")  # the page's id comes from its URL, as for any fetched page
        record["url"] = None
        site.page(path(n), json.dumps(record), content_type="application/json", etag=True)
    items = "".join(
        f"<item><title>r{n}</title><link>{site.url(path(n))}</link></item>" for n in range(upto)
    )
    site.page(
        "/feed.xml",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>records</title>'
        f"<link>{site.base}</link>{items}</channel></rss>",
        content_type="application/rss+xml",
    )


def doc_id(site: Site, n: int) -> str:
    return make_id(site.url(path(n)))


def matching(site: Site, numbers: range) -> set[str]:
    """Ids of the served records whose title or text holds the phrase (by regex)."""
    return {
        doc_id(site, n)
        for n in numbers
        if HUMAN_RIGHTS.search(RECORDS[n].title) or HUMAN_RIGHTS.search(RECORDS[n].text)
    }


def cli(home: Path, *args: str) -> tuple[int, str, str]:
    result = run(*args, "--home", str(home))
    return result.exit_code, result.stdout, result.stderr


def update(home: Path) -> str:
    code, _out, err = cli(home, "update", *FAST, "--quiet")
    assert code == 0, err
    return err


def new_ids(home: Path, name: str) -> set[str]:
    code, out, err = cli(home, "watch", "show", name, "--new", "--format", "json", "-n", "1000")
    assert code == 0, err
    return {h["id"] for h in json.loads(out)["hits"]}


def test_watch_shows_exactly_the_matches_added_since_it_last_showed(
    site: Site, tmp_path: Path
) -> None:
    publish(site, 20)
    assert cli(tmp_path, "sources", "add", site.url("/feed.xml"), "--name", "recs")[0] == 0
    update(tmp_path)
    code, _, err = cli(tmp_path, "watch", "add", "rights", '"human rights"')
    assert code == 0, err
    baseline = len(matching(site, range(20)))
    assert f"Watching 'rights': '\"human rights\"' ({baseline} documents match it now" in err
    assert new_ids(tmp_path, "rights") == set()  # the baseline is not new

    publish(site, 45)
    fresh = matching(site, range(20, 45))
    assert len(fresh) >= 3  # the check has something to check
    err = update(tmp_path)
    assert f"{len(fresh)} new for 'rights'" in err.splitlines()
    assert new_ids(tmp_path, "rights") == fresh
    assert new_ids(tmp_path, "rights") == set()  # shown: no longer new

    err = update(tmp_path)  # nothing new on the site
    assert "new for" not in err
    assert new_ids(tmp_path, "rights") == set()

    publish(site, len(RECORDS))
    later = matching(site, range(45, len(RECORDS)))
    err = update(tmp_path)
    assert (f"{len(later)} new for 'rights'" in err.splitlines()) == bool(later)
    assert new_ids(tmp_path, "rights") == later


def test_filters_and_every_output_format(site: Site, tmp_path: Path) -> None:
    publish(site, 10)
    cli(tmp_path, "sources", "add", site.url("/feed.xml"), "--name", "recs")
    update(tmp_path)
    assert cli(tmp_path, "watch", "add", "blinken", "rights", "--speaker", "Blinken")[0] == 0
    assert cli(tmp_path, "watch", "add", "all", "*")[0] == 0
    publish(site, 40)
    err = update(tmp_path)
    by_blinken = {
        doc_id(site, n)
        for n in range(10, 40)
        if "Antony Blinken" in RECORDS[n].speakers
        and re.search(r"\bright", RECORDS[n].title + " " + RECORDS[n].text, re.I)
    }
    assert by_blinken and f"{len(by_blinken)} new for 'blinken'" in err
    assert "30 new for 'all'" in err

    code, listing, _ = cli(tmp_path, "watch", "list", "--format", "json")
    counts = {w["name"]: w["new"] for w in json.loads(listing)}
    assert counts == {"blinken": len(by_blinken), "all": 30}

    code, csv_out, _ = cli(tmp_path, "watch", "show", "all", "--new", "--format", "csv", "-n", "5")
    assert code == 0 and csv_out.splitlines()[0].startswith("id,score,date")
    assert len(csv_out.splitlines()) == 6
    code, table, _ = cli(tmp_path, "watch", "show", "all", "--new", "-n", "5")
    assert table.startswith("25 documents match; showing 1-5")  # the 5 in CSV were shown
    code, jsonl, _ = cli(tmp_path, "watch", "show", "all", "--new", "--format", "jsonl")
    assert len(jsonl.splitlines()) == 20  # jsonl without --limit: every new match
    assert cli(tmp_path, "watch", "show", "all", "--new")[2].strip() == "Nothing new for 'all'."

    code, out, _ = cli(tmp_path, "watch", "show", "blinken", "--format", "json", "-n", "100")
    hits = json.loads(out)["hits"]
    assert hits and all("Antony Blinken" in h["speakers"] for h in hits)
    assert new_ids(tmp_path, "blinken") == set()  # shown by the plain `show` above


def test_seen_and_a_match_is_new_once(site: Site, tmp_path: Path) -> None:
    publish(site, 5)
    cli(tmp_path, "sources", "add", site.url("/feed.xml"), "--name", "recs")
    update(tmp_path)
    cli(tmp_path, "watch", "add", "all", "*")
    publish(site, 12)
    assert "7 new for 'all'" in update(tmp_path)
    code, _, err = cli(tmp_path, "watch", "seen", "all")
    assert code == 0 and "7 matches of 'all' marked seen" in err
    assert new_ids(tmp_path, "all") == set()
    # removed and added again: the same match is not new a second time
    gone = doc_id(site, 7)
    assert cli(tmp_path, "remove", gone)[0] == 0
    assert cli(tmp_path, "watch", "list")[0] == 0  # a check: the document has left the index
    with Library(tmp_path) as lib:  # back, without the `add` command's report
        lib.add([(RECORDS[7].with_(id=gone), None)])
    code, listing, _ = cli(tmp_path, "watch", "list", "--format", "json")
    assert json.loads(listing)[0]["new"] == 0
    assert new_ids(tmp_path, "all") == set()
    # a document added without the command's report is still found by the next check
    with Library(tmp_path) as lib:
        lib.add([(RECORDS[20], None)])
    assert new_ids(tmp_path, "all") == {RECORDS[20].id}


def test_add_reports_new_matches_of_every_watch(tmp_path: Path) -> None:
    records = tmp_path / "a.jsonl"
    more = tmp_path / "b.jsonl"
    records.write_text("".join(r.to_json() + "\n" for r in RECORDS[:10]), encoding="utf-8")
    more.write_text("".join(r.to_json() + "\n" for r in RECORDS[10:40]), encoding="utf-8")
    home = tmp_path / "home"
    cli(home, "add", str(records))
    cli(home, "watch", "add", "rights", '"human rights"')
    cli(home, "watch", "add", "nothing", "zzyzx")
    code, _, err = cli(home, "add", str(more))
    want = {r.id for r in RECORDS[10:40] if HUMAN_RIGHTS.search(r.title + "\n" + r.text)}
    assert code == 0 and f"{len(want)} new for 'rights'" in err.splitlines()
    assert "new for 'nothing'" not in err
    assert new_ids(home, "rights") == want


def test_feed_is_valid_atom_with_the_latest_matches(site: Site, tmp_path: Path) -> None:
    publish(site, 30)
    cli(tmp_path, "sources", "add", site.url("/feed.xml"), "--name", "recs")
    update(tmp_path)
    cli(tmp_path, "watch", "add", "rights", '"human rights"')
    code, out, err = cli(tmp_path, "watch", "feed", "rights", "--limit", "50")
    assert code == 0, err
    feed = feedparser.parse(out.encode("utf-8"))
    assert not feed.bozo, feed.get("bozo_exception")
    want = matching(site, range(30))
    assert len(feed.entries) == len(want) > 2
    assert {e.id for e in feed.entries} == {document_urn(i) for i in want}
    for entry in feed.entries:
        assert entry.id and entry.title and entry.link and entry.updated
        assert entry.updated_parsed is not None
        assert entry.link.startswith(site.base)
    updated = [e.updated for e in feed.entries]
    assert updated == sorted(updated, reverse=True)  # the baseline: newest statement first
    assert feed.feed.title == "statements: rights"

    publish(site, 60)  # new finds come first, however old the statements are
    fresh = matching(site, range(30, 60))
    assert fresh
    update(tmp_path)
    out = cli(tmp_path, "watch", "feed", "rights", "--limit", "50")[1]
    feed = feedparser.parse(out.encode("utf-8"))
    assert not feed.bozo
    head = feed.entries[: len(fresh)]
    assert {e.id for e in head} == {document_urn(i) for i in fresh}
    assert len(feed.entries) == len(want | fresh)
    assert new_ids(tmp_path, "rights") == fresh  # the feed marked nothing seen


def test_feed_survives_hostile_titles_and_records_without_url(tmp_path: Path) -> None:
    record = RECORDS[0].with_(
        id="hostile", url=None, title="Rights \x1b[31mred\x1b[0m \x01\x0b end", date=None
    )
    with Library(tmp_path) as lib:
        lib.add([(record, None)])
    cli(tmp_path, "watch", "add", "all", "*")
    code, out, _ = cli(tmp_path, "watch", "feed", "all", "--link-base", "https://x.example/d/")
    feed = feedparser.parse(out.encode("utf-8"))
    assert code == 0 and not feed.bozo
    (entry,) = feed.entries
    assert entry.link == "https://x.example/d/hostile"
    assert "\x1b" not in entry.title and "\x01" not in entry.title
    assert entry.updated  # undated statement: the watch's creation time


def test_watch_file_is_written_under_the_lock(tmp_path: Path) -> None:
    records = tmp_path / "a.jsonl"
    records.write_text(RECORDS[0].to_json() + "\n", encoding="utf-8")
    home = tmp_path / "home"
    cli(home, "add", str(records))
    with WriteLock(home, wait=0):  # another writer holds the home
        code, _, err = cli(home, "watch", "add", "w", "rights", "--wait", "0")
    assert code == 1 and "is writing to the index" in err
    assert not (home / WATCHES_FILE).exists()
    assert cli(home, "watch", "add", "w", "rights")[0] == 0
    data = json.loads((home / WATCHES_FILE).read_text(encoding="utf-8"))
    assert [w["name"] for w in data["watches"]] == ["w"]
    assert sorted(data["known"]) == [RECORDS[0].id]
    assert [p.name for p in home.iterdir() if p.name.startswith(WATCHES_FILE)] == [WATCHES_FILE]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["watch", "show", "nope"], 2, "no watch named 'nope'"),
        (["watch", "add", "w", "x"], 2, "a watch named 'w' exists already"),
        (["watch", "add", "bad name", "x"], 2, "bad watch name"),
        (["watch", "add", "v", "x", "--since", "2021-13"], 2, "is not a date"),
        (["watch", "remove", "nope"], 2, "no watch named 'nope'"),
        (["watch", "feed", "nope"], 2, "no watch named 'nope'"),
    ],
)
def test_bad_input_is_one_line(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    records = tmp_path / "a.jsonl"
    records.write_text(RECORDS[0].to_json() + "\n", encoding="utf-8")
    home = tmp_path / "home"
    cli(home, "add", str(records))
    assert cli(home, "watch", "add", "w", "rights")[0] == 0
    got, _, err = cli(home, *args)
    assert got == code and err.startswith("Error: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_damaged_watch_file_is_reported_not_replaced(tmp_path: Path) -> None:
    records = tmp_path / "a.jsonl"
    records.write_text(RECORDS[0].to_json() + "\n", encoding="utf-8")
    home = tmp_path / "home"
    cli(home, "add", str(records))
    (home / WATCHES_FILE).write_text("{not json", encoding="utf-8")
    code, _, err = cli(home, "watch", "list")
    assert code == 1 and "is damaged" in err and len(err.strip().splitlines()) == 1
    code, _, err = cli(home, "add", str(records))  # the add itself works, then says why not
    assert code == 1 and "the documents were indexed, but the watches" in err
    assert (home / WATCHES_FILE).read_text(encoding="utf-8") == "{not json"


def test_installed_command_watch_and_trace(tmp_path: Path) -> None:
    """The real `statements` processes, not CliRunner: the report after `add` is on
    stderr, stdout stays data, and a watch with --said-by counts only that person's."""
    import os
    import subprocess

    exe = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "statements"
    if not exe.exists():
        pytest.skip("the project is not installed in .venv")
    env = {**os.environ, "STATEMENTS_HOME": str(tmp_path / "home"), "NO_COLOR": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(exe), *args], env=env, capture_output=True, text=True, timeout=120
        )

    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text("".join(r.to_json() + "\n" for r in RECORDS[:20]), encoding="utf-8")
    second.write_text("".join(r.to_json() + "\n" for r in RECORDS[20:]), encoding="utf-8")
    assert run("add", str(first)).returncode == 0
    assert run("watch", "add", "blinken", '"human rights"', "--said-by", "Blinken").returncode == 0
    added = run("add", str(second))
    own = {
        r.id
        for r in RECORDS[20:]
        if any(HUMAN_RIGHTS.search(t.text) for t in r.turns if t.speaker == "Antony Blinken")
        or (not r.turns and r.speakers == ("Antony Blinken",) and HUMAN_RIGHTS.search(r.text))
    }
    assert own and added.returncode == 0 and added.stdout == ""
    assert f"{len(own)} new for 'blinken'" in added.stderr.splitlines()
    shown = run("watch", "show", "blinken", "--new", "--format", "jsonl")
    assert shown.returncode == 0 and shown.stderr == ""
    assert {json.loads(line)["id"] for line in shown.stdout.splitlines()} == own
    traced = run("trace", "human rights", "--said-by", "--speaker", "Blinken", "--format", "json")
    assert traced.returncode == 0 and traced.stderr == ""
    assert [p["name"] for p in json.loads(traced.stdout)["people"]] == ["Antony Blinken"]
