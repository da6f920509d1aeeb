"""The index on real records (tests/data, from ../shared/corpus): counts, filters, updates."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from index_helpers import load_records

from statements.index.analysis import WORD, stem_en, stem_ru
from statements.index.errors import IndexDamagedError, NotFoundError
from statements.index.library import Library
from statements.index.lock import LockedError, WriteLock
from statements.index.models import SearchRequest
from statements.index.names import canonical
from statements.index.store import CaptureStore
from statements.scraper.errors import UsageError
from statements.scraper.record import Statement

RECORDS = load_records()
BY_ID = {r.id: r for r in RECORDS}


def hidden_copies(records: list[Statement]) -> set[str]:
    """Ids shown only as another location: same words of the body as a preferred record
    (the original publisher's, then the earliest, then the smallest id)."""
    groups: dict[str, list[Statement]] = {}
    for r in records:
        body = " ".join(w.lower() for w in re.findall(r"\w+", r.text))
        if len(body.split()) >= 20:
            groups.setdefault(body, []).append(r)
    hidden = set()
    for members in groups.values():
        members.sort(key=lambda r: (bool(r.republished_by), r.date or dt.date.max, r.id))
        hidden |= {r.id for r in members[1:]}
    return hidden


COPIES = hidden_copies(RECORDS)
REPUBLISHED = {r.id for r in RECORDS if r.republished_by}


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Library:
    library = Library(tmp_path_factory.mktemp("home"))
    summary = library.add((r, None) for r in RECORDS)
    assert (summary.added, summary.failed) == (len(RECORDS), 0)
    yield library
    library.close()


def all_ids(lib: Library, **kw: object) -> list[str]:
    result = lib.search(SearchRequest(limit=10_000, snippets=False, **kw))  # type: ignore[arg-type]
    assert result.total == len(result.hits)
    return [h.id for h in result.hits]


def stems_of(record: Statement) -> set[str]:
    stem = stem_ru if record.language == "ru" else stem_en
    return {stem(m.group(0).lower()) for m in WORD.finditer(record.title + " " + record.text)}


def speakers_of(record: Statement) -> list[str]:
    return list(dict.fromkeys(canonical(s, record.language) for s in record.speakers))


# ---- counts -------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["*", "security", '"press availability"', "climate democracy"])
def test_facet_counts_equal_counts_from_the_records(lib: Library, query: str) -> None:
    facets = ("speaker", "year", "month", "source", "lang")
    result = lib.search(SearchRequest(query=query, facets=facets, limit=10_000, snippets=False))
    hits = [BY_ID[h.id] for h in result.hits]
    assert result.total == len(hits) > 0
    expect_speaker = Counter(s for r in hits for s in speakers_of(r))
    expect_year = Counter(r.date_iso[:4] if r.date else "undated" for r in hits)
    expect_month = Counter(r.date_iso[:7] if r.date else "undated" for r in hits)
    expect_source = Counter(r.source for r in hits if r.source)
    expect_lang = Counter(r.language for r in hits if r.language)
    assert dict(result.facets["speaker"]) == expect_speaker
    assert dict(result.facets["year"]) == expect_year
    assert dict(result.facets["month"]) == expect_month
    assert dict(result.facets["source"]) == expect_source
    assert dict(result.facets["lang"]) == expect_lang


def test_browse_counts_every_document_once_per_copy_group(lib: Library) -> None:
    result = lib.search(SearchRequest(facets=("year",), limit=5))
    assert result.total == len(RECORDS) - len(COPIES)
    assert sum(n for _, n in result.facets["year"]) == result.total
    assert ("undated", sum(1 for r in RECORDS if r.date is None)) in result.facets["year"]
    everything = lib.search(SearchRequest(all_copies=True, limit=5))
    assert everything.total == len(RECORDS)


def test_a_word_matches_exactly_the_records_holding_its_stem(lib: Library) -> None:
    expected = {r.id for r in RECORDS if stem_en("democracy") in stems_of(r) and r.id not in COPIES}
    assert len(expected) > 3
    assert set(all_ids(lib, query="democracy")) == expected


def test_documents_with_all_the_words_rank_first(lib: Library) -> None:
    words = ("climate", "democracy")
    both = {r.id for r in RECORDS if {stem_en(w) for w in words} <= stems_of(r)} - COPIES
    some = {r.id for r in RECORDS if {stem_en(w) for w in words} & stems_of(r)} - COPIES
    assert 0 < len(both) < len(some)
    ids = all_ids(lib, query="climate democracy")
    assert set(ids) == some
    assert set(ids[: len(both)]) == both


def test_russian_stemming_finds_other_forms_of_a_name(lib: Library) -> None:
    ids = set(all_ids(lib, query="Лавров"))
    forms = re.compile(r"\bЛавров(а|у|ым|е)?\b")
    expected = {r.id for r in RECORDS if forms.search(r.title + " " + r.text)}
    assert any(re.search(r"Лавров(у|ым)\b", BY_ID[i].text) for i in ids)
    assert ids == expected


# ---- filters ------------------------------------------------------------------------


def test_filters_compose_and_equal_the_records_filtered_directly(lib: Library) -> None:
    by_speaker = set(all_ids(lib, speakers=("antony blinken",)))
    assert by_speaker == {
        r.id for r in RECORDS if "Antony Blinken" in speakers_of(r) and r.id not in COPIES
    }
    in_2021 = set(all_ids(lib, since="2021-06", until="2021-12-31"))
    assert in_2021 == {
        r.id
        for r in RECORDS
        if r.date and "2021-06-01" <= r.date.isoformat() <= "2021-12-31" and r.id not in COPIES
    }
    both = set(all_ids(lib, speakers=("Blinken",), since="2021-06", until="2021-12-31"))
    assert both == by_speaker & in_2021 and both
    russian = set(all_ids(lib, langs=("ru",), sources=("President of Russia",)))
    assert russian == {r.id for r in RECORDS if r.language == "ru"}
    assert set(all_ids(lib, query="security", langs=("ru",))) == set()


def test_alias_and_case_of_a_speaker_filter(lib: Library) -> None:
    assert all_ids(lib, speakers=("Antony J. Blinken",)) == all_ids(lib, speakers=("BLINKEN",))


def test_partial_dates_keep_their_precision_and_count_in_the_year(lib: Library) -> None:
    year_only = [r for r in RECORDS if r.date_precision == "year"]
    assert year_only
    record = year_only[0]
    result = lib.search(
        SearchRequest(
            facets=("year", "month"), since=record.date_iso, until=record.date_iso, limit=100
        )
    )
    hit = next(h for h in result.hits if h.id == record.id)
    assert hit.date == record.date_iso and len(hit.date) == 4
    assert (record.date_iso, sum(1 for h in result.hits if h.date[:4] == hit.date)) in (
        result.facets["year"]
    )
    assert lib.get(record.id).date_precision == "year"


def test_sort_by_date(lib: Library) -> None:
    newest = lib.search(SearchRequest(query="security", sort="newest", limit=30)).hits
    dates = [h.date for h in newest if h.date]
    assert dates == sorted(dates, reverse=True)
    oldest = lib.search(SearchRequest(query="security", sort="oldest", limit=30)).hits
    assert [h.date for h in oldest if h.date] == sorted(h.date for h in oldest if h.date)


def test_query_language(lib: Library) -> None:
    blinken = set(all_ids(lib, query="speaker:blinken"))
    assert blinken == set(all_ids(lib, speakers=("Antony Blinken",)))
    security = set(all_ids(lib, query="security"))
    no_china = set(all_ids(lib, query="security -china"))
    assert no_china and all("china" not in stems_of(BY_ID[i]) for i in no_china)
    assert no_china == security - set(all_ids(lib, query="china"))
    either = set(all_ids(lib, query="climate OR covid"))
    assert either == set(all_ids(lib, query="climate")) | set(all_ids(lib, query="covid"))
    both = set(all_ids(lib, query="security AND minister"))
    assert both == security & set(all_ids(lib, query="minister")) and both
    dated = set(all_ids(lib, query="security date:2021"))
    assert dated == {i for i in security if BY_ID[i].date_iso[:4] == "2021"} and dated
    assert set(all_ids(lib, query="secur*")) >= security
    title = set(all_ids(lib, query="title:Ukraine"))
    assert title and all("ukrain" in stems_of(BY_ID[i].with_(text="")) for i in title)


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "(security",
        "AND",
        "security OR",
        "NOT",
        ")(",
        "date:20x9",
        "speaker:",
        "***",
        "-",
        '""',
        "title:",
        "((a)",
        "\x1b[31m",
        "date:2019..x",
        "date:[zz TO 2019]",
        "date:..",
        "date:[",
    ],
)
def test_malformed_queries_are_searched_not_raised(lib: Library, query: str) -> None:
    result = lib.search(SearchRequest(query=query))
    assert len(result.hits) == min(result.total, 10)  # one page of what it counted


