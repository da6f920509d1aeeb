"""index/files.py: the one atomic write and the one set-aside rule of the data home."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from statements.index.files import atomic_write, atomic_write_json, set_aside


def test_an_atomic_write_replaces_the_file_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "CURRENT"
    atomic_write(target, "gen-000001\n")
    atomic_write(target, "gen-000002\n")
    assert target.read_text(encoding="utf-8") == "gen-000002\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["CURRENT"]


def test_the_users_lists_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write_json(tmp_path / "sources.json", {"sources": []})
        atomic_write(tmp_path / "CURRENT", "gen-000001\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "sources.json").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "CURRENT").stat().st_mode) == 0o644
    assert json.loads((tmp_path / "sources.json").read_text(encoding="utf-8")) == {"sources": []}


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "watches.json"
    atomic_write(target, "old\n")
    # a lone surrogate cannot be written as UTF-8: the write fails half way
    with pytest.raises(UnicodeEncodeError):
        atomic_write(target, "new \ud800\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["watches.json"]


def test_set_aside_never_overwrites_an_earlier_one(tmp_path: Path) -> None:
    names = []
    for n in range(3):
        damaged = tmp_path / "captures.sqlite"
        damaged.write_text(f"copy {n}", encoding="utf-8")
        (tmp_path / "captures.sqlite-wal").write_text(f"wal {n}", encoding="utf-8")
        names.append(set_aside(damaged, ("-wal",)).name)
    assert names == [
        "captures.sqlite.damaged",
        "captures.sqlite.damaged-2",
        "captures.sqlite.damaged-3",
    ]
    for n, name in enumerate(names):
        assert (tmp_path / name).read_text(encoding="utf-8") == f"copy {n}"
        assert (tmp_path / f"{name}-wal").read_text(encoding="utf-8") == f"wal {n}"
    assert not (tmp_path / "captures.sqlite").exists()
