"""Two commands at once on one data home: one writer at a time, readers never blocked,
and a lock left by a killed process recovered without anyone deleting files.

Every writer here is a real process: the `statements` command as a child, or (where a
test needs a writer that holds the lock for as long as it likes) a child process that
takes the real write lock of `index.lock` and sleeps. Nothing is timed: the tests wait
for states (a pid in the lock file, a request in the server log), never for durations.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from index_helpers import added_id
from reliability_helpers import (
    ROOT,
    check_whole,
    child_env,
    cli,
    documents,
    kill,
    listed,
    make_inputs,
    run_child,
    start,
    start_piped,
    versions,
)
from site_server import serve

from statements.index.lock import LOCK_FILE

STATE_245386 = added_id("state-245386")  # `add` gives a record its URL's id

HOLD = (
    "import pathlib, sys, time\n"
    "from statements.index.lock import WriteLock\n"
    "WriteLock(pathlib.Path(sys.argv[1]), wait=0).acquire()\n"
    "print('held', flush=True)\n"
    "time.sleep(600)\n"
)
LOCKED = re.compile(
    r"^Error: another process \(pid (\d+)\) is writing to the index in .+ "
    r"\(wait for it to finish, or pass --wait SECONDS to wait longer\)$"
)


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[list[str], dict]:
    return make_inputs(tmp_path / "in")


FAST_UPDATE = ["--delay", "0", "--timeout", "10", "--retries", "0", "--quiet"]


def rss(links: list[str], titles: list[str] | None = None) -> str:
    """An RSS feed of `links` (titled with `titles`, else with the links)."""
    items = "".join(
        f"<item><title>{t}</title><link>{u}</link></item>"
        for u, t in zip(links, titles or links, strict=True)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )


@contextmanager
def running_update(site: Any, home: Path, first: str) -> Iterator[subprocess.Popen[str]]:
    """A real `update` child, yielded once it fetches `first` (so it holds its lock);
    killed on the way out if it is still running."""
    proc = start_piped("update", *FAST_UPDATE, "--home", str(home))
    try:
        while not site.hits(first) and proc.poll() is None:
            time.sleep(0.01)
        assert proc.poll() is None
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """A live process holding the write lock of tmp_path/home."""
    home = tmp_path / "home"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(home)],
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    yield proc
    kill(proc)  # type: ignore[arg-type]


def one_locked_line(stderr: str, pid: int) -> None:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    match = LOCKED.match(lines[0])
    assert match, lines[0]
    assert int(match.group(1)) == pid


def test_second_writer_gives_up_after_its_bound_with_one_clear_line(
    tmp_path: Path, holder: subprocess.Popen[str], inputs: tuple[list[str], dict]
) -> None:
    home = tmp_path / "home"
    args, _expected = inputs
    for command in (
        ["add", *args, "--wait", "0.3"],
        ["remove", STATE_245386, "--wait", "0.3"],
        ["reindex", "--wait", "0.3"],
    ):
        done = run_child(*command, "--home", str(home))
        assert done.returncode == 1, (command, done.stderr)
        assert "Traceback" not in done.stderr and done.stdout == ""
        one_locked_line(done.stderr, holder.pid)


def test_readers_work_while_the_lock_is_held(
    tmp_path: Path, inputs: tuple[list[str], dict]
) -> None:
    home = tmp_path / "home"
    args, expected = inputs
    assert run_child("add", *args, "--home", str(home)).returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(home)],
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        assert check_whole(home, versions(expected.values())) == set(expected)
        result = cli("show", STATE_245386, "--format", "json", "--home", str(home))
        assert result.exit_code == 0 and json.loads(result.stdout)["id"] == STATE_245386
    finally:
        kill(proc)  # type: ignore[arg-type]


def test_waiting_writer_goes_on_when_the_holder_dies(
    tmp_path: Path, holder: subprocess.Popen[str], inputs: tuple[list[str], dict]
) -> None:
    """The second writer waits (up to --wait) instead of failing; when the holder is
    killed -9 the kernel drops its lock and the waiting writer completes; the lock file
    (holding the dead pid) is still there: nobody had to delete it."""
    home = tmp_path / "home"
    args, expected = inputs
    lock = home / LOCK_FILE
    assert lock.read_text().strip() == str(holder.pid)
    waiting = start_piped("add", *args, "--wait", "120", "--home", str(home))
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            waiting.wait(timeout=2)  # still waiting: its bound is 120 s
        kill(holder)  # type: ignore[arg-type]
        _out, err = waiting.communicate(timeout=120)
    finally:
        if waiting.poll() is None:
            waiting.kill()
    assert waiting.returncode == 0, err
    assert err.splitlines()[-1] == f"{len(expected)} added, 0 updated, 0 unchanged, 0 failed"
    assert lock.exists()
    assert check_whole(home, versions(expected.values())) == set(expected)


def test_lock_of_a_writer_killed_mid_write_is_recovered(
    tmp_path: Path, inputs: tuple[list[str], dict]
) -> None:
    """kill -9 a real `add` while it holds the lock (its pid is in the lock file); the
    next writer does not wait at all (--wait 0) and completes the job."""
    home = tmp_path / "home"
    args, expected = inputs
    proc = start("add", *args, "--home", str(home))
    lock = home / LOCK_FILE
    try:
        while proc.poll() is None:
            if lock.exists() and lock.read_text().strip() == str(proc.pid):
                break
            time.sleep(0.005)
        else:
            pytest.fail("`add` finished before it was seen holding the lock")
    finally:
        kill(proc)
    assert lock.read_text().strip() == str(proc.pid)  # the dead writer's pid stays behind
    done = run_child("add", *args, "--wait", "0", "--home", str(home))
    assert done.returncode == 0, done.stderr
    assert check_whole(home, versions(expected.values())) == set(expected)


def test_two_adds_at_once_both_land(tmp_path: Path, inputs: tuple[list[str], dict]) -> None:
    """Two real `add`s started together, each with a generous --wait: the second waits
    for the first, and the index ends with both inputs, each document once."""
    home = tmp_path / "home"
    (pages, jsonl), expected = inputs
    first = start("add", pages, "--wait", "120", "--home", str(home))
    second = start("add", jsonl, "--wait", "120", "--home", str(home))
    assert first.wait(timeout=300) == 0 and second.wait(timeout=300) == 0
    assert documents(home) == len(expected)
    assert check_whole(home, versions(expected.values())) == set(expected)


def test_two_adds_with_no_wait_one_may_give_up_with_one_line(
    tmp_path: Path, inputs: tuple[list[str], dict]
) -> None:
    """With --wait 0 the loser (if they overlap) exits 1 with the lock line; whatever
    happened, the index holds whole documents and rerunning completes the set."""
    home = tmp_path / "home"
    (pages, jsonl), expected = inputs
    cmds = [["add", pages], ["add", jsonl]]
    procs = [start_piped(*c, "--wait", "0", "--home", str(home)) for c in cmds]
    outcomes = [(p.communicate(timeout=300), p.returncode, p.pid) for p in procs]
    pids = {pid for _, _, pid in outcomes}
    for (_out, err), code, _pid in outcomes:
        if code != 0:
            assert code == 1
            lines = err.splitlines()
            assert len(lines) == 1 and LOCKED.match(lines[0]), err
            assert int(LOCKED.match(lines[0]).group(1)) in pids  # type: ignore[union-attr]
    check_whole(home, versions(expected.values()))
    for c in cmds:
        assert run_child(*c, "--home", str(home)).returncode == 0
    assert check_whole(home, versions(expected.values())) == set(expected)


def test_search_works_while_a_real_add_runs(tmp_path: Path, inputs: tuple[list[str], dict]) -> None:
    home = tmp_path / "home"
    (pages, jsonl), expected = inputs
    assert run_child("add", pages, "--home", str(home)).returncode == 0
    before = {h["id"] for h in listed(home)}
    proc = start("add", jsonl, "--home", str(home))
    searched = 0
    try:
        while proc.poll() is None:
            ids = check_whole(home, versions(expected.values()), growing=True)
            assert before <= ids  # documents already there never vanish mid-write
            searched += 1
    finally:
        code = proc.wait(timeout=300)
    assert code == 0
    assert searched >= 1, "the add finished before any search ran"
    assert check_whole(home, versions(expected.values())) == set(expected)


SLOW = 4  # pages of 1.5 s each: the first update holds its lock for 6 s or more


def test_second_update_says_another_update_is_running(tmp_path: Path) -> None:
    """`update` holds its own lock for the whole run: a second one started meanwhile
    exits 1 with one line, and the first completes undisturbed."""
    home = tmp_path / "home"
    page = (Path(__file__).parent / "fetch_site" / "kremlin_news_42376.html").read_bytes()
    with serve() as site:
        for n in range(SLOW):
            site.page(f"/slow/{n}", page.replace(b"42376", f"4237{n}".encode()), delay=1.5)
        slow = [site.url(f"/slow/{n}") for n in range(SLOW)]
        site.page(
            "/feed.xml",
            rss(slow, [str(n) for n in range(SLOW)]),
            content_type="application/rss+xml",
        )
        assert (
            run_child("sources", "add", site.url("/feed.xml"), "--home", str(home)).returncode == 0
        )
        with running_update(site, home, "/slow/0") as first:  # it holds its lock now
            second = run_child("update", *FAST_UPDATE, "--home", str(home))
            _out, err = first.communicate(timeout=120)
    assert second.returncode == 1 and second.stdout == ""
    assert second.stderr.splitlines() == [
        f"Error: another `statements update` is running on {home} "
        "(wait for it to finish, then run update again)"
    ]
    assert first.returncode == 0, err
    assert documents(home) == SLOW


FORKING_HOLDER = (
    "import multiprocessing, pathlib, sys, time\n"
    "from statements.index.lock import WriteLock\n"
    "WriteLock(pathlib.Path(sys.argv[1]), wait=0).acquire()\n"
    "worker = multiprocessing.get_context('fork').Process(target=time.sleep, args=(600,))\n"
    "worker.start()\n"
    "print(worker.pid, flush=True)\n"
    "time.sleep(600)\n"
)


def _gone(pid: int, within: float = 10.0) -> bool:
    from statements.index.lock import pid_alive

    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_a_worker_forked_by_the_lock_holder_neither_keeps_the_lock_nor_outlives_it(
    tmp_path: Path, inputs: tuple[list[str], dict], how: str
) -> None:
    """The mechanism behind Whoosh's writer workers: a process holding the write lock
    forks a worker (as multiprocessing does), then only the holder is killed. The lock
    is free at once (the worker never held the descriptor) and the worker dies with
    its parent. The 2,000-document version with real `add` and `reindex` runs in
    `make reliability` (tests/test_crash.py)."""
    import os
    import signal

    home = tmp_path / "home"
    args, expected = inputs
    proc = subprocess.Popen(
        [sys.executable, "-c", FORKING_HOLDER, str(home)],
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        worker = int(proc.stdout.readline())
        os.kill(proc.pid, getattr(signal, how))  # the holder only, not its group
        proc.wait(timeout=30)
        done = run_child("add", *args, "--wait", "5", "--home", str(home))
        assert done.returncode == 0, done.stderr
        assert _gone(worker), "the worker outlived its parent"
    finally:
        kill(proc)  # type: ignore[arg-type]
    assert check_whole(home, versions(expected.values())) == set(expected)


def test_a_lock_whose_recorded_holder_is_dead_is_taken_over_at_once(
    tmp_path: Path, inputs: tuple[list[str], dict]
) -> None:
    """A process still holds the flock but the pid in the file is dead (an orphan of a
    killed writer, as older versions left them): the next writer takes the lock over
    at once instead of waiting, and completes."""
    home = tmp_path / "home"
    args, expected = inputs
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    orphan = subprocess.Popen(
        [sys.executable, "-c", HOLD + "", str(home)],
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert orphan.stdout is not None and orphan.stdout.readline().strip() == "held"
        (home / LOCK_FILE).write_text(dead.stdout)  # the recorded writer is gone
        began = time.monotonic()
        done = run_child("add", *args, "--wait", "0", "--home", str(home))
        taken = time.monotonic() - began
        assert done.returncode == 0, done.stderr
        assert (home / LOCK_FILE).read_text().strip() != dead.stdout.strip()
    finally:
        kill(orphan)  # type: ignore[arg-type]
    assert check_whole(home, versions(expected.values())) == set(expected)
    print(f"taken over; the whole add took {taken:.1f} s")  # shown with -s


def test_a_paged_read_sees_one_state_while_writers_replace_the_index(
    tmp_path: Path, inputs: tuple[list[str], dict]
) -> None:
    """Pages of one snapshot, read while an `add` adds documents, a `reindex` replaces
    the generation and another `add` drops replaced generations: every id of the
    state at the start comes exactly once, nothing of what was added meanwhile, and
    the generation being read is not deleted under the reader."""
    from dataclasses import replace

    from statements.index.library import Library
    from statements.index.models import SearchRequest

    home = tmp_path / "home"
    args, expected = inputs
    assert run_child("add", *args, "--home", str(home)).returncode == 0
    base = next(iter(expected.values()))
    new = tmp_path / "new.jsonl"
    new.write_text(
        "".join(
            base.with_(
                id=f"new-{n}", url=f"https://example.org/new-{n}", title=f"New {n}"
            ).to_json()
            + "\n"
            for n in range(30)
        ),
        encoding="utf-8",
    )
    request = SearchRequest(query="*", limit=7, all_copies=True, snippets=False)
    ids: list[str] = []
    with Library(home) as lib, lib.snapshot():
        first = lib.search(request)
        ids += [h.id for h in first.hits]
        for writer in (["add", str(new)], ["reindex"], ["add", *args]):
            done = run_child(*writer, "--home", str(home))
            assert done.returncode == 0, done.stderr
        page = 2
        while (page - 1) * request.limit < first.total:
            ids += [h.id for h in lib.search(replace(request, page=page)).hits]
            page += 1
    assert len(ids) == len(set(ids)), "an id came twice"
    assert set(ids) == set(expected)
    assert documents(home) == len(expected) + 30
    # the reader is gone: the next writer removes the generation it kept
    assert run_child("add", *args, "--home", str(home)).returncode == 0
    assert len(list(home.glob("gen-*"))) == 1


STRESS_SECONDS = float(os.environ.get("STATEMENTS_STRESS_SECONDS", "6"))


def test_readers_against_writers(tmp_path: Path, inputs: tuple[list[str], dict]) -> None:
    """Writers in loops (`add` of changing versions, `reindex`) beside reader loops
    (`search`, `show`, `stats`, a jsonl export) for STATEMENTS_STRESS_SECONDS (6; 60 in
    `make reliability`): no reader fails, and every export lists each id once."""
    import threading

    home = tmp_path / "home"
    args, expected = inputs
    assert run_child("add", *args, "--home", str(home)).returncode == 0
    changed = tmp_path / "changed.jsonl"
    changed.write_text(
        "".join(
            r.with_(text=r.text + "\n\nChanged.").to_json() + "\n"
            for r in list(expected.values())[:20]
        ),
        encoding="utf-8",
    )
    stop = time.monotonic() + STRESS_SECONDS
    failures: list[str] = []
    counts = {"reads": 0, "writes": 0}

    def loop(kind: str, commands: list[list[str]]) -> None:
        n = 0
        while time.monotonic() < stop:
            cmd = commands[n % len(commands)]
            n += 1
            done = (
                run_child(*cmd, "--wait", "120", "--home", str(home))
                if kind == "writes"
                else run_child(*cmd, "--home", str(home))
            )
            counts[kind] += 1
            if done.returncode != 0:
                failures.append(f"{cmd}: {done.stderr.strip()[-300:]}")
            elif cmd[-1] == "jsonl":
                got = [json.loads(line)["id"] for line in done.stdout.splitlines()]
                if len(got) != len(set(got)):
                    failures.append("an export listed an id twice")

    writers = [
        ("writes", [["add", str(changed)], ["add", *args]]),
        ("writes", [["reindex"]]),
    ]
    readers = [
        ("reads", [["search", "security", "--facet", "speaker"]]),
        ("reads", [["search", "*", "--all-copies", "--format", "jsonl"]]),
        ("reads", [["show", STATE_245386], ["stats"]]),
    ]
    threads = [threading.Thread(target=loop, args=job) for job in writers + readers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(
        f"readers vs writers: {counts['reads']} reads, {counts['writes']} writes, "
        f"{len(failures)} failures"
    )  # shown with -s
    assert not failures, failures[:3]
    assert counts["reads"] >= 3 and counts["writes"] >= 2


def test_sources_add_waits_for_a_running_update(tmp_path: Path) -> None:
    """`sources add` takes the lock `update` holds for its whole run (the same
    mechanism as the index's write lock), so it never writes sources.json while an
    update may rewrite it: it waits, and goes on once the update's lock is gone."""
    home = tmp_path / "home"
    hold = (
        "import pathlib, sys, time\n"
        "from statements.index.lock import update_lock\n"
        "update_lock(pathlib.Path(sys.argv[1])).acquire()\n"
        "print('held', flush=True)\n"
        "time.sleep(600)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", hold, str(home)],
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        adding = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "statements.search.cli",
                "sources",
                "add",
                "https://www.state.gov/rss-feed/press-releases/feed/",
                "--home",
                str(home),
            ],
            cwd=ROOT,
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        with pytest.raises(subprocess.TimeoutExpired):
            adding.wait(timeout=2)  # waiting for the update's lock
        assert not (home / "sources.json").exists()
        kill(proc)  # type: ignore[arg-type]
        _out, err = adding.communicate(timeout=60)
    finally:
        kill(proc)  # type: ignore[arg-type]
    assert adding.returncode == 0, err
    assert (home / "sources.json").exists()