def test_unbalanced_quote_is_searched_as_words(lib: Library) -> None:
    assert all_ids(lib, query='"climate democracy') == all_ids(lib, query="climate democracy")


def test_did_you_mean(lib: Library) -> None:
    result = lib.search(SearchRequest(query="democarcy"))
    assert result.total == 0
    assert result.suggestion == "democracy"


def test_bad_option_values_are_usage_errors(lib: Library) -> None:
    for request in (
        SearchRequest(since="2021-13"),
        SearchRequest(until="soon"),
        SearchRequest(facets=("colour",)),
        SearchRequest(sort="best"),
    ):
        with pytest.raises(UsageError):
            lib.search(request)


# ---- copies and turns ---------------------------------------------------------------


def test_a_republished_copy_and_its_original_give_one_hit(lib: Library) -> None:
    copy = BY_ID[sorted(REPUBLISHED)[0]]
    original = BY_ID[copy.id.removeprefix("copy-")]
    title_words = " ".join(WORD.findall(original.title)[:6])
    result = lib.search(SearchRequest(query=f'"{title_words}"', facets=("source",)))
    ids = [h.id for h in result.hits]
    assert original.id in ids and copy.id not in ids
    hit = result.hits[ids.index(original.id)]
    assert [c["id"] for c in hit.copies] == [copy.id]
    assert hit.copies[0]["republished_by"] == "GlobalSecurity.org"
    assert result.total == len(result.hits) == sum(n for _, n in result.facets["source"])
    every = lib.search(SearchRequest(query=f'"{title_words}"', all_copies=True))
    assert {original.id, copy.id} <= {h.id for h in every.hits}
    assert every.total == result.total + 1
    assert [c["id"] for c in lib.copies(copy.id)] == [original.id]


