"""An open index: the searchers, facet table and record store of one generation.

`Library` keeps one `Snapshot` open between reads and refreshes it when a writer
committed to the same generation; a reindex (a new generation) opens a new one.
The reader's lease on the generation (index.home.lease_current) keeps a writer
from deleting the generation while a snapshot of it is open.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from statements.index import home as homes
from statements.index.errors import REINDEX_FIX, IndexDamagedError, damaged, empty_index
from statements.index.facets import FacetTable, load_or_build
from statements.index.store import RECORDS_FILE, RecordStore
from statements.index.writer import open_index
from statements.scraper.errors import StatementsError

if TYPE_CHECKING:
    from whoosh.searching import Searcher


@dataclass(frozen=True)
class Snapshot:
    """One view of the live generation: what every read of the index goes through."""

    generation: Path  # the generation folder
    searcher: Searcher  # the documents (whoosh/)
    table: FacetTable  # per-document columns: ids, dates, speakers, copy groups
    store: RecordStore  # the full records (records.sqlite)

    def refreshed(self) -> Snapshot:
        """The same generation with what writers committed since (self when nothing)."""
        searcher = self.searcher.refresh()
        if searcher is self.searcher:
            return self
        table = load_or_build(self.generation, searcher.reader())
        return replace(self, searcher=searcher, table=table)

    def close(self) -> None:
        self.searcher.close()
        self.store.close()


def open_snapshot(home: Path) -> tuple[Snapshot, int]:
    """A snapshot of the live generation and the lease that keeps it (a descriptor to
    give to `home.release_lease` once the snapshot is closed)."""
    leased = homes.lease_current(home)
    if leased is None:
        raise empty_index()
    generation, lease = leased  # the live one now (it may have moved on)
    try:
        return _open(home, generation), lease
    except BaseException:
        homes.release_lease(lease)
        raise


def _open(home: Path, generation: Path) -> Snapshot:
    main = open_index(generation)
    with damage_guard(home, f"the index in {generation} is damaged", REINDEX_FIX):
        searcher = main.searcher()
        table = load_or_build(generation, searcher.reader())
    records = generation / RECORDS_FILE
    with read_guard(generation):
        store = None
        if records.is_file():
            store = RecordStore(records)
            if not store.ready():  # its first writer was killed before the table
                store.close()
                store = None
        if store is None:
            if any(rid is not None for rid in table.ids):
                raise damaged(generation, f"{RECORDS_FILE} is missing")
            # No document yet (the first add indexed nothing, or was killed before it
            # wrote one): an empty store in memory, since a reader creates no files.
            store = RecordStore(Path(":memory:"), create=True)
    return Snapshot(generation, searcher, table, store)


def read_guard(generation: Path) -> AbstractContextManager[None]:
    """A failure while reading index files (truncated segment, torn SQLite page) becomes
    one clear error naming the repair, instead of an internal error. The message says
    "may be" and what to do if the repair does not help (then it was a bug)."""
    return damage_guard(
        generation.parent,
        f"could not read the index in {generation}",
        "run `statements reindex` to rebuild it from the stored captures; if the error "
        "stays, rerun with --debug and report it",
        after="; it may be damaged",
    )


@contextmanager
def damage_guard(home: Path, failed: str, fix: str, *, after: str = "") -> Iterator[None]:
    """A failure inside the block that is neither ours (a StatementsError) nor the
    disk's (full, read-only: index.home.os_problem) becomes one IndexDamagedError:
    "<failed> (<the exception, in short>)<after>", with `fix`. Damage shows as many
    exception types (OSError, TypeError, EOFError, sqlite3.DatabaseError, ...)."""
    try:
        yield
    except StatementsError:
        raise
    except Exception as exc:
        problem = homes.os_problem(exc, home)
        if problem is not None:
            raise problem from exc
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        raise IndexDamagedError(f"{failed} ({detail}){after}", fix) from exc
