"""Issue 10, items 1 and 2: `.jsonl` records get the extractor's speakers, type, date and
language where they lack them, and one statement is one document whatever the input path
(page file, record, URL).

Expectations come from the records themselves (the corpus's `creator` field, read with a
regex here), never from the index.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import PAGES, SHARED, run
from site_server import no_proxies, serve

from statements.index.library import Library
from statements.scraper.jsonl import record_from_jsonl
from statements.scraper.record import canonical_url, make_id

# ../shared beside the repo (CI); a git worktree elsewhere can point STATEMENTS_TEST_SHARED at it
CORPUS = Path(os.environ.get("STATEMENTS_TEST_SHARED") or SHARED) / "corpus"
STATE = CORPUS / "state-gov-press-releases" / "records.jsonl"
RECORD_SETS = [
    STATE,
    CORPUS / "whitehouse-briefing-room" / "records.jsonl",
    CORPUS / "kremlin-ru-records" / "records.jsonl",
    CORPUS / "kremlin-ru-wayback-2000s" / "records.jsonl",
]
STATE_PAGE = PAGES / "state-gov-page-245386.html"
needs_corpus = pytest.mark.skipif(not STATE.exists(), reason="../shared/corpus is not there")


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


# ---- item 1: records get what the extractor finds --------------------------------------

# a state.gov `creator` starts with the author: "Antony J. Blinken, Secretary of State, ...",
# "Acting Assistant Secretary ... Joey Hood, ..."; an office ("Office of the Spokesperson",
# "U.S. Department of State") is no person
_OFFICE = re.compile(r"\b(?:Office|Department)\b")
_SUFFIX = re.compile(r",?\s+(?:Jr|Sr)\.?$")


def creator_surname(creator: str) -> str | None:
    """The author's surname as the feed's `creator` gives it, or None for an office."""
    first = " ".join(_SUFFIX.sub("", creator.split(",")[0]).split())
    if not first or _OFFICE.search(first):
        return None
    return first.split()[-1]


@pytest.fixture(scope="module")
def corpus_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not STATE.exists():
        pytest.skip("../shared/corpus is not there")
    home = tmp_path_factory.mktemp("corpus-records")
    result = run("add", *map(str, RECORD_SETS), "--home", str(home))
    assert result.exit_code in (0, 1), result.stderr
    return home


@needs_corpus
def test_every_state_gov_author_is_a_speaker_of_the_item(corpus_home: Path) -> None:
    items = lines(STATE)
    authored = [(r, s) for r in items if (s := creator_surname(r["creator"] or ""))]
    assert len(authored) > 900  # Blinken 640, Price 226, Porter, Sherman, ...
    missing = []
    with Library(corpus_home) as lib:
        for item, surname in authored:
            record = lib.get(make_id(item["url"]))
            if surname.lower() not in {s.split()[-1].lower() for s in record.speakers}:
                missing.append((item["id"], item["creator"][:50], record.speakers))
    assert missing == []
    # the search finds them: Blinken is the first author of 668 items (640 alone)
    found = json.loads(
        run(
            "search", "--speaker", "blinken", "-fjson", "--all-copies", "--home", str(corpus_home)
        ).stdout
    )
    by_creator = sum(1 for r in items if creator_surname(r["creator"] or "") == "Blinken")
    assert by_creator >= 640 and found["total"] >= by_creator


@needs_corpus
def test_records_get_types_and_keep_what_they_give(corpus_home: Path) -> None:
    with Library(corpus_home) as lib:
        for path in RECORD_SETS:
            # one id per URL: a URL given twice (a yearly statement at one address) is
            # one document, the last record given
            given = list({make_id(r["url"]): r for r in lines(path)}.values())
            records = [lib.get(make_id(r["url"])) for r in given]
            types = Counter(r.type for r in records)
            # the extractor types nearly every record; before, none had one
            assert types[None] <= len(given) // 50, (path.parent.name, types)
            for item, record in zip(given, records, strict=True):
                assert record.text == item["text"]  # a field the record gives is kept
                assert record.language == item["language"]
                if item.get("date"):
                    assert record.date_iso == item["date"][:10]


def test_a_field_the_record_gives_is_kept_and_a_missing_one_filled() -> None:
    page_like = {
        "title": "Secretary Antony J. Blinken at a Press Availability",
        "url": "https://www.state.gov/secretary-blinken-at-a-press-availability/",
        "text": "Antony J. Blinken, Secretary of State\n\nSECRETARY BLINKEN: Good "
        "afternoon, everyone. Thank you for joining us today in Washington.",
        "language": "en",
    }
    filled = record_from_jsonl(page_like)
    assert filled.speakers == ("Antony Blinken",) and filled.type is not None
    assert filled.id == make_id(page_like["url"])
    given = record_from_jsonl({**page_like, "speakers": ["Someone Else"], "type": "speech"})
    assert given.speakers == ("Someone Else",) and given.type == "speech"
    # an exported record is complete: nothing is filled, also where it is empty
    complete = record_from_jsonl({**page_like, "speakers": [], "complete": True})
    assert complete.speakers == () and complete.type is None


# ---- item 2: one statement, one document ----------------------------------------------


def test_canonical_urls_give_one_id() -> None:
    same = [
        "https://www.state.gov/remarks-to-the-press/",
        "http://state.gov/remarks-to-the-press",
        "HTTPS://WWW.STATE.GOV/remarks-to-the-press/#print",
        "https://state.gov:443/remarks-to-the-press/?utm_source=twitter&utm_medium=social",
        "https://www.state.gov/remarks-to-the-press?fbclid=IwAR0abc",
    ]
    assert {canonical_url(u) for u in same} == {"state.gov/remarks-to-the-press"}
    assert len({make_id(u) for u in same}) == 1
    # what identifies a page stays: the path's case, its own query parameters
    assert make_id("https://x.org/A") != make_id("https://x.org/a")
    assert canonical_url("https://x.org/page?b=2&a=1&utm_campaign=x") == "x.org/page?a=1&b=2"


@needs_corpus
def test_the_same_page_as_html_record_and_url_is_one_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_proxies(monkeypatch)
    record = next(r for r in lines(STATE) if r["id"] == "state-245386")
    jsonl = tmp_path / "record.jsonl"
    jsonl.write_text(json.dumps(record) + "\n", encoding="utf-8")
    home = str(tmp_path / "home")
    html = STATE_PAGE.read_bytes()
    with serve() as site:
        url = site.page("/press/remarks-245386?utm_source=feed", html)
        first = run("add", str(jsonl), "--home", home)
        assert first.stderr.splitlines()[-1] == "1 added, 0 updated, 0 unchanged, 0 failed"
        page = run("add", str(STATE_PAGE), "--home", home)  # the page replaces the record
        assert page.stderr.splitlines()[-1] == "0 added, 1 updated, 0 unchanged, 0 failed"
        fetched = run("add", url, "--home", home)
        assert fetched.exit_code == 0, fetched.stderr
        again = run("add", str(jsonl), "--home", home)
    assert again.stderr.splitlines() == [
        "1 record left as indexed: the same statement is indexed from its page (same URL)",
        "0 added, 0 updated, 1 unchanged, 0 failed",
    ]
    listed = json.loads(run("search", "*", "--all-copies", "-fjson", "--home", home).stdout)
    assert listed["total"] == 1
    hit = listed["hits"][0]
    assert hit["id"] == make_id(record["url"])
    found = json.loads(run("search", '"joint press availability"', "-fjson", "--home", home).stdout)
    assert [h["id"] for h in found["hits"]] == [hit["id"]]
    with Library(home) as lib:
        (rid, capture), *rest = list(lib.captures.iter_all())
        assert rest == [] and rid == hit["id"]
        assert capture.data == html  # the richer capture: the page, not the record


def test_a_page_and_its_record_in_one_batch_keep_the_page(tmp_path: Path) -> None:
    page = json.loads(run("extract", str(STATE_PAGE), "--format", "json").stdout)
    record = {k: page[k] for k in ("title", "url", "text", "date")}
    jsonl = tmp_path / "r.jsonl"
    jsonl.write_text(json.dumps(record) + "\n", encoding="utf-8")
    home = str(tmp_path / "h")
    for order in ((str(STATE_PAGE), str(jsonl)), (str(jsonl), str(STATE_PAGE))):
        result = run("add", *order, "--home", home)
        assert result.exit_code == 0, result.stderr
    with Library(home) as lib:
        captures = list(lib.captures.iter_all())
        assert len(captures) == 1 and captures[0][1].data == STATE_PAGE.read_bytes()
        assert lib.stats()["documents"] == 1