def has_phrase(record: Statement, phrase: list[str]) -> bool:
    for text in (record.title, record.text):
        stems = [stem_en(m.group(0).lower()) for m in WORD.finditer(text)]
        if any(stems[i : i + len(phrase)] == phrase for i in range(len(stems))):
            return True
    return False


def said(record: Statement, speaker: str, phrase: list[str]) -> bool:
    n = len(phrase)
    for turn in record.turns:
        if turn.speaker != speaker:
            continue
        stems = [stem_en(m.group(0).lower()) for m in WORD.finditer(turn.text)]
        if any(stems[i : i + n] == phrase for i in range(len(stems) - n + 1)):
            return True
    return False


def test_said_by_returns_only_documents_where_the_person_said_the_phrase(lib: Library) -> None:
    phrase = [stem_en("united"), stem_en("states")]
    expected = {r.id for r in RECORDS if said(r, "Antony Blinken", phrase)} - COPIES
    expected |= {
        r.id
        for r in RECORDS
        if not r.turns and speakers_of(r) == ["Antony Blinken"] and has_phrase(r, phrase)
    } - COPIES
    result = lib.search(
        SearchRequest(
            query='"United States"', said_by=("Blinken",), limit=1000, facets=("said-by",)
        )
    )
    assert {h.id for h in result.hits} == expected and expected
    turn_hits = [h for h in result.hits if BY_ID[h.id].turns]
    assert turn_hits and all(h.said_by == "Antony Blinken" for h in turn_hits)


