"""How tests/data/phrases.jsonl was made from ../shared/corpus (kept for provenance).

Run from the repository root: `.venv/bin/python tests/data/make_phrases.py [SHARED]`
(SHARED defaults to ../shared beside the repository).
Real state.gov and whitehouse.gov records picked for the phrase tests: every
record holding "not acceptable" or "will not tolerate", and the shortest
records holding near misses (the words apart, in another order, or another
form: "acceptable", "not accepted", "unacceptable", "tolerate", "will not");
texts, titles, dates and URLs are the corpus's own, unchanged. Which record
holds which phrase is computed by the tests themselves (a regex over these
records), not stored here.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from statements.scraper.record import Statement

CORPUS = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[3] / "shared")
CORPUS = CORPUS / "corpus"
OUT = Path(__file__).parent / "phrases.jsonl"
SETS = ("state-gov-press-releases", "whitehouse-briefing-room")
ALL = (r"not acceptable", r"will not tolerate")
NEAR = (r"acceptable", r"not accept\w*", r"unacceptable", r"tolerate", r"will not", r"is not")


def main() -> None:
    rows = []
    for name in SETS:
        with open(CORPUS / name / "records.jsonl", encoding="utf-8") as fh:
            rows += [json.loads(line) for line in fh]
    rows.sort(key=lambda r: (len(r["text"]), r["id"]))
    picked: dict[str, dict] = {}
    for pattern in ALL:
        rx = re.compile(rf"\b{pattern}\b", re.I)
        for r in rows:
            if rx.search(r["title"] + "\n" + r["text"]):
                picked.setdefault(r["id"], r)
    for pattern in NEAR:
        rx = re.compile(rf"\b{pattern}\b", re.I)
        for r in [r for r in rows if rx.search(r["title"] + "\n" + r["text"])][:6]:
            picked.setdefault(r["id"], r)
    with open(OUT, "w", encoding="utf-8") as fh:
        for r in picked.values():
            keep = {k: r.get(k) for k in ("id", "url", "title", "date", "source", "language")}
            fh.write(Statement.from_dict({**keep, "text": r["text"]}).to_json() + "\n")
    print(f"{len(picked)} records, {OUT.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
