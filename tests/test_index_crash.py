"""Kill -9 an `add` and a `reindex` at random moments: the index must stay whole.

After each kill the index opens, a search returns only whole documents, and
running the command again completes with nothing missing and no duplicates.
Marked slow (about 20 process starts); run with `pytest -m slow`.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from index.library import Library, SearchRequest
from tests.index_helpers import RECORDS, load_records

ROOT = Path(__file__).resolve().parents[1]
EXE = ROOT / ".venv" / "bin" / "statements"


def start(*args: str, home: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "STATEMENTS_HOME": str(home)}
    return subprocess.Popen(
        [str(EXE), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def check_whole(home: Path, expected: set[str]) -> None:
    with Library(home) as lib:
        result = lib.search(SearchRequest(all_copies=True, limit=10_000))
        ids = [h.id for h in result.hits]
        assert len(ids) == len(set(ids)) == result.total
        assert set(ids) <= expected
        for hit in result.hits[:20]:
            assert lib.get(hit.id).title == hit.title


@pytest.mark.slow
@pytest.mark.skipif(not EXE.exists(), reason="the project is not installed in .venv")
def test_killed_add_and_reindex_leave_a_whole_index(tmp_path: Path) -> None:
    records = load_records()
    expected = {r.id for r in records}
    rng = random.Random(20261127)
    home = tmp_path / "home"
    for run in range(20):
        command = (
            ("reindex",) if run % 4 == 3 and (home / "CURRENT").exists() else ("add", str(RECORDS))
        )
        proc = start(*command, home=home)
        time.sleep(rng.uniform(0.2, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if (home / "CURRENT").exists():
            check_whole(home, expected)
    finish = subprocess.run(
        [str(EXE), "add", str(RECORDS)],
        env={**os.environ, "STATEMENTS_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finish.returncode == 0, finish.stderr
    with Library(home) as lib:
        result = lib.search(SearchRequest(all_copies=True, limit=10_000, snippets=False))
        assert sorted(h.id for h in result.hits) == sorted(expected)
        assert lib.stats()["documents"] == len(expected)
    again = subprocess.run(
        [str(EXE), "add", str(RECORDS)],
        env={**os.environ, "STATEMENTS_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.stderr == f"0 added, 0 updated, {len(expected)} unchanged, 0 failed\n"
    assert json.loads(
        subprocess.run(
            [str(EXE), "stats", "--format", "json"],
            env={**os.environ, "STATEMENTS_HOME": str(home)},
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
    )["documents"] == len(expected)