def test_said_by_facet_counts_equal_counts_from_the_turns(lib: Library) -> None:
    phrase = [stem_en("united"), stem_en("states")]
    result = lib.search(SearchRequest(query='"United States"', facets=("said-by",), limit=1000))
    matched = [BY_ID[h.id] for h in result.hits]
    expected: Counter[str] = Counter()
    for r in matched:
        if any(t.speaker for t in r.turns):
            expected.update(
                {
                    canonical(t.speaker, r.language)
                    for t in r.turns
                    if t.speaker and said(r, t.speaker, phrase)
                }
            )
        elif len(speakers_of(r)) == 1:
            expected[speakers_of(r)[0]] += 1
    assert dict(result.facets["said-by"]) == expected
    assert expected["Antony Blinken"] > 0


# ---- writing ------------------------------------------------------------------------


def test_add_is_incremental_and_never_duplicates(tmp_path: Path) -> None:
    records = RECORDS[:20]
    with Library(tmp_path) as lib:
        first = lib.add((r, None) for r in records)
        assert (first.added, first.updated, first.unchanged) == (20, 0, 0)
        again = lib.add((r, None) for r in records)
        assert (again.added, again.updated, again.unchanged) == (0, 0, 20)
        edited = records[3].with_(text=records[3].text + "\n\nAn added closing paragraph.")
        third = lib.add([(edited, None), *((r, None) for r in records[4:8])])
        assert (third.added, third.updated, third.unchanged) == (0, 1, 4)
        assert lib.get(records[3].id).text.endswith("closing paragraph.")
        # one id twice in a batch: one document, the last version wins
        v1 = records[5].with_(title="Version one")
        v2 = records[5].with_(title="Version two")
        twice = lib.add([(v1, None), (v2, None)])
        assert (twice.added, twice.updated) == (0, 1)
        hits = lib.search(SearchRequest(query='title:"Version two"', all_copies=True)).hits
        assert [h.id for h in hits] == [records[5].id]
        assert lib.search(SearchRequest(all_copies=True)).total == 20
        assert lib.stats()["documents"] == 20


def test_remove_deletes_document_record_and_capture(tmp_path: Path) -> None:
    with Library(tmp_path) as lib:
        lib.add((r, None) for r in RECORDS[:5])
        captures = CaptureStore(tmp_path / "captures.sqlite")
        assert captures.count() == 5
        lib.remove(RECORDS[0].id)
        assert lib.stats()["documents"] == 4
        assert captures.count() == 4
        with pytest.raises(NotFoundError):
            lib.get(RECORDS[0].id)
        with pytest.raises(NotFoundError):
            lib.remove(RECORDS[0].id)


def test_reindex_gives_the_same_results(tmp_path: Path) -> None:
    requests = [
        SearchRequest(query="security", facets=("speaker", "year"), limit=50),
        SearchRequest(query='"United States"', said_by=("Antony Blinken",), limit=50),
        SearchRequest(facets=("source", "lang", "month"), limit=200),
        SearchRequest(query="Лавров", limit=50),
    ]
    with Library(tmp_path) as lib:
        lib.add((r, None) for r in RECORDS)
        before = [lib.search(r).to_dict() for r in requests]
        live = (tmp_path / "CURRENT").read_text()
        summary = lib.reindex()
        assert (summary.added, summary.failed) == (len(RECORDS), 0)
        assert (tmp_path / "CURRENT").read_text() != live
        after = [lib.search(r).to_dict() for r in requests]
    assert after == before
    with Library(tmp_path) as lib:  # the next write drops the old generation
        lib.add([(RECORDS[0], None)])
    assert sorted(p.name for p in tmp_path.glob("gen-*")) == [
        (tmp_path / "CURRENT").read_text().strip()
    ]


def test_damaged_index_names_reindex_which_repairs_it(tmp_path: Path) -> None:
    with Library(tmp_path) as lib:
        lib.add((r, None) for r in RECORDS[:10])
    generation = tmp_path / (tmp_path / "CURRENT").read_text().strip()
    for toc in (generation / "whoosh").glob("_MAIN_*.toc"):
        toc.unlink()
    with Library(tmp_path) as lib, pytest.raises(IndexDamagedError, match="statements reindex"):
        lib.search(SearchRequest(query="security"))
    with Library(tmp_path) as lib:
        lib.reindex()
        assert lib.search(SearchRequest()).total == 10


