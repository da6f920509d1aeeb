"""The index's errors, and the messages that name their fix.

Raised by the facade (index.library), the open snapshot (index.snapshot) and the
writers (index.writer); kept apart so that each can raise them without importing
the others.
"""

from __future__ import annotations

from pathlib import Path

from statements.scraper.errors import StatementsError

REINDEX_FIX = "run `statements reindex` to rebuild it from the stored captures"


class IndexDamagedError(StatementsError):
    """The index files cannot be read."""


class NotFoundError(StatementsError):
    """No document with the id asked for."""


class NoIndexError(StatementsError):
    """The data home holds no index: nothing was ever added there."""


def damaged(generation: Path, what: str) -> IndexDamagedError:
    return IndexDamagedError(f"the index in {generation} is damaged ({what})", REINDEX_FIX)


def no_index(home: Path) -> NoIndexError:
    where = "does not exist" if not home.exists() else "holds no index yet"
    return NoIndexError(
        f"the data folder {home} {where}",
        "add statements first with `statements add PATH`, "
        "or point --home / STATEMENTS_HOME at your data folder",
    )


def not_found(rid: str) -> NotFoundError:
    return NotFoundError(
        f"no document with id {rid!r}",
        "find ids with `statements search QUERY --format json`",
    )


def empty_index() -> NotFoundError:
    """The live generation vanished between checking for it and opening it."""
    return NotFoundError("the index is empty", "add documents with `statements add`")
