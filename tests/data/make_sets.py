"""How tests/data/records.jsonl was made from ../shared/corpus (kept for provenance).

Run from the repository root: `.venv/bin/python tests/data/make_sets.py`.
Texts, titles, dates and URLs are the corpus's own; derived by this script:
`speakers` (scraper.people.titles from the state.gov byline / the title), `turns`
(scraper.people.turns.split_turns, the extractor's splitter), the
partial dates of four wayback records (cut to "YYYY" / "YYYY-MM"), and two
republished copies (GlobalSecurity.org) of real state.gov records.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from statements.scraper.people.titles import speakers_from_byline, speakers_from_title
from statements.scraper.people.turns import split_turns
from statements.scraper.record import Statement, Turn

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
OUT = Path(__file__).parent / "records.jsonl"


EN_LABEL = re.compile(r"^([A-Z][A-Z.' -]{1,40}|Q):\s+", re.M)  # picks briefings with turns


def turns_of(rec: Statement) -> tuple[Turn, ...]:
    """The record's turns by `scraper.people.turns.split_turns`, the extractor's own splitter."""
    return split_turns(rec.text, title=rec.title, language=rec.language, date=rec.date)


def rows(name: str) -> list[dict]:
    with open(CORPUS / name / "records.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def main() -> None:
    records: list[Statement] = []
    state = rows("state-gov-press-releases")
    blinken = [r for r in state[60:] if "SECRETARY BLINKEN:" in r["text"]]
    picked = state[:60] + sorted(blinken, key=lambda r: len(r["text"]))[:10]
    for r in picked:
        persons, _offices = speakers_from_byline(r.get("creator") or "")
        rec = Statement.from_dict({**r, "speakers": persons, "type": "press release"})
        records.append(rec.with_(turns=turns_of(rec)))
    wh = sorted(rows("whitehouse-briefing-room"), key=lambda r: len(r["text"]))
    wh_pick = [r for r in wh if len(EN_LABEL.findall(r["text"])) >= 4][:12] + wh[:12]
    for r in {r["id"]: r for r in wh_pick}.values():
        rec = Statement.from_dict(
            {**r, "speakers": speakers_from_title(r["title"]), "type": r.get("category")}
        )
        records.append(rec.with_(turns=turns_of(rec)))
    ru = sorted(rows("kremlin-ru-records"), key=lambda r: len(r["text"]))
    inflected = [r for r in ru if re.search(r"Лавров[а-я]+", r["text"])][:2]
    ru_pick = inflected + [r for r in ru if "Лавров" in r["text"]][:6]
    ru_pick += [r for r in ru if r["turn_labels"]][:8]
    ru_pick += ru[:12]
    seen = set()
    for r in ru_pick:
        if r["id"] in seen:
            continue
        seen.add(r["id"])
        rec = Statement.from_dict({**r, "speakers": ["Vladimir Putin"], "type": "news"})
        records.append(rec.with_(turns=turns_of(rec)))
    wayback = sorted(rows("kremlin-ru-wayback-2000s"), key=lambda r: len(r["text"]))[:8]
    for i, r in enumerate(wayback):
        date = r["date"]
        if i < 2:
            date = date[:4]
        elif i < 4:
            date = date[:7]
        records.append(Statement.from_dict({**r, "date": date, "speakers": ["Vladimir Putin"]}))
    for original in [records[1], records[5]]:
        copy = original.with_(
            id="copy-" + original.id,
            url="https://www.globalsecurity.org/wmd/library/news/" + original.id + ".htm",
            republished_by="GlobalSecurity.org",
            text=" ".join(original.text.upper().split()),
        )
        records.append(copy)
    with open(OUT, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(rec.to_json() + "\n")
    print(f"{len(records)} records, {OUT.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
