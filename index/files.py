"""How files of the data home are replaced and set aside: one way each.

- `atomic_write`: a temp file beside the target, flushed to disk, then renamed
  over it, so a killed process leaves the old file or the new one, never half of
  one. Used for CURRENT, sources.json, fetch-state.json, watches.json and the
  facet cache (the cache skips the fsync: a torn cache is only rebuilt).
- `set_aside`: a damaged file is renamed to `<name>.damaged`, or `.damaged-2`,
  `-3`... when an earlier one is there: an earlier set-aside file is never
  overwritten, since it may be the only copy of the user's data.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

DAMAGED = ".damaged"


def atomic_write(path: Path, text: str | bytes, *, durable: bool = True, mode: int = 0o666) -> None:
    """Replace `path` with `text` (a str is written in UTF-8) so that readers see the old
    file or the new one. `durable=False` skips the fsyncs (for caches); `mode` is the new
    file's mode before the umask (the user's own lists are 0o600: readable by the owner
    only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # a name no other writer uses (process, thread, chance)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
        with open(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:  # the rename itself reaches the disk with its folder
        with contextlib.suppress(OSError):  # a file system that cannot sync a folder
            dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


def atomic_write_json(path: Path, data: Any) -> None:
    """`atomic_write` of `data` as the indented, key-sorted JSON the home's files use."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    atomic_write(path, text + "\n", mode=0o600)


def set_aside(path: Path, sides: tuple[str, ...] = ()) -> Path:
    """Rename a damaged file to the first free `<name>.damaged[-N]` and return the new
    path; the files named `<name><side>` (SQLite's "-wal", "-shm") follow it."""
    target = path.with_name(path.name + DAMAGED)
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}{DAMAGED}-{n}")
    os.replace(path, target)
    for suffix in sides:
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    return target
