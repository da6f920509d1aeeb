"""Side stores: full records in SQLite, original captures as files.

Whoosh keeps only what search needs; the full record (body text, turns) is
read from `records.sqlite` for the few hits shown, for `show`, and for the
snippets. The capture store keeps each document's original bytes so that
`reindex` can rebuild everything with the current extractor.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from scraper.record import Statement

RECORDS_FILE = "records.sqlite"


class RecordStore:
    """Records by id in one SQLite file (WAL, so readers never wait for a writer)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, json TEXT NOT NULL)"
        )

    def close(self) -> None:
        self._db.close()

    def put_many(self, records: Iterable[Statement]) -> None:
        rows = [(r.id, r.to_json()) for r in records]
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO records (id, json) VALUES (?, ?)", rows)

    def delete(self, ids: Iterable[str]) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM records WHERE id = ?", [(i,) for i in ids])

    def get(self, rid: str) -> Statement | None:
        row = self._db.execute("SELECT json FROM records WHERE id = ?", (rid,)).fetchone()
        return Statement.from_dict(json.loads(row[0])) if row else None

    def get_many(self, ids: list[str]) -> dict[str, Statement]:
        out: dict[str, Statement] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for rid, text in self._db.execute(
                f"SELECT id, json FROM records WHERE id IN ({marks})", chunk
            ):
                out[rid] = Statement.from_dict(json.loads(text))
        return out

    def iter_all(self) -> Iterator[Statement]:
        for (text,) in self._db.execute("SELECT json FROM records ORDER BY id"):
            yield Statement.from_dict(json.loads(text))


@dataclass(frozen=True)
class Capture:
    """The original bytes a record was extracted from, with what the extractor needs."""

    data: bytes
    url: str | None = None
    content_type: str | None = None
    name: str | None = None


RECORD_CAPTURE = "application/x-statements-record+json"


class CaptureStore:
    """Captures on disk, one pair of files per id, named by the SHA-256 of the id.

    Ids and URLs come from pages; a name derived from a hash can neither
    escape the folder nor exceed a file-name limit. `<sha>.json` holds the id
    and the metadata, `<sha>.data` the bytes; both are written to a temp file
    and renamed, so a crash never leaves half a capture.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def _base(self, rid: str) -> Path:
        digest = hashlib.sha256(rid.encode("utf-8")).hexdigest()
        return self.root / digest[:2] / digest

    def put(self, rid: str, capture: Capture) -> None:
        base = self._base(rid)
        base.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "id": rid,
            "url": capture.url,
            "content_type": capture.content_type,
            "name": capture.name,
        }
        _atomic_write(base.with_suffix(".data"), capture.data)
        _atomic_write(base.with_suffix(".json"), json.dumps(meta).encode("utf-8"))

    def put_record(self, record: Statement) -> None:
        """Keep a record that came without a page (JSONL, a URL extracted elsewhere)."""
        self.put(record.id, Capture(record.to_json().encode("utf-8"), record.url, RECORD_CAPTURE))

    def delete(self, rid: str) -> None:
        base = self._base(rid)
        for suffix in (".json", ".data"):
            try:
                base.with_suffix(suffix).unlink()
            except FileNotFoundError:
                pass

    def iter_all(self) -> Iterator[tuple[str, Capture]]:
        """Every stored capture as (id, capture), in a stable order."""
        if not self.root.is_dir():
            return
        for meta_path in sorted(self.root.glob("*/*.json")):
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                data = meta_path.with_suffix(".data").read_bytes()
            except (OSError, ValueError):
                continue
            yield (
                str(meta["id"]),
                Capture(data, meta.get("url"), meta.get("content_type"), meta.get("name")),
            )

    def count(self) -> int:
        return sum(1 for _ in self.root.glob("*/*.json")) if self.root.is_dir() else 0


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
