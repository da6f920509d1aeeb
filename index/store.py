"""Side stores: full records and original captures, each in one SQLite file.

Whoosh keeps only what search needs; the full record (body text, turns) is
read from `records.sqlite` for the few hits shown, for `show`, and for the
snippets. The capture store keeps each document's original bytes so that
`reindex` can rebuild everything with the current extractor.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from statements.index.packing import compress_json, pack, record_json, unpack
from statements.scraper.record import Statement

RECORDS_FILE = "records.sqlite"


class RecordStore:
    """Records by id in one SQLite file (WAL, so readers never wait for a writer)."""

    def __init__(self, path: Path, *, create: bool = False) -> None:
        """Open the store; only a writer creates it (a reader finding none is told so)."""
        self.path = path
        # Readers open it read-only. WAL readers still write the `-shm` index beside it;
        # in a folder nobody can write (a read-only home) it is opened immutable instead.
        mode = "rwc" if create else "ro"
        self._db = sqlite3.connect(
            f"file:{path}?mode={mode}", uri=True, timeout=30, isolation_level=None
        )
        if not create and str(path) != ":memory:":
            try:
                self._db.execute("SELECT count(*) FROM sqlite_master").fetchall()
            except sqlite3.OperationalError:
                # A writer killed mid-transaction left a WAL that the next connection must
                # recover, which a read-only one cannot: where the folder can be written,
                # open it read-write as readers did before; where not, immutable.
                from statements.index.home import writable

                self._db.close()
                options = "mode=rw" if writable(path.parent) else "mode=ro&immutable=1"
                self._db = sqlite3.connect(
                    f"file:{path}?{options}", uri=True, timeout=30, isolation_level=None
                )
        if create:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, json TEXT NOT NULL)"
            )

    def close(self) -> None:
        self._db.close()

    def ready(self) -> bool:
        """Does the file hold the records table? (Not when its creator was killed between
        creating the file and the table: then nothing was stored in it yet.)"""
        row = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'records'"
        ).fetchone()
        return row is not None

    def begin_read(self) -> None:
        """Start a read transaction: until `end_read`, reads see this moment's records
        (WAL keeps them for us while writers commit)."""
        self._db.execute("BEGIN")
        self._db.execute("SELECT 1 FROM records LIMIT 1").fetchall()

    def end_read(self) -> None:
        if self._db.in_transaction:
            self._db.execute("COMMIT")

    def put_many(self, records: Iterable[Statement]) -> None:
        self.put_rows((r.id, r.to_json()) for r in records)

    def put_rows(self, items: Iterable[tuple[str, str]]) -> None:
        """Store (id, record JSON as `Statement.to_json` gives it) rows in one transaction.

        The JSON is stored compressed (a BLOB in the `json` column, index.packing): the
        records were the largest part of an index, each holding its text twice (body
        and turns)."""
        self.put_compressed((rid, compress_json(text)) for rid, text in items)

    def put_compressed(self, items: Iterable[tuple[str, bytes]]) -> None:
        """Store (id, `compress_json` of the record JSON) rows in one transaction."""
        rows = list(items)
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO records (id, json) VALUES (?, ?)", rows)

    def delete(self, ids: Iterable[str]) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM records WHERE id = ?", [(i,) for i in ids])

    def get(self, rid: str) -> Statement | None:
        row = self._db.execute("SELECT json FROM records WHERE id = ?", (rid,)).fetchone()
        return Statement.from_dict(json.loads(record_json(row[0]))) if row else None

    def get_many(self, ids: list[str], turns: bool = True) -> dict[str, Statement]:
        out: dict[str, Statement] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for rid, text in self._db.execute(
                f"SELECT id, json FROM records WHERE id IN ({marks})", chunk
            ):
                data = json.loads(record_json(text))
                if not turns:  # a scan of the text only (trace): building turns cost more
                    data["turns"] = []
                out[rid] = Statement.from_dict(data)
        return out

    def iter_all(self) -> Iterator[Statement]:
        for (text,) in self._db.execute("SELECT json FROM records ORDER BY id"):
            yield Statement.from_dict(json.loads(record_json(text)))


@dataclass(frozen=True)
class Capture:
    """The original bytes a record was extracted from, with what the extractor needs."""

    data: bytes
    url: str | None = None
    content_type: str | None = None
    name: str | None = None


RECORD_CAPTURE = "application/x-statements-record+json"
CAPTURES_FILE = "captures.sqlite"


class CaptureStore:
    """Captures in one SQLite file beside the generations (`<home>/captures.sqlite`).

    Ids and URLs come from pages; kept as column values, they never become
    file paths, so they can neither escape the folder nor exceed a name
    limit. Each write is a transaction: a crash never leaves half a capture.
    (One file per capture cost two small files per document: 40,000 files
    and 290 MB of blocks for 20,000 documents.)
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS captures (id TEXT PRIMARY KEY, url TEXT, "
                "content_type TEXT, name TEXT, data BLOB NOT NULL)"
            )
            # ids being removed: their capture is gone, the index may still hold them
            db.execute("CREATE TABLE IF NOT EXISTS removed (id TEXT PRIMARY KEY)")
            self._db = db
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def put_many(self, items: Iterable[tuple[str, Capture]]) -> None:
        """Store captures in one transaction, their bytes compressed (`pack`)."""
        self.put_stored((rid, c.url, c.content_type, c.name, pack(c.data)) for rid, c in items)

    def put_stored(
        self, items: Iterable[tuple[str, str | None, str | None, str | None, bytes]]
    ) -> None:
        """Store (id, url, content type, name, bytes as `pack` gives them) rows in one
        transaction."""
        rows = list(items)
        db = self._conn()
        with db:
            db.execute("BEGIN")
            db.executemany("INSERT OR REPLACE INTO captures VALUES (?, ?, ?, ?, ?)", rows)
            db.executemany("DELETE FROM removed WHERE id = ?", [(r[0],) for r in rows])

    @staticmethod
    def of_record(record: Statement) -> Capture:
        """The capture of a record that came without a page (JSONL, the library API)."""
        return Capture(record.to_json().encode("utf-8"), record.url, RECORD_CAPTURE)

    def delete(self, rid: str) -> None:
        db = self._conn()
        with db:
            db.execute("BEGIN")
            db.execute("DELETE FROM captures WHERE id = ?", (rid,))

    def pages(self, ids: Iterable[str]) -> set[str]:
        """Those of `ids` whose stored capture is a page, not a record."""
        wanted = list(ids)
        if not wanted or not self.path.exists():
            return set()
        out: set[str] = set()
        db = self._conn()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = db.execute(
                f"SELECT id FROM captures WHERE id IN ({marks}) "
                "AND (content_type IS NULL OR content_type != ?)",
                [*chunk, RECORD_CAPTURE],
            )
            out.update(rid for (rid,) in rows)
        return out

    def mark_removed(self, ids: Iterable[str]) -> None:
        """First step of a remove, in one transaction: the captures go and the ids are
        noted as being removed, so a remove killed later is finished by the next writer
        (and `reindex` cannot bring the documents back from their captures)."""
        keys = [(i,) for i in ids]
        db = self._conn()
        with db:
            db.execute("BEGIN")
            db.executemany("DELETE FROM captures WHERE id = ?", keys)
            db.executemany("INSERT OR IGNORE INTO removed (id) VALUES (?)", keys)

    def pending_removals(self) -> list[str]:
        """Ids whose remove started and has not been seen to finish."""
        if not self.path.exists():
            return []
        try:
            return [r[0] for r in self._conn().execute("SELECT id FROM removed ORDER BY id")]
        except sqlite3.DatabaseError:  # a damaged store: reindex sets it aside, add says so
            return []

    def removal_done(self, ids: Iterable[str]) -> None:
        keys = [(i,) for i in ids]
        db = self._conn()
        with db:
            db.execute("BEGIN")
            db.executemany("DELETE FROM removed WHERE id = ?", keys)

    def iter_all(self) -> Iterator[tuple[str, Capture]]:
        """Every stored capture as (id, capture), in id order."""
        if not self.path.exists():
            return
        rows = self._conn().execute(
            "SELECT id, url, content_type, name, data FROM captures ORDER BY id"
        )
        for rid, url, content_type, name, data in rows:
            yield rid, Capture(unpack(bytes(data)), url, content_type, name)

    def count(self) -> int:
        if not self.path.exists():
            return 0
        return int(self._conn().execute("SELECT count(*) FROM captures").fetchone()[0])

    def size(self) -> int:
        return sum(
            p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file()
        )
