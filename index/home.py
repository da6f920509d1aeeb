"""Where the index lives: the data home and the generations inside it.

Layout of a data home (the names of the files are constants beside the code that owns them):

    <home>/CURRENT            name of the live generation ("gen-000001"), swapped atomically
    <home>/gen-000001/        one complete index: whoosh/ (documents),
                              records.sqlite (full records), facets cache files,
                              aliases.sha256 (digest of the alias files it was built with)
    <home>/captures.sqlite    the original captures, what `reindex` rebuilds from
                              (index.store)
    <home>/write.lock         held (flock) by the one process that writes the index or
                              watches.json (index.lock)
    <home>/update.lock        held by `update` for its run, and by `sources add/remove`
    <home>/sources.json, fetch-state.json   followed sources (index.sources)
    <home>/watches.json       saved searches (index.watch)

Every file is replaced atomically, and a damaged one set aside, by index.files.

`reindex` builds a new generation beside the live one and only then rewrites
CURRENT, so a crash at any moment leaves the old index in place.

A data home may come from someone else. Its files are read as data only (JSON,
SQLite, Whoosh's pickles through a restricted unpickler), and, as git does with
`safe.directory`, a home owned by another user or writable by others is refused
unless the user says they trust it (`--trust-home`, STATEMENTS_TRUST_HOME).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from statements.scraper.errors import StatementsError

ENV_HOME = "STATEMENTS_HOME"
ENV_TRUST = "STATEMENTS_TRUST_HOME"  # "1": any home; or folders separated by ":"
CURRENT = "CURRENT"
GEN_PREFIX = "gen-"
ALIAS_STAMP = "aliases.sha256"


class HomeError(StatementsError):
    """The data home is not a folder this program can use."""


class UntrustedHomeError(StatementsError):
    """The data home belongs to another user or others may write to it."""


_trust = {"flag": False}  # --trust-home, set by the command line for this invocation


def trust_homes(flag: bool) -> None:
    _trust["flag"] = flag


def resolve_home(flag: Path | None = None) -> Path:
    """The data home: --home DIR, else $STATEMENTS_HOME, else the per-user data dir.

    Checked before use: an existing home must be a folder, and one owned by another
    user or writable by group or others is refused unless trusted (see `check_home`).
    """
    if flag is not None:
        home = Path(flag).expanduser()
    elif os.environ.get(ENV_HOME):
        home = Path(os.environ[ENV_HOME]).expanduser()
    else:
        from platformdirs import user_data_dir

        home = Path(user_data_dir("statements", appauthor=False))
    check_home(home)
    return home


def user_alias_files() -> list[Path]:
    """The user's alias files, in the order their rows apply (later rows win):
    `aliases.tsv` in the data home when it exists, then the file $STATEMENTS_ALIASES
    names (named explicitly, so a missing one is an error when it is read).

    The data home here is $STATEMENTS_HOME, else the per-user data dir, found as
    `resolve_home` finds it; a --home flag does not move the alias file (docs/speakers.md).
    Without a home directory at all there is simply no user file.
    """
    files: list[Path] = []
    candidate: Path | None
    if os.environ.get(ENV_HOME):
        candidate = Path(os.environ[ENV_HOME]).expanduser() / "aliases.tsv"
    else:
        try:
            from platformdirs import user_data_dir

            candidate = Path(user_data_dir("statements", appauthor=False)) / "aliases.tsv"
        except Exception:  # no home directory to place a per-user folder in
            candidate = None
    if candidate is not None and candidate.is_file():
        files.append(candidate)
    if os.environ.get("STATEMENTS_ALIASES"):
        files.append(Path(os.environ["STATEMENTS_ALIASES"]))
    return files


def check_home(home: Path) -> None:
    """Raise HomeError for a home that is not a folder, UntrustedHomeError for one that
    another user owns or others can write to (they could have put anything in it)."""
    try:
        info = home.stat()
    except FileNotFoundError:
        if home.is_symlink():
            raise HomeError(
                f"the data folder {home} is a link to {os.readlink(home)}, which does not exist",
                "create that folder, or point --home / STATEMENTS_HOME elsewhere",
            ) from None
        return  # created by the first writer
    except NotADirectoryError:
        raise HomeError(
            f"the data folder {home} is inside a file, not a folder",
            "point --home / STATEMENTS_HOME at a folder",
        ) from None
    except PermissionError:
        raise HomeError(
            f"the data folder {home} cannot be reached (permission denied)",
            "point --home / STATEMENTS_HOME at a folder you can read",
        ) from None
    if not stat.S_ISDIR(info.st_mode):
        raise HomeError(
            f"the data folder {home} is a file, not a folder",
            "point --home / STATEMENTS_HOME at a folder (a new one is created when missing)",
        )
    if _trusted(home):
        return
    fix = (
        "if you trust whoever can write there, pass --trust-home "
        f"(statements --trust-home COMMAND ...) or set {ENV_TRUST}=1"
    )
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise UntrustedHomeError(
            f"the data folder {home} belongs to another user (uid {info.st_uid}); "
            "refused, since opening a home reads files its owner wrote",
            fix,
        )
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        who = "everyone" if info.st_mode & stat.S_IWOTH else "its group"
        raise UntrustedHomeError(
            f"the data folder {home} is writable by {who}; refused, since anyone who can "
            "write there chooses what this program reads",
            f"run `chmod go-w {home}`, or {fix}",
        )


class DiskFullError(StatementsError):
    """The disk holding the data home has no space left."""


class ReadOnlyError(StatementsError):
    """The data home cannot be written (a read-only mount, or no permission)."""


_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


def os_problem(exc: BaseException, home: Path | None = None) -> StatementsError | None:
    """What really happened, when a failure is the disk's and not the index's: a full
    disk (ENOSPC, SQLite's "disk is full") or a home that cannot be written (EROFS,
    EACCES, SQLite's "readonly database"). None when it is something else (damage)."""
    where = f" {home}" if home is not None else ""
    seen: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in seen and len(seen) < 8:
        seen.append(cause)
        cause = cause.__cause__ or cause.__context__
    for e in seen:
        number = getattr(e, "errno", None) if isinstance(e, OSError) else None
        text = str(e).lower()
        filename = getattr(e, "filename", None)
        what = f" ({filename})" if filename else ""
        if number in _FULL or "disk is full" in text:
            return DiskFullError(
                f"the disk holding the data folder{where} is full{what}",
                "free some space, then run the command again (what was written is whole: "
                "a write either completed or left the index as it was)",
            )
        if number in _READ_ONLY or "readonly database" in text or "read-only" in text:
            return ReadOnlyError(
                f"the data folder{where} is read-only{what}",
                "searching it still works; to add, remove or reindex, copy it somewhere "
                "writable and point --home there",
            )
    if home is not None and any("disk i/o error" in str(e).lower() for e in seen):
        try:
            import shutil

            if shutil.disk_usage(home).free < 1024 * 1024:
                return os_problem(OSError(errno.ENOSPC, "No space left on device"), home)
        except OSError:
            pass
    unopened = any("unable to open database" in str(e).lower() for e in seen)
    if home is not None and unopened and not writable(home):
        return os_problem(OSError(errno.EROFS, "Read-only file system"), home)
    return None


def writable(folder: Path) -> bool:
    """Can files be created in `folder`? (os.access, and statvfs for read-only mounts,
    which os.access does not see for root.)"""
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return False
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def _trusted(home: Path) -> bool:
    if _trust["flag"]:
        return True
    value = os.environ.get(ENV_TRUST, "").strip()
    if value in ("", "0"):
        return False
    if value in ("1", "*"):
        return True
    try:
        here = home.resolve()
        return any(Path(p).expanduser().resolve() == here for p in value.split(os.pathsep) if p)
    except OSError:
        return False


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
        from statements.index.errors import IndexDamagedError

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
    """Point CURRENT at `generation` atomically (index.files.atomic_write)."""
    from statements.index.files import atomic_write

    atomic_write(home / CURRENT, generation.name + "\n")


def lease_current(home: Path) -> tuple[Path, int] | None:
    """The live generation with a reader's lease on it: (path, descriptor to close).

    The lease is a shared `flock` on the generation folder itself, so it needs no
    file and works in a read-only home; writers delete a replaced generation only
    when they can lock it exclusively (`remove_generation`), so a generation a
    reader has open never vanishes under it. Returns None when nothing is indexed.
    """
    import fcntl

    for _attempt in range(100):
        generation = current_generation(home)
        if generation is None:
            return None
        try:
            fd = os.open(generation, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except FileNotFoundError:
            continue  # replaced and removed since CURRENT was read: read it again
        fcntl.flock(fd, fcntl.LOCK_SH)  # waits only while a writer is removing it
        if os.fstat(fd).st_nlink == 0 or not generation.is_dir():
            os.close(fd)  # removed while we waited: it is no longer live
            continue
        return generation, fd
    raise OSError(f"the live index generation in {home} changed 100 times while opening it")


def release_lease(fd: int) -> None:
    os.close(fd)  # closing drops the shared lock


def remove_generation(path: Path) -> bool:
    """Delete a generation that is not live, unless a reader holds a lease on it
    (then it stays for a later writer to remove). Returns True when removed."""
    import fcntl
    import shutil

    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:
        return True
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # a reader has it open
        shutil.rmtree(path, ignore_errors=True)
        return not path.exists()
    finally:
        os.close(fd)


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
