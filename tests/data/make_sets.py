"""How tests/data/records.jsonl was made from ../shared/corpus (kept for provenance).

Run from the repository root: `.venv/bin/python tests/data/make_sets.py`.
Texts, titles, dates and URLs are the corpus's own; derived by this script:
`speakers` (scraper.speakers from the state.gov byline / the title), `turns`
(a regex over "LABEL:" paragraph starts, names by scraper.speakers), the
partial dates of four wayback records (cut to "YYYY" / "YYYY-MM"), and two
republished copies (GlobalSecurity.org) of real state.gov records.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from scraper.record import Statement, Turn
from scraper.speakers import canonical_name, speakers_from_byline, speakers_from_title

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
OUT = Path(__file__).parent / "records.jsonl"
EN_LABEL = re.compile(r"^([A-Z][A-Z.' -]{1,40}|Q):\s+", re.M)
RU_LABEL = re.compile(r"(?:(?<=\s)|^)((?:[А-ЯЁ]\.){1,2}\s?[А-ЯЁ][а-яё-]+(?: [А-ЯЁ][а-яё-]+)?):\s")
QUESTIONS = {"QUESTION", "Q", "ВОПРОС", "MODERATOR", "PARTICIPANT"}


def turns_of(text: str, pattern: re.Pattern[str], language: str) -> tuple[Turn, ...]:
    marks = list(pattern.finditer(text))
    if len(marks) < 2:
        return ()
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        label = m.group(1).strip()
        words = text[m.end() : end].strip()
        if label.upper() in QUESTIONS or label.startswith("Вопрос"):
            out.append(Turn(label=label + ":", text=words, speaker=None, role="question"))
        else:
            name = canonical_name(label, language)
            out.append(
                Turn(
                    label=label + ":",
                    text=words,
                    speaker=name,
                    role="speaker" if name else "unknown",
                )
            )
    return tuple(out)


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
        records.append(rec.with_(turns=turns_of(rec.text, EN_LABEL, "en")))
    wh = sorted(rows("whitehouse-briefing-room"), key=lambda r: len(r["text"]))
    wh_pick = [r for r in wh if len(EN_LABEL.findall(r["text"])) >= 4][:12] + wh[:12]
    for r in {r["id"]: r for r in wh_pick}.values():
        rec = Statement.from_dict(
            {**r, "speakers": speakers_from_title(r["title"]), "type": r.get("category")}
        )
        records.append(rec.with_(turns=turns_of(rec.text, EN_LABEL, "en")))
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
        records.append(rec.with_(turns=turns_of(rec.text, RU_LABEL, "ru")))
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
