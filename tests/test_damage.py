"""A damaged index is detected with one clear line naming `statements reindex`, and
`statements reindex` rebuilds it from the stored captures.

A real index is built from real pages and records (tests/pages, tests/data); then one
file of the live generation is truncated, emptied or deleted, as a full disk, a crash
of the machine or a careless backup tool would leave it. Every command that reads
the index must then either work or fail with exactly one `Error: ...` line that names
`statements reindex`; never a traceback or an "internal error". At least one of the
read commands must notice the damage (a search that reads the damaged file), and
`statements reindex` must bring back every document, whole.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from index_helpers import added_id
from reliability_helpers import (
    check_whole,
    cli,
    fill,
    make_inputs,
    read_only,
    run_child,
    small_disk,
    versions,
)

from statements.scraper.record import Statement, make_id

STATE_245386 = added_id("state-245386")  # `add` gives a record its URL's id

READS = (
    ("search", "security", "--facet", "speaker", "--facet", "year"),
    ("search", "Lavrov", "--said-by", "Sergey Lavrov", "--facet", "said-by"),
    ("search", "*", "--all-copies", "--format", "jsonl"),
    ("search", "president", "--sort", "newest", "--format", "csv"),
    ("stats",),
    ("show", STATE_245386),
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Statement]]:
    base = tmp_path_factory.mktemp("damage")
    args, expected = make_inputs(base / "in", records=60)
    seed = base / "seed"
    done = run_child("add", *args, "--home", str(seed))
    assert done.returncode == 0, done.stderr
    return seed, expected


def live(home: Path) -> Path:
    return home / (home / "CURRENT").read_text(encoding="utf-8").strip()


def damaged_copy(seed: Path, tmp_path: Path, part: str, pattern: str, how: str) -> Path:
    home = tmp_path / "home"
    shutil.copytree(seed, home)
    targets = sorted((live(home) / part).glob(pattern))
    assert targets, f"no {pattern} in {part}"
    for target in targets:
        if how == "delete":
            target.unlink()
        elif how == "empty":
            target.write_bytes(b"")
        else:
            data = target.read_bytes()
            target.write_bytes(data[: len(data) // 2])
    return home


def assert_ok_or_names_reindex(result: object, what: tuple[str, ...]) -> bool:
    """True when the command failed with the one reindex line, False when it worked."""
    code = result.exit_code  # type: ignore[attr-defined]
    err = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in err and "internal error" not in err, (what, err)
    if code == 0:
        return False
    lines = err.splitlines()
    assert code == 1 and len(lines) == 1, (what, code, err)
    assert lines[0].startswith("Error: ") and "statements reindex" in lines[0], (what, err)
    assert result.stdout == "", what  # type: ignore[attr-defined]
    return True


DAMAGE = [
    ("whoosh", "*.trm", "truncate"),
    ("whoosh", "*.trm", "empty"),
    ("whoosh", "*.pst", "truncate"),
    ("whoosh", "*.pst", "empty"),
    ("whoosh", "*._stored.col", "truncate"),
    ("whoosh", "*._stored.col", "delete"),
    ("whoosh", "*._stored.col", "empty"),
    ("whoosh", "_MAIN_*.toc", "truncate"),
    ("whoosh", "_MAIN_*.toc", "empty"),
    ("whoosh", "_MAIN_*.toc", "delete"),
    ("", "records.sqlite", "truncate"),
    ("", "records.sqlite", "empty"),
    ("", "records.sqlite", "delete"),
]


@pytest.mark.parametrize(("part", "pattern", "how"), DAMAGE)
def test_damage_is_reported_and_reindex_repairs_it(
    built: tuple[Path, dict[str, Statement]], tmp_path: Path, part: str, pattern: str, how: str
) -> None:
    seed, expected = built
    home = damaged_copy(seed, tmp_path, part, pattern, how)
    noticed = [assert_ok_or_names_reindex(cli(*args, "--home", str(home)), args) for args in READS]
    assert any(noticed), f"{how} {part}/{pattern} went unnoticed by every read command"
    writer = tmp_path / "writer"
    shutil.copytree(home, writer)
    added = cli("add", str(NEW_PAGE), "--home", str(writer))
    assert_ok_or_names_reindex(added, ("add",))

    done = run_child("reindex", "--home", str(home))
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == f"reindexed {len(expected)} documents, 0 failed"
    assert check_whole(home, versions(expected.values())) == set(expected)
    for args in READS:
        assert cli(*args, "--home", str(home)).exit_code == 0, args  # type: ignore[attr-defined]


NEW_PAGE = Path(__file__).parent / "fetch_site" / "kremlin_news_34106.html"


@pytest.mark.parametrize(
    "pattern", ["*._body_len.col", "*._title_len.col", "*._vocab_len.col", "*.date.col"]
)
def test_damage_to_files_no_command_reads_is_harmless(
    built: tuple[Path, dict[str, Statement]], tmp_path: Path, pattern: str
) -> None:
    """Whoosh's length and date columns are not read by our searches (scores come from
    the postings, dates from the facet table): emptied, they lose no document, and later
    writes (with their segment merges) still work."""
    seed, expected = built
    home = damaged_copy(seed, tmp_path, "whoosh", pattern, "empty")
    for args in READS:
        assert cli(*args, "--home", str(home)).exit_code == 0, args  # type: ignore[attr-defined]
    assert check_whole(home, versions(expected.values())) == set(expected)
    for page in sorted(NEW_PAGE.parent.glob("*.html")):
        result = cli("add", str(page), "--home", str(home))
        assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]


def test_add_to_a_damaged_index_names_reindex(
    built: tuple[Path, dict[str, Statement]], tmp_path: Path
) -> None:
    seed, _expected = built
    home = damaged_copy(seed, tmp_path, "whoosh", "_MAIN_*.toc", "delete")
    extra = tmp_path / "one.jsonl"
    record = Statement(id="extra-1", title="An extra statement", text="Words " * 30)
    extra.write_text(record.to_json() + "\n", encoding="utf-8")
    result = cli("add", str(extra), "--home", str(home))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.stderr.splitlines() == [  # type: ignore[attr-defined]
        f"Error: the index in {live(home)} is incomplete (whoosh is missing) "
        "(run `statements reindex` to rebuild it from the stored captures)"
    ]


def test_a_damaged_facet_cache_is_rebuilt_silently(
    built: tuple[Path, dict[str, Statement]], tmp_path: Path
) -> None:
    """The facet cache is derived data: a torn one is rebuilt, not reported."""
    seed, expected = built
    for how in ("truncate", "empty", "delete"):
        home = damaged_copy(seed, tmp_path / how, "", "facets-*", how)
        assert check_whole(home, versions(expected.values())) == set(expected)


@pytest.mark.parametrize("content", ["", "gen-999999\n", "../../etc\n", "\x00\xff garbage"])
def test_a_damaged_current_pointer_is_reported_and_reindex_repairs_it(
    built: tuple[Path, dict[str, Statement]], tmp_path: Path, content: str
) -> None:
    """CURRENT names the live generation; when it is damaged the index must not look
    empty (an `add` would then start a new index and drop the old one as stale)."""
    seed, expected = built
    home = tmp_path / "home"
    shutil.copytree(seed, home)
    (home / "CURRENT").write_bytes(content.encode("utf-8", "surrogateescape"))
    result = cli("search", "*", "--format", "json", "--home", str(home))
    assert assert_ok_or_names_reindex(result, ("search",)), result.stdout  # type: ignore[attr-defined]
    done = run_child("reindex", "--home", str(home))
    assert done.returncode == 0, done.stderr
    assert check_whole(home, versions(expected.values())) == set(expected)


def test_a_first_add_that_indexed_nothing_leaves_a_usable_empty_index(tmp_path: Path) -> None:
    """The state a first `add` leaves when every input failed (or when it was killed
    after creating the index, before writing a document): empty, not damaged."""
    home = tmp_path / "home"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = cli("add", str(bad), "--home", str(home))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    for args in READS[:-1]:
        result = cli(*args, "--home", str(home))
        assert result.exit_code == 0, (args, result.stderr)  # type: ignore[attr-defined]
    result = cli("search", "*", "--format", "json", "--home", str(home))
    assert json.loads(result.stdout)["total"] == 0  # type: ignore[attr-defined]
    assert not list(home.glob("gen-*/records.sqlite"))  # a reader created nothing
    # killed after creating records.sqlite and before its table (seen in the kill runs)
    (live(home) / "records.sqlite").write_bytes(b"")
    for args in READS[:-1]:
        result = cli(*args, "--home", str(home))
        assert result.exit_code == 0, (args, result.stderr)  # type: ignore[attr-defined]


@pytest.mark.parametrize("how", ["truncate", "empty", "garbage"])
def test_damaged_capture_store_costs_no_document(
    built: tuple[Path, dict[str, Statement]], tmp_path: Path, how: str
) -> None:
    """The captures are what `reindex` rebuilds from; when their store is damaged,
    `reindex` says so in one line, keeps every document from the live index, and
    `add` of a new page says what is wrong instead of an internal error."""
    seed, expected = built
    home = tmp_path / "home"
    shutil.copytree(seed, home)
    store = home / "captures.sqlite"
    data = store.read_bytes()
    damaged = {"truncate": data[: len(data) // 2], "empty": b"", "garbage": b"\x00junk" * 999}
    store.write_bytes(damaged[how])
    for wal in home.glob("captures.sqlite-*"):
        wal.unlink()
    result = cli("reindex", "--home", str(home))
    err = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in err and "internal error" not in err, err
    lines = err.splitlines()
    assert lines[-1].startswith(f"reindexed {len(expected)} documents, ")
    assert all(line.startswith("Error: ") for line in lines[:-1]), lines
    if result.exit_code:  # type: ignore[attr-defined]
        assert any("captures.sqlite" in line for line in lines[:-1]), lines
    assert check_whole(home, versions(expected.values())) == set(expected)
    page = Path(__file__).parent / "fetch_site" / "kremlin_news_34106.html"
    result = cli("add", str(page), "--home", str(home))
    err = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in err and "internal error" not in err, err


WRITES = (
    ("add", "RECORDS"),
    ("remove", STATE_245386),
    ("reindex",),
    ("sources", "add", "https://www.state.gov/rss-feed/press-releases/feed/"),
)


def _one_line(result: object, expected: str, what: tuple[str, ...]) -> None:
    err = result.stderr  # type: ignore[attr-defined]
    assert result.exit_code == 1, (what, err)  # type: ignore[attr-defined]
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), (what, err)
    assert expected in lines[0], (what, err)
    assert "damaged" not in lines[0] and "reindex` to rebuild" not in lines[0], (what, err)
    assert "internal error" not in lines[0], (what, err)


def test_a_read_only_home_searches_and_writes_say_read_only(
    built: tuple[Path, dict[str, Statement]], tmp_path: Path
) -> None:
    """Readers open SQLite read-only (immutable where the folder cannot be written), so
    every read works on a read-only home; every write says "read-only", not damage."""
    seed, expected = built
    home = tmp_path / "home"
    shutil.copytree(seed, home)
    before = {args: cli(*args, "--home", str(home)).stdout for args in READS}  # type: ignore[attr-defined]
    extra = tmp_path / "extra.jsonl"
    extra.write_text(next(iter(expected.values())).with_(id="x-1").to_json() + "\n")
    with read_only(home):
        for args in READS:
            result = cli(*args, "--home", str(home))
            assert result.exit_code == 0, (args, result.stderr)  # type: ignore[attr-defined]
            assert result.stdout == before[args], args  # type: ignore[attr-defined]
        for args in WRITES:
            args = tuple(str(extra) if a == "RECORDS" else a for a in args)
            _one_line(cli(*args, "--home", str(home)), f"the data folder {home} is read-only", args)
    assert check_whole(home, versions(expected.values())) == set(expected)


def test_a_full_disk_says_disk_full_and_loses_nothing(
    built: tuple[Path, dict[str, Statement]], tmp_path: Path
) -> None:
    """On a full disk every write says "disk ... is full" in one line (not damage, not
    an internal error), searches still work or say the same, and once space is freed
    the index is whole and the writes complete."""
    seed, expected = built
    with small_disk(tmp_path / "disk", 40) as disk:
        home = disk / "home"
        shutil.copytree(seed, home)
        extra = tmp_path / "extra.jsonl"
        urls = [f"https://example.org/x-{n}" for n in range(len(expected))]
        records = [  # a record with a URL gets that URL's id from `add`
            r.with_(id=make_id(url), url=url)
            for url, r in zip(urls, expected.values(), strict=True)
        ]
        extra.write_text("".join(r.to_json() + "\n" for r in records))
        filler = fill(disk)
        for args in WRITES:
            args = tuple(str(extra) if a == "RECORDS" else a for a in args)
            _one_line(cli(*args, "--home", str(home)), "is full", args)
        for args in READS:
            result = cli(*args, "--home", str(home))
            if result.exit_code != 0:  # type: ignore[attr-defined]
                _one_line(result, "is full", args)
        filler.unlink()
        assert check_whole(home, versions(expected.values())) == set(expected)
        done = cli("add", str(extra), "--home", str(home))
        assert done.exit_code == 0, done.stderr  # type: ignore[attr-defined]
        assert check_whole(home, versions(expected.values(), records)) == set(expected) | {
            r.id for r in records
        }