def test_sources_remove_during_a_running_update_loses_neither_change(tmp_path: Path) -> None:
    """A `sources remove` started while `update` runs (slow pages on a real server)
    waits for the update's lock and then writes: the removed source stays removed
    (sources.json, and its feed in the fetch state), and what the update did stays
    done (its fetch state for the pages it indexed, and the documents)."""
    home = tmp_path / "home"
    page = (Path(__file__).parent / "fetch_site" / "kremlin_news_42376.html").read_bytes()
    slow, other = 2, 2
    with serve() as site:

        def feed(path: str, links: list[str]) -> str:
            return site.page(path, rss(links), content_type="application/rss+xml")

        kept = [
            site.page(f"/slow/{n}", page.replace(b"42376", f"5237{n}".encode()), delay=1.5)
            for n in range(slow)
        ]
        gone = [
            site.page(f"/other/{n}", page.replace(b"42376", f"6237{n}".encode()))
            for n in range(other)
        ]
        kept_feed, gone_feed = feed("/kept.xml", kept), feed("/gone.xml", gone)
        for url, name in ((kept_feed, "kept"), (gone_feed, "gone")):
            added = run_child("sources", "add", url, "--name", name, "--home", str(home))
            assert added.returncode == 0, added.stderr
        with running_update(site, home, "/slow/0") as updating:  # it holds its lock now
            removed = run_child("sources", "remove", "gone", "--home", str(home))
            _out, err = updating.communicate(timeout=120)
    assert updating.returncode == 0, err
    assert removed.returncode == 0, removed.stderr
    registry = json.loads((home / "sources.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in registry["sources"]] == ["kept"]
    state = json.loads((home / "fetch-state.json").read_text(encoding="utf-8"))
    assert gone_feed not in state["feeds"] and kept_feed in state["feeds"]
    for url in kept:
        assert state["pages"][url]["statement_id"], url
    assert documents(home) == slow + other
