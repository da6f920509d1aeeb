"""kill -9 `add`, `update` and `reindex` at random moments; nothing may be lost or doubled.

Each run starts the real `statements` command as a child process on a real data home
in tmp_path, SIGKILLs it after a random delay (drawn from a seeded generator, scaled to
how long an uninterrupted run took), and then checks, through the real CLI:

- the index opens (`stats`, `search`), lists each document once, and every listed
  document is one whole version of an input record with its capture stored;
- running the command again completes (exit 0) and the index then holds exactly the
  input records: the count equals the number of distinct input ids, and each record's
  fingerprint is that of its input, so nothing is missing and nothing is doubled.

`add` runs alternate between an empty home and one holding older versions of half the
records (so kills also land while documents are being replaced); `update` fetches real
pages from a server on 127.0.0.1; `reindex` must keep every document even when killed.
A last test presses Ctrl-C instead (SIGINT to the process group): exit 130 with at
most the line `Error: interrupted`, never a traceback, and the same index checks.

Size: STATEMENTS_CRASH_RUNS kills per command (default 7, so 21 in all) and
STATEMENTS_CRASH_SEED choose how many and which moments (`make reliability` runs more).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from index_helpers import added_id
from reliability_helpers import (
    PAGES,
    ROOT,
    check_whole,
    child_env,
    command,
    default_sigint,
    documents,
    kill,
    make_inputs,
    run_child,
    start,
    versions,
)
from site_server import Site, serve

from statements.scraper.errors import ExtractError
from statements.scraper.extract import extract_bytes
from statements.scraper.record import Statement, make_id

RUNS = int(os.environ.get("STATEMENTS_CRASH_RUNS", "7"))
RECORDS = 60  # lines of tests/data/records.jsonl used, besides the 29 pages
SEED = int(os.environ.get("STATEMENTS_CRASH_SEED", "20261127"))
FAST = ["--delay", "0", "--timeout", "10", "--retries", "0", "--quiet"]
SUMMARY = re.compile(r"^(\d+) added, (\d+) updated, (\d+) unchanged, (\d+) failed$", re.M)

pytestmark = pytest.mark.slow


def timed(args: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    began = time.monotonic()
    done = run_child(*args)
    return time.monotonic() - began, done


def kill_runs(
    rng: random.Random,
    baseline: float,
    prepare: Callable[[int], Path],
    args: Callable[[Path], list[str]],
    after_kill: Callable[[Path], None],
    rerun: Callable[[Path], None],
) -> int:
    """RUNS times: prepare a home, start the command, kill -9 it after a random delay,
    check, rerun, check. Returns how many kills landed while the command was running."""
    landed = 0
    for i in range(RUNS):
        home = prepare(i)
        began = time.monotonic()
        proc = start(*args(home))
        try:
            proc.wait(timeout=rng.uniform(0.05, 0.9) * baseline)
            # finished before the kill: on a shared machine the baseline run was slow;
            # this run's time is a better measure of how long the command takes
            baseline = min(baseline, time.monotonic() - began)
        except subprocess.TimeoutExpired:
            landed += 1
        kill(proc)
        after_kill(home)
        rerun(home)
    return landed


def summary_counts(stderr: str) -> tuple[int, int, int, int]:
    found = SUMMARY.findall(stderr)
    assert found, stderr
    added, updated, unchanged, failed = (int(x) for x in found[-1])
    return added, updated, unchanged, failed


def test_kill_add(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    args, expected = make_inputs(tmp_path / "in", records=RECORDS)
    final = versions(expected.values())
    # Older versions of every other record: a seeded home holds these, so a killed
    # `add` is caught halfway through replacing documents as well as adding them.
    records = [r for r in expected.values() if r.source]
    older = [r.with_(text=r.text + "\n\nAn earlier version of this text.") for r in records[::2]]
    old_file = tmp_path / "older.jsonl"
    old_file.write_text("".join(r.to_json() + "\n" for r in older), encoding="utf-8")
    seed = tmp_path / "seed"
    assert run_child("add", str(old_file), "--home", str(seed)).returncode == 0
    allowed = versions(expected.values(), older)

    baseline, done = timed(["add", *args, "--home", str(tmp_path / "reference")])
    assert done.returncode == 0, done.stderr
    assert documents(tmp_path / "reference") == len(expected)

    def prepare(i: int) -> Path:
        home = tmp_path / f"add-{i}"
        if i % 2:
            shutil.copytree(seed, home)
        return home

    def after_kill(home: Path) -> None:
        if home.exists():
            check_whole(home, allowed)

    def rerun(home: Path) -> None:
        done = run_child("add", *args, "--home", str(home))
        assert done.returncode == 0, done.stderr
        added, updated, unchanged, failed = summary_counts(done.stderr)
        assert added + updated + unchanged == len(expected) and failed == 0
        assert check_whole(home, final) == set(expected)

    landed = kill_runs(
        rng, baseline, prepare, lambda h: ["add", *args, "--home", str(h)], after_kill, rerun
    )
    print(f"`add`: {landed} of {RUNS} kills landed while it ran")  # shown with -s
    assert landed >= RUNS // 2, f"only {landed} of {RUNS} kills landed while `add` ran"


def test_kill_reindex(tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    args, expected = make_inputs(tmp_path / "in", records=RECORDS)
    final = versions(expected.values())
    seed = tmp_path / "seed"
    assert run_child("add", *args, "--home", str(seed)).returncode == 0
    reference = tmp_path / "reference"
    shutil.copytree(seed, reference)
    baseline, done = timed(["reindex", "--home", str(reference)])
    assert done.returncode == 0, done.stderr
    assert check_whole(reference, final) == set(expected)

    def prepare(i: int) -> Path:
        home = tmp_path / f"reindex-{i}"
        shutil.copytree(seed, home)
        return home

    def after_kill(home: Path) -> None:
        # the old generation stays live until the new one is complete: nothing is missing
        assert check_whole(home, final) == set(expected)

    def rerun(home: Path) -> None:
        done = run_child("reindex", "--home", str(home))
        assert done.returncode == 0, done.stderr
        assert done.stderr.splitlines()[-1] == f"reindexed {len(expected)} documents, 0 failed"
        assert check_whole(home, final) == set(expected)
        # the killed run's half-built generation is gone; only the live one and the one
        # it replaced (kept for readers until the next write) remain
        generations = sorted(p.name for p in home.glob("gen-*"))
        assert len(generations) <= 2, f"stale generations left: {generations}"
        live = (home / "CURRENT").read_text(encoding="utf-8").strip()
        assert live == generations[-1]

    landed = kill_runs(
        rng, baseline, prepare, lambda h: ["reindex", "--home", str(h)], after_kill, rerun
    )
    print(f"`reindex`: {landed} of {RUNS} kills landed while it ran")  # shown with -s
    assert landed >= RUNS // 2, f"only {landed} of {RUNS} kills landed while `reindex` ran"


CONTENT_TYPES = {
    ".html": "text/html",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}


def publish(site: Site) -> dict[str, Statement]:
    """Serve every real page of tests/pages and tests/fetch_site (that extracts) under
    its own URL, and a feed listing them; returns the records update must index."""
    from reliability_helpers import page_files

    files = page_files() + sorted((PAGES.parent / "fetch_site").glob("*.html"))
    expected: dict[str, Statement] = {}
    paths = []
    for n, page in enumerate(files):
        path = f"/p/{n}/{page.name}"
        content_type = CONTENT_TYPES[page.suffix]
        data = page.read_bytes()
        try:
            record = extract_bytes(data, url=site.url(path), content_type=content_type)
        except ExtractError:
            continue
        site.page(path, data, content_type=content_type, etag=True)
        expected[record.id] = record
        paths.append(path)
    items = "".join(f"<item><title>{p}</title><link>{site.url(p)}</link></item>" for p in paths)
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>pages</title><link>{site.base}</link>{items}</channel></rss>"
    )
    site.page("/feed.xml", feed, content_type="application/rss+xml", etag=True)
    site.page("/robots.txt", b"User-agent: *\nAllow: /\n", content_type="text/plain")
    assert len(paths) >= 25
    return expected


def test_kill_update(tmp_path: Path) -> None:
    rng = random.Random(SEED + 2)
    with serve() as site:
        expected = publish(site)
        final = versions(expected.values())
        seed = tmp_path / "seed"
        done = run_child(
            "sources", "add", site.url("/feed.xml"), "--name", "p", "--home", str(seed)
        )
        assert done.returncode == 0, done.stderr
        update = ["update", *FAST, "--format", "json"]

        reference = tmp_path / "reference"
        shutil.copytree(seed, reference)
        baseline, done = timed([*update, "--home", str(reference)])
        assert done.returncode == 0, done.stderr
        assert check_whole(reference, final) == set(expected)

        def prepare(i: int) -> Path:
            home = tmp_path / f"update-{i}"
            shutil.copytree(seed, home)
            return home

        def after_kill(home: Path) -> None:
            check_whole(home, final)

        def rerun(home: Path) -> None:
            done = run_child(*update, "--home", str(home))
            assert done.returncode == 0, done.stderr
            totals = json.loads(done.stdout)["totals"]
            assert totals["failed"] == 0
            assert check_whole(home, final) == set(expected)

        landed = kill_runs(
            rng, baseline, prepare, lambda h: [*update, "--home", str(h)], after_kill, rerun
        )
    print(f"`update`: {landed} of {RUNS} kills landed while it ran")  # shown with -s
    assert landed >= RUNS // 2, f"only {landed} of {RUNS} kills landed while `update` ran"


def test_ctrl_c_add(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the process group, as a terminal sends it) at random moments
    after start-up: exit 130 with at most one line and no traceback, or a finished run;
    the index holds whole documents and rerunning completes the set."""
    import signal

    rng = random.Random(SEED + 3)
    args, expected = make_inputs(tmp_path / "in", records=RECORDS)
    baseline, done = timed(["add", *args, "--home", str(tmp_path / "reference")])
    assert done.returncode == 0, done.stderr
    final = versions(expected.values())
    interrupted = 0
    for i in range(RUNS):
        home = tmp_path / f"int-{i}"
        proc = subprocess.Popen(
            command("add", *args, "--home", str(home)),
            cwd=ROOT,
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            preexec_fn=default_sigint,
        )
        began = time.monotonic()
        time.sleep(rng.uniform(0.2, max(0.9 * baseline, 0.3)))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
        else:  # finished first: the baseline run was slow (a shared machine)
            baseline = min(baseline, time.monotonic() - began)
        _out, err = proc.communicate(timeout=120)
        assert "Traceback" not in err, err
        if proc.returncode == 130:
            interrupted += 1
            assert err.splitlines()[-1:] in ([], ["Error: interrupted"]), err
        elif proc.returncode == -signal.SIGINT:
            # the signal came while the finished command was exiting: the shell shows
            # 130 too; the work was done and nothing but the summary was printed (or,
            # seen once in 7 runs under heavy load, the interruption was reported and
            # the exit itself was interrupted again: still one line, no traceback)
            interrupted += 1
            assert SUMMARY.search(err) or err.splitlines()[-1:] == ["Error: interrupted"], err
        else:
            assert proc.returncode == 0, (proc.returncode, err)
        if (home / "CURRENT").exists():
            check_whole(home, final)
        rerun = run_child("add", *args, "--home", str(home))
        assert rerun.returncode == 0, rerun.stderr
        assert check_whole(home, final) == set(expected)
    print(f"Ctrl-C: {interrupted} of {RUNS} runs interrupted")  # shown with -s
    assert interrupted >= RUNS // 2


