"""One writer at a time per data home, waiting a bounded time for the other.

The lock is an OS advisory lock (`flock`) on `<home>/write.lock`: the kernel
drops it when its process dies, however it dies, so a lock left by a killed
process is recovered without anyone deleting files. The holder's pid is
written into the file only to say who is writing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from scraper.errors import StatementsError

LOCK_FILE = "write.lock"
DEFAULT_WAIT = 10.0
GRACE = 0.25  # seconds more when the holder's pid is not (yet, or any longer) in the file


class LockedError(StatementsError):
    """Another process holds the write lock longer than we were willing to wait."""


class WriteLock:
    """Context manager: `with WriteLock(home, wait=10): ...`."""

    def __init__(self, home: Path, wait: float = DEFAULT_WAIT) -> None:
        self.path = home / LOCK_FILE
        self.wait = wait
        self._fd: int | None = None

    def acquire(self) -> None:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + max(self.wait, 0.0)
        grace = True
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read_pid(fd)
                    if holder is None and grace:
                        # No pid in the file: the holder has just taken the lock and not
                        # written it yet, or is releasing it. A moment more tells which
                        # (and takes the lock in the second case).
                        grace = False
                        deadline = time.monotonic() + GRACE
                        continue
                    os.close(fd)
                    who = f" (pid {holder})" if holder else ""
                    raise LockedError(
                        f"another process{who} is writing to the index in {self.path.parent}",
                        "wait for it to finish, or pass --wait SECONDS to wait longer",
                    ) from None
                time.sleep(0.05)
        pid = f"{os.getpid()}\n".encode()
        os.pwrite(fd, pid, 0)  # write, then cut: the file is never seen empty here
        os.ftruncate(fd, len(pid))
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        import fcntl

        try:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> WriteLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else None
    except OSError:
        return None
