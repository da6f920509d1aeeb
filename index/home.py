"""Where the index lives: the data home and the generations inside it.

Layout of a data home (every path below is derived here, nowhere else):

    <home>/CURRENT            name of the live generation ("gen-000001"), swapped atomically
    <home>/gen-000001/        one complete index: whoosh/ (documents), turns/ (speaker
                              turns), records.sqlite (full records), facets cache files,
                              aliases.sha256 (digest of the alias files it was built with)
    <home>/captures/ab/<sha>  original captures, named by a hash of the id (never the id)
    <home>/write.lock         held (flock) by the one process that writes

`reindex` builds a new generation beside the live one and only then rewrites
CURRENT, so a crash at any moment leaves the old index in place.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "STATEMENTS_HOME"
CURRENT = "CURRENT"
GEN_PREFIX = "gen-"
ALIAS_STAMP = "aliases.sha256"


def resolve_home(flag: Path | None = None) -> Path:
    """The data home: --home DIR, else $STATEMENTS_HOME, else the per-user data dir."""
    if flag is not None:
        return Path(flag).expanduser()
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("statements", appauthor=False))


def current_generation(home: Path) -> Path | None:
    """The live generation directory, or None when nothing was indexed yet."""
    try:
        name = (home / CURRENT).read_text(encoding="utf-8", errors="replace").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    path = home / name
    if not name.startswith(GEN_PREFIX) or "/" in name or "\\" in name or not path.is_dir():
        # CURRENT is only ever replaced atomically: one that names no generation was
        # damaged. Treating it as "no index" would let the next `add` start an empty
        # index and drop the real one as stale.
        from index.writer import IndexDamagedError

        raise IndexDamagedError(
            f"{home / CURRENT} is damaged (it names no index generation: {name[:40]!r})",
            "run `statements reindex` to rebuild the index from the stored captures",
        )
    return path


def new_generation(home: Path) -> Path:
    """Create and return a fresh, empty generation directory (not yet live)."""
    numbers = [int(p.name[len(GEN_PREFIX) :]) for p in _generations(home)]
    number = max(numbers, default=0) + 1
    while True:
        path = home / f"{GEN_PREFIX}{number:06d}"
        try:
            path.mkdir(parents=True)
            return path
        except FileExistsError:
            number += 1


def make_current(home: Path, generation: Path) -> None:
    """Point CURRENT at `generation` atomically (write a temp file, then rename)."""
    tmp = home / f".{CURRENT}.{os.getpid()}.tmp"
    tmp.write_text(generation.name + "\n", encoding="utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, home / CURRENT)


def stale_generations(home: Path) -> list[Path]:
    """Generation directories that are not live (left by a swap or an interrupted build)."""
    live = current_generation(home)
    return [p for p in _generations(home) if live is None or p.name != live.name]


def _generations(home: Path) -> list[Path]:
    if not home.is_dir():
        return []
    out = []
    for p in home.iterdir():
        if p.is_dir() and p.name.startswith(GEN_PREFIX) and p.name[len(GEN_PREFIX) :].isdigit():
            out.append(p)
    return sorted(out)