REMOVE_STEPS = ("remove:marked", "remove:documents", "remove:records")
FOLLOW_UPS = ("remove", "reindex", "add")
# make reliability: every step with every follow-up; make test: each step once
FULL = os.environ.get("STATEMENTS_RELIABILITY") == "1"
REMOVE_CASES = [
    (step, follow)
    for n, step in enumerate(REMOVE_STEPS)
    for m, follow in enumerate(FOLLOW_UPS)
    if FULL or m == n % len(FOLLOW_UPS)
]


@pytest.fixture(scope="module")
def removable(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, list[str]]:
    folder = tmp_path_factory.mktemp("remove")
    args, expected = make_inputs(folder / "in", records=RECORDS)
    seed = folder / "seed"
    done = run_child("add", *args, "--home", str(seed))
    assert done.returncode == 0, done.stderr
    return seed, expected, args


@pytest.mark.parametrize(("step", "follow"), REMOVE_CASES)
def test_remove_killed_at_each_step_is_whole_or_finished(
    tmp_path: Path, removable: tuple[Path, dict, list[str]], step: str, follow: str
) -> None:
    """`remove` dies (SIGKILL, by the fault-injection hook) at one of its steps; the
    next `remove` of it, `reindex` or an `add` of something else finishes it, and the
    document never comes back, not even after a further `reindex`."""
    seed, expected, _args = removable
    home = tmp_path / "home"
    shutil.copytree(seed, home)
    target = added_id("state-245386")  # `add` gives a record its URL's id
    assert target in expected
    env = {**child_env(), "STATEMENTS_FAULT": step}
    killed = subprocess.run(
        command("remove", target, "--home", str(home)),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=default_sigint,
    )
    assert killed.returncode == -9, (step, killed.stderr)  # it died at that step
    if follow == "remove":
        done = run_child("remove", target, "--home", str(home))
    elif follow == "reindex":
        done = run_child("reindex", "--home", str(home))
    else:
        other = tmp_path / "other.jsonl"
        first = next(r for rid, r in expected.items() if rid != target)
        url = "https://example.org/other-1"  # `add` gives the record its URL's id
        record = first.with_(id=make_id(url), url=url, title="Another one")
        other.write_text(record.to_json() + "\n", encoding="utf-8")
        done = run_child("add", str(other), "--home", str(home))
        expected = {**expected, record.id: record}
    assert done.returncode == 0, done.stderr
    rest = {rid: r for rid, r in expected.items() if rid != target}
    assert check_whole(home, versions(rest.values())) == set(rest)
    assert run_child("reindex", "--home", str(home)).returncode == 0
    assert check_whole(home, versions(rest.values())) == set(rest)  # it stays removed
    shown = run_child("show", target, "--home", str(home))
    assert shown.returncode == 1 and "no document with id" in shown.stderr