def test_ids_never_become_file_paths(tmp_path: Path) -> None:
    hostile = [
        RECORDS[0].with_(id="../../../etc/passwd"),
        RECORDS[1].with_(id="x" * 5000),
        RECORDS[2].with_(id="/abs/path\x00nul"),
    ]
    home = tmp_path / "home"
    with Library(home) as lib:
        assert lib.add((r, None) for r in hostile).added == 3
        assert lib.get("../../../etc/passwd").title == RECORDS[0].title
        assert lib.get("x" * 5000).title == RECORDS[1].title
    names = {p.relative_to(home).parts[0] for p in home.rglob("*")}
    assert names <= {
        "CURRENT",
        "write.lock",
        "gen-000001",
        "captures.sqlite",
        "captures.sqlite-wal",
        "captures.sqlite-shm",
    }
    assert all(len(p.name) < 80 for p in home.rglob("*"))
    assert not list(tmp_path.glob("etc*")) and not (tmp_path / "abs").exists()
    assert CaptureStore(home / "captures.sqlite").count() == 3


# ---- one writer ---------------------------------------------------------------------

HOLD = (
    "import pathlib, sys, time\n"
    "from statements.index.lock import WriteLock\n"
    "WriteLock(pathlib.Path(sys.argv[1])).acquire()\n"
    "print('held', flush=True)\n"
    "time.sleep(60)\n"
)


def test_second_writer_waits_then_says_who_writes_and_dead_lock_is_recovered(
    tmp_path: Path,
) -> None:
    with Library(tmp_path) as lib:
        lib.add((r, None) for r in RECORDS[:3])
    root = Path(__file__).resolve().parents[1]
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], cwd=root, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with Library(tmp_path, wait=0.3) as lib:
            with pytest.raises(LockedError) as info:
                lib.add([(RECORDS[5], None)])
            assert f"another process (pid {holder.pid}) is writing" in str(info.value)
            assert lib.search(SearchRequest()).total == 3  # readers never wait
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    with Library(tmp_path, wait=5) as lib:  # the kernel dropped the dead holder's lock
        assert lib.add([(RECORDS[5], None)]).added == 1
    with WriteLock(tmp_path, wait=0):  # and released again by the library
        pass


def test_a_surname_finds_the_full_names_it_ends(lib: Library) -> None:
    expected = {r.id for r in RECORDS if "Mute Egede" in speakers_of(r)} - COPIES
    assert expected
    assert set(all_ids(lib, speakers=("egede",))) == expected
    said = lib.search(SearchRequest(query="Greenland", said_by=("Egede",), facets=("said-by",)))
    assert said.total > 0 and dict(said.facets["said-by"]) == {"Mute Egede": said.total}
    assert all(h.said_by == "Mute Egede" for h in said.hits)


def test_a_phrase_with_filters_is_the_intersection(lib: Library) -> None:
    phrase = set(all_ids(lib, query='"United States"'))
    blinken = set(all_ids(lib, speakers=("Antony Blinken",)))
    in_2021 = set(all_ids(lib, since="2021", until="2021"))
    both = all_ids(
        lib, query='"United States"', speakers=("Antony Blinken",), since="2021", until="2021"
    )
    assert set(both) == phrase & blinken & in_2021 and both
    result = lib.search(
        SearchRequest(query='"United States"', speakers=("Antony Blinken",), limit=5)
    )
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_random_queries_never_raise(lib: Library) -> None:
    """Random strings over the query language's own tokens: a result, never an error."""
    import random

    tokens = [
        *'abz "()*?-+:[].',
        "AND",
        "OR",
        "NOT",
        "title:",
        "speaker:",
        "date:",
        " TO ",
        "..",
        "2019",
        "Лавров",
        "\x00",
        "\x1b",
        "lang:",
        "source:",
        "security",
    ]
    rng = random.Random(20261127)
    for n in range(400):
        query = "".join(rng.choice(tokens) for _ in range(rng.randint(0, 12)))
        said = ("Blinken",) if n % 4 == 0 else ()
        result = lib.search(SearchRequest(query=query, facets=("speaker", "said-by"), said_by=said))
        assert result.total >= len(result.hits)
