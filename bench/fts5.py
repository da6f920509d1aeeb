"""SQLite FTS5 over the same records: the peer every figure is a ratio against.

It answers the same questions as our index (total hits, top 10 by bm25,
speaker and year counts over the whole result set, newest first) so that the
ratios compare like with like.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from scraper.record import Statement


class Fts5:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.executescript(
            """
            PRAGMA journal_mode=WAL;
            CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(
                id UNINDEXED, title, text, tokenize='porter unicode61');
            CREATE TABLE IF NOT EXISTS meta(rowid INTEGER PRIMARY KEY, year INT, date TEXT);
            CREATE TABLE IF NOT EXISTS spk(rowid INT, speaker TEXT);
            CREATE INDEX IF NOT EXISTS spk_row ON spk(rowid);
            """
        )

    def build(self, records: Iterable[Statement]) -> None:
        with self.db:
            for n, r in enumerate(records, 1):
                self.db.execute(
                    "INSERT INTO docs(rowid, id, title, text) VALUES (?,?,?,?)",
                    (n, r.id, r.title, r.text),
                )
                self.db.execute(
                    "INSERT INTO meta VALUES (?,?,?)",
                    (n, r.date.year if r.date else None, r.date.isoformat() if r.date else None),
                )
                self.db.executemany("INSERT INTO spk VALUES (?,?)", [(n, s) for s in r.speakers])

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*"))

    def search(self, match: str, limit: int = 10) -> tuple[int, list[str]]:
        total = self.db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()
        top = self.db.execute(
            "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, limit)
        ).fetchall()
        return total[0], [t[0] for t in top]

    def newest(self, match: str, limit: int = 10) -> list[str]:
        rows = self.db.execute(
            "SELECT d.id FROM docs d JOIN meta m ON m.rowid = d.rowid WHERE docs MATCH ? "
            "ORDER BY m.date DESC LIMIT ?",
            (match, limit),
        ).fetchall()
        return [r[0] for r in rows]

    def faceted(self, match: str, limit: int = 10) -> tuple[int, dict, dict]:
        total, _ = self.search(match, limit)
        self.db.execute("DROP TABLE IF EXISTS temp.hit")
        self.db.execute(
            "CREATE TEMP TABLE hit AS SELECT rowid FROM docs WHERE docs MATCH ?", (match,)
        )
        years = dict(
            self.db.execute(
                "SELECT coalesce(m.year, 'undated'), count(*) FROM hit h "
                "JOIN meta m ON m.rowid = h.rowid GROUP BY m.year"
            ).fetchall()
        )
        speakers = dict(
            self.db.execute(
                "SELECT s.speaker, count(*) FROM hit h JOIN spk s ON s.rowid = h.rowid "
                "GROUP BY s.speaker"
            ).fetchall()
        )
        return total, speakers, years
