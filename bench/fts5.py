"""SQLite FTS5 over the same records: the peer every figure is a ratio against.

It answers the same questions as our index (total hits, top 10 by bm25,
speaker and year counts over the whole result set, newest first, the documents
where one speaker's own turns hold the words) so that the ratios compare like
with like. Facets are GROUP BY over side tables keyed by the FTS rowid; said-by
is a second FTS5 table over the speaker turns, joined to who spoke them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from statements.scraper.record import Statement


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
            CREATE VIRTUAL TABLE IF NOT EXISTS turns USING fts5(
                text, tokenize='porter unicode61');
            CREATE TABLE IF NOT EXISTS turn_of(
                rowid INTEGER PRIMARY KEY, doc INT, speaker TEXT);
            CREATE INDEX IF NOT EXISTS turn_speaker ON turn_of(speaker);
            CREATE TABLE IF NOT EXISTS solo(rowid INTEGER PRIMARY KEY, speaker TEXT);
            CREATE INDEX IF NOT EXISTS solo_speaker ON solo(speaker);
            """
        )

    def build(self, records: Iterable[Statement], commit_every: int = 20_000) -> int:
        """Index the records (a stream); returns how many. Commits every `commit_every`
        documents, as a batch of `statements add` would."""
        n = turn = 0
        cur = self.db.cursor()
        cur.execute("BEGIN")
        for r in records:
            n += 1
            cur.execute(
                "INSERT INTO docs(rowid, id, title, text) VALUES (?,?,?,?)",
                (n, r.id, r.title, r.text),
            )
            cur.execute(
                "INSERT INTO meta VALUES (?,?,?)",
                (n, r.date.year if r.date else None, r.date.isoformat() if r.date else None),
            )
            cur.executemany("INSERT INTO spk VALUES (?,?)", [(n, s) for s in r.speakers])
            if not r.turns and len(r.speakers) == 1:  # a statement by one person
                cur.execute("INSERT INTO solo VALUES (?,?)", (n, r.speakers[0]))
            for t in r.turns:
                if t.speaker:
                    turn += 1
                    cur.execute("INSERT INTO turns(rowid, text) VALUES (?,?)", (turn, t.text))
                    cur.execute("INSERT INTO turn_of VALUES (?,?,?)", (turn, n, t.speaker))
            if n % commit_every == 0:
                cur.execute("COMMIT")
                cur.execute("BEGIN")
        cur.execute("COMMIT")
        return n

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*"))

    def search(self, match: str, limit: int = 10) -> tuple[int, list[str]]:
        total = self.db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()
        top = self.db.execute(
            "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, limit)
        ).fetchall()
        return total[0], [t[0] for t in top]

    def newest(self, match: str, limit: int = 10) -> tuple[int, list[str]]:
        total = self.db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()
        rows = self.db.execute(
            "SELECT d.id FROM docs d JOIN meta m ON m.rowid = d.rowid WHERE docs MATCH ? "
            "ORDER BY m.date DESC LIMIT ?",
            (match, limit),
        ).fetchall()
        return total[0], [r[0] for r in rows]

    def faceted(self, match: str, limit: int = 10) -> tuple[int, dict, dict]:
        """Total, top 10, and speaker and year counts over every matching document."""
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

    def said_by(self, match: str, speaker: str, limit: int = 10) -> tuple[int, list[str]]:
        """Matching documents where `speaker` said the words (in their own turns, or as
        the one speaker of a document without turns): how many, and the top 10."""
        said = (
            "WITH said AS MATERIALIZED ("
            # the turns that match first, then whose they are (+: not by the speaker
            # index, which made SQLite walk every turn of a frequent speaker)
            "SELECT o.doc FROM (SELECT rowid FROM turns WHERE turns MATCH ?) t "
            "JOIN turn_of o ON o.rowid = t.rowid WHERE +o.speaker = ? "
            "UNION SELECT rowid FROM solo WHERE speaker = ?), "
            # the matching documents materialized too: `docs.rowid IN said` would run the
            # MATCH once per rowid of `said` (thousands for a frequent speaker)
            "hit AS MATERIALIZED (SELECT rowid{} FROM docs WHERE docs MATCH ?) "
        )
        args = (match, speaker, speaker, match)
        total = self.db.execute(
            said.format("") + "SELECT count(*) FROM hit WHERE rowid IN said", args
        ).fetchone()
        top = self.db.execute(
            said.format(", bm25(docs) AS s")
            + "SELECT (SELECT id FROM docs WHERE docs.rowid = x.rowid) FROM "
            "(SELECT rowid, s FROM hit WHERE rowid IN said ORDER BY s LIMIT ?) x",
            (*args, limit),
        ).fetchall()
        return total[0], [t[0] for t in top]
