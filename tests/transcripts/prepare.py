"""Regenerate the transcript fixtures from ../shared/corpus (run by hand, not by pytest).

Each fixture is the body text of one real document with a provenance header:
kremlin-en-html pages give the paragraphs of `.entry-content.read__internal_content`
(BeautifulSoup get_text per <p>, joined by blank lines, as an extractor would);
JSONL records give their `text` field unchanged.

    .venv/bin/python tests/transcripts/prepare.py
"""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

HERE = Path(__file__).parent
CORPUS = HERE.parents[2] / "shared" / "corpus"

KREMLIN_EN = {
    "kremlin_en_59478_manturov.txt": "kremlin_news_59478.html",
    "kremlin_en_56337_yamal_lng.txt": "kremlin_news_56337.html",
}
RECORDS = {
    "whitehouse_2022-06-21_jean-pierre_kirby.txt": (
        "whitehouse-briefing-room",
        "wh-2022-06-21-press-briefing-by-press-secretary-karine-jean-pierre-and-nsc-"
        "coordinator-for-strategic-communications-john-kirby-2",
    ),
    "whitehouse_2025-02-13_trump_modi.txt": (
        "whitehouse-briefing-room",
        "wh-2025-02-13-remarks-by-president-trump-and-prime-minister-narendra-modi-of-the-"
        "republic-of-india-in-joint-press-conference",
    ),
    "whitehouse_2021-07-26_ada_anniversary.txt": (
        "whitehouse-briefing-room",
        "wh-2021-07-26-remarks-by-president-biden-celebrating-the-31st-anniversary-of-the-"
        "americans-with-disabilities-act",
    ),
    "state_321084_blinken_kuleba.txt": ("state-gov-press-releases", "state-321084"),
    "state_260304_press_briefing.txt": ("state-gov-press-releases", "state-260304"),
    "kremlin_ru_wb_24123_ort.txt": ("kremlin-ru-wayback-2000s", "kremlin-ru-wb-24123"),
    "kremlin_ru_wb_21201_internet.txt": ("kremlin-ru-wayback-2000s", "kremlin-ru-wb-21201"),
    "kremlin_ru_76450_lukashenko.txt": ("kremlin-ru-records", "kremlin-ru-76450"),
    "kremlin_ru_76736_questions.txt": ("kremlin-ru-records", "kremlin-ru-76736"),
}


def header(source: str, title: str, date: str | None, language: str) -> str:
    return (
        f"# source: {source}\n# title: {title}\n# date: {date or ''}\n"
        f"# language: {language}\n# ---\n"
    )


def main() -> None:
    manifest = {
        m["file"]: m for m in json.loads((CORPUS / "kremlin-en-html/manifest.json").read_text())
    }
    for out, page in KREMLIN_EN.items():
        m = manifest[f"pages/{page}"]
        soup = BeautifulSoup((CORPUS / "kremlin-en-html/pages" / page).read_bytes(), "lxml")
        body = soup.select_one(".entry-content.read__internal_content")
        text = "\n\n".join(p.get_text(" ", strip=True) for p in body.find_all("p"))
        src = (
            f"corpus kremlin-en-html/pages/{page} = {m['source_repo']} "
            f"{m['source_path']} @ {m['source_commit']}"
        )
        (HERE / out).write_text(
            header(src, m["title_h1"], m["date_published"], "en") + text + "\n", "utf-8"
        )
    for out, (folder, rid) in RECORDS.items():
        for line in (CORPUS / folder / "records.jsonl").open(encoding="utf-8"):
            r = json.loads(line)
            if r["id"] == rid:
                break
        else:
            raise SystemExit(f"{rid} not found")
        repo = (
            r.get("source_repo")
            or {
                "whitehouse-briefing-room": "brian14708/wh-briefings",
                "state-gov-press-releases": "markschaver/State-Department-PR",
            }[folder]
        )
        where = r.get("source_path") or "data.rss"
        commit = r.get("source_commit") or r.get("harvested_from_commit") or ""
        src = f"corpus {folder}/records.jsonl id={rid} = {repo} {where} @ {commit}"
        lang = r.get("language") or "en"
        (HERE / out).write_text(
            header(src, r["title"], (r.get("date") or "")[:10], lang) + r["text"] + "\n", "utf-8"
        )


if __name__ == "__main__":
    main()
