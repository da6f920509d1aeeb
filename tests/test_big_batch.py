"""Killing a 2,000+ document `add` or `reindex` (the writer's multi-process path) never
leaves the index locked: its worker processes die with it and never held the lock.

Each run starts the real command on 2,500 documents, waits until its worker processes
exist, then kills the command itself (not its process group: the workers are left to
fend for themselves, as after `kill PID` from another terminal) with SIGKILL or
SIGTERM, and checks that `add --wait 5` succeeds at once and that no worker outlives
it. Ctrl-C (SIGINT to the group, as a terminal sends it) must exit 130 without a
traceback from any worker. These runs take minutes, so they run in
`make reliability` only (STATEMENTS_RELIABILITY=1); `make test` keeps the
mechanism's fast test (tests/test_concurrency.py, a forking lock holder).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from reliability_helpers import (
    ROOT,
    big_batch,
    check_whole,
    child_env,
    children,
    command,
    default_sigint,
    run_child,
    versions,
)

from statements.index.lock import pid_alive
from statements.scraper.record import Statement, make_id

pytestmark = pytest.mark.skipif(
    os.environ.get("STATEMENTS_RELIABILITY") != "1", reason="make reliability only (minutes)"
)
N = int(os.environ.get("STATEMENTS_BIG_BATCH", "2500"))


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("big")
    records = big_batch(folder / "big.jsonl", N)
    return folder / "big.jsonl", {r.id: r for r in records}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, batch: tuple[Path, dict]) -> Path:
    home = tmp_path_factory.mktemp("built") / "home"
    done = run_child("add", str(batch[0]), "--home", str(home), timeout=1800)
    assert done.returncode == 0, done.stderr
    return home


def start_until_workers(args: list[str]) -> tuple[subprocess.Popen[str], list[int]]:
    proc = subprocess.Popen(
        command(*args),
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=default_sigint,
    )
    deadline = time.monotonic() + 1800
    while time.monotonic() < deadline and proc.poll() is None:
        workers = children(proc.pid)
        if len(workers) >= 2:
            time.sleep(1.0)  # let them take work
            return proc, children(proc.pid)
        time.sleep(0.05)
    pytest.fail(f"{args[0]} never started its worker processes: {proc.communicate()[1][-500:]}")


def after(batch: dict) -> Statement:
    """One more record, added after the kill; its id is its URL's, as `add` gives it."""
    url = "https://example.org/after/1"
    return next(iter(batch.values())).with_(id=make_id(url), url=url)


def small(tmp_path: Path, batch: dict) -> Path:
    path = tmp_path / "one.jsonl"
    path.write_text(after(batch).to_json() + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
@pytest.mark.parametrize("what", ["add", "reindex"])
def test_killing_a_big_batch_leaves_no_lock_and_no_orphan(
    tmp_path: Path, batch: tuple[Path, dict], built: Path, what: str, how: str
) -> None:
    import shutil

    path, records = batch
    home = tmp_path / "home"
    if what == "reindex":
        shutil.copytree(built, home)
        args = ["reindex", "--home", str(home)]
    else:
        args = ["add", str(path), "--home", str(home)]
    began = time.monotonic()
    proc, workers = start_until_workers(args)
    os.kill(proc.pid, getattr(signal, how))  # the command only; its workers stay
    proc.communicate(timeout=120)
    killed_at = time.monotonic() - began
    began = time.monotonic()
    done = run_child("add", str(small(tmp_path, records)), "--wait", "5", "--home", str(home))
    took = time.monotonic() - began
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(pid_alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if pid_alive(w)], "workers outlived the killed command"
    print(  # shown with -s
        f"{what} killed ({how}) {killed_at:.0f} s in with {len(workers)} workers; "
        f"add --wait 5 then took {took:.1f} s"
    )
    if what == "reindex":  # the old generation stayed live: nothing lost
        allowed = versions(records.values(), [after(records)])
        assert set(records) <= check_whole(home, allowed)


def test_ctrl_c_of_a_big_batch_prints_no_worker_traceback(
    tmp_path: Path, batch: tuple[Path, dict]
) -> None:
    path, _records = batch
    home = tmp_path / "home"
    proc, workers = start_until_workers(["add", str(path), "--home", str(home)])
    os.killpg(proc.pid, signal.SIGINT)
    _out, err = proc.communicate(timeout=300)
    assert "Traceback" not in err and "Process SubWriterTask" not in err, err[-2000:]
    assert proc.returncode in (130, -signal.SIGINT), (proc.returncode, err[-500:])
    assert err.splitlines()[-1:] in ([], ["Error: interrupted"]), err[-500:]
    assert not [w for w in workers if pid_alive(w)]
    done = run_child("add", str(path), "--wait", "5", "--home", str(home), timeout=1800)
    assert done.returncode == 0, done.stderr
