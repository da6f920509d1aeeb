"""One writer at a time per data home, waiting a bounded time for the other.

The lock is an OS advisory lock (`flock`) on a file in the home: `write.lock` for
the index, `update.lock` for the fetch state and the sources registry (`update`
holds it for its whole run, `sources add/remove` for their write). The kernel drops
a flock when the last descriptor of its open file goes, however its process dies,
so a lock left by a killed process is recovered without anyone deleting files.

Two things could still keep a dead writer's lock alive, and both are closed here:

- Processes forked while the lock is held (Whoosh's writer workers) would inherit
  the descriptor and hold the lock as long as they live. An at-fork hook closes the
  lock descriptors in every child, asks the kernel to kill the child when its parent
  dies (PR_SET_PDEATHSIG, Linux), and makes Ctrl-C end it quietly: the parent
  reports the interruption once.
- A lock held by someone else than the pid recorded in it, where that pid is dead
  (an orphan of an older version, or of a process killed between fork and the
  hook): it is taken over at once. The file is unlinked under a short lock on the
  home folder, so two takers cannot both win, and a holder checks after locking
  that its file is still the one in the folder.

The holder's pid is written into the file to say who is writing, and to tell a
live holder from a dead one.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from statements.scraper.errors import StatementsError

LOCK_FILE = "write.lock"
UPDATE_LOCK_FILE = "update.lock"
DEFAULT_WAIT = 10.0
GRACE = 0.25  # seconds more when the holder's pid is not (yet, or any longer) in the file
POLL = 0.05

_held: set[int] = set()  # descriptors of the locks this process holds


class LockedError(StatementsError):
    """Another process holds the write lock longer than we were willing to wait."""


class WriteLock:
    """Context manager: `with WriteLock(home, wait=10): ...`.

    `name` picks the lock file; `busy` is the message when it stays taken (a
    function of the holder's pid, which may be None) with its fix.
    """

    def __init__(
        self,
        home: Path,
        wait: float = DEFAULT_WAIT,
        *,
        name: str = LOCK_FILE,
        busy: tuple[str, str] | None = None,
    ) -> None:
        self.home = Path(home)
        self.path = self.home / name
        self.wait = wait
        self.busy = busy
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            self._acquire()
        except OSError as exc:  # a read-only home or a full disk: say which
            from statements.index.home import os_problem

            problem = os_problem(exc, self.home)
            if problem is None:
                raise
            raise problem from None

    def _acquire(self) -> None:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
        deadline = time.monotonic() + max(self.wait, 0.0)
        grace = True
        dead_seen: tuple[int, int] | None = None  # (inode, pid) of a dead holder, once
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_pid(fd)
                inode = os.fstat(fd).st_ino
                if holder is not None and not pid_alive(holder):
                    if dead_seen == (inode, holder):
                        os.close(fd)
                        self._take_over(inode, holder)
                        dead_seen = None
                        continue
                    dead_seen = (inode, holder)  # seen twice, GRACE apart, before taking
                    os.close(fd)
                    time.sleep(GRACE)
                    continue
                if time.monotonic() >= deadline:
                    if holder is None and grace:
                        # No pid in the file: the holder has just taken the lock and not
                        # written it yet, or is releasing it. A moment more tells which
                        # (and takes the lock in the second case).
                        grace = False
                        deadline = time.monotonic() + GRACE
                        os.close(fd)
                        continue
                    os.close(fd)
                    raise self._busy_error(holder) from None
                os.close(fd)
                time.sleep(POLL)
                continue
            if not _same_file(fd, self.path):  # taken over (unlinked) after we opened it
                os.close(fd)
                continue
            break
        pid = f"{os.getpid()}\n".encode()
        try:
            os.pwrite(fd, pid, 0)  # write, then cut: the file is never seen empty here
            os.ftruncate(fd, len(pid))
        except OSError:  # a full disk: give the lock back, say why
            os.close(fd)
            raise
        self._fd = fd
        _held.add(fd)

    def _busy_error(self, holder: int | None) -> LockedError:
        if self.busy is not None:
            return LockedError(*self.busy)
        who = f" (pid {holder})" if holder else ""
        return LockedError(
            f"another process{who} is writing to the index in {self.path.parent}",
            "wait for it to finish, or pass --wait SECONDS to wait longer",
        )

    def _take_over(self, inode: int, dead: int) -> None:
        """Unlink a lock file whose recorded holder is dead, if it is still that file."""
        import fcntl

        guard = os.open(self.path.parent, os.O_RDONLY | os.O_CLOEXEC)
        try:
            fcntl.flock(guard, fcntl.LOCK_EX)
            try:
                fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
            except FileNotFoundError:
                return
            try:
                if os.fstat(fd).st_ino == inode and _read_pid(fd) == dead:
                    os.unlink(self.path)
            finally:
                os.close(fd)
        finally:
            os.close(guard)  # drops the folder lock

    def release(self) -> None:
        if self._fd is None:
            return
        import fcntl

        _held.discard(self._fd)
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


def pid_alive(pid: int) -> bool:
    """True when `pid` is a running process (a zombie, killed but not reaped, is dead)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[-1].split()[0]
        return state not in (b"Z", b"X")
    except (OSError, IndexError):
        return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else None
    except OSError:
        return None


# ---- forked children (Whoosh's writer workers) ----------------------------------------

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux only)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _quiet_interrupt(_signum: int, _frame: object) -> None:
    os._exit(130)  # the parent says "interrupted"; a worker's traceback would be noise


def _after_fork_in_child() -> None:
    if not _held:
        return
    parent = _parent
    for fd in list(_held):
        try:
            os.close(fd)  # the parent's lock must not outlive the parent
        except OSError:
            pass
    _held.clear()
    _die_with_parent()
    if parent is not None and os.getppid() != parent:  # the parent died before prctl
        os._exit(1)
    signal.signal(signal.SIGINT, _quiet_interrupt)


_parent: int | None = None


def _before_fork() -> None:
    global _parent
    _parent = os.getpid()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)


def update_lock(home: Path, wait: float = 0.0) -> WriteLock:
    """The lock `update` holds for its whole run (it rewrites the fetch state), and that
    `sources add/remove` take for their write, so neither overwrites the other's change.
    The write lock's mechanism on another file: an update holds it while it takes the
    write lock for each batch it adds."""
    return WriteLock(
        Path(home),
        wait,
        name=UPDATE_LOCK_FILE,
        busy=(
            f"another `statements update` is running on {home}",
            "wait for it to finish, then run update again",
        ),
    )
