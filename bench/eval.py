"""`make eval`: how well extraction does on the real corpus in ../shared/corpus.

Run `python -m bench.eval [CORPUS]` (default: $STATEMENTS_CORPUS or ../shared/corpus).
Every input goes through the public API (`extract_file` for page files,
`extract_bytes` on each JSONL line for record sets), exactly as
`statements extract` would see it. Printed per set:

- body P / R / F1: bag-of-words overlap between our text and a clean body
  known independently of our code (precision = shared words / our words,
  recall = shared words / reference words, summed over the set's pages);
  "-" where the set has no clean body. References: seed -> expected.json;
  GOV.UK -> `details.body` HTML read with BeautifulSoup get_text; state.gov raw
  RSS items -> the corpus' own text of the same item minus its author line;
  en.kremlin.ru -> the `<p>` elements of the site's body container and lead
  (the reference SOURCES.md names); White House -> the record text with its
  inline HTML removed. A second en.kremlin.ru row runs trafilatura alone on
  the same pages (no site profile) as the peer measured in the same run.
- leaks: occurrences of the set's known banner/footer strings in our text (must be 0).
- title / date: share of pages whose title (whitespace- and case-folded) and
  date (ISO, null included) equal the corpus' value.
- speakers: share of pages with a known speaker list whose expected speakers
  are all in ours, after canonical_name (seed: exact list). Expected lists:
  seed -> expected.json; GOV.UK -> the manifest's speakers; state.gov -> the
  persons of the feed's creator field; kremlin.ru -> the corpus' turn labels
  ("В.Путин"), where an initial matches the full name the page resolves it to.
- failed: pages that raised ExtractError (e.g. a title-only page).
- pages/s: pages extracted per second over all sets (extraction time only).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from bs4 import BeautifulSoup
from tabulate import tabulate

from scraper.encoding import normalise_text
from scraper.errors import ExtractError
from scraper.extract import extract_bytes, extract_file
from scraper.record import Statement

_WORD = re.compile(r"\w+")


@dataclass
class Case:
    """One page: how to extract it and what the corpus says about it."""

    name: str
    run: Callable[[], Statement]
    title: str | None = None
    date: str | None = None
    check_date: bool = True
    speakers: list[str] | None = None
    exact_speakers: bool = False
    reference: str | None = None
    banned: tuple[str, ...] = ()
    banned_start: str | None = None


@dataclass
class Tally:
    pages: int = 0
    failed: int = 0
    seconds: float = 0.0
    shared: int = 0
    ours: int = 0
    ref: int = 0
    leaks: int = 0
    titles: int = 0
    dates: int = 0
    date_cases: int = 0
    spk_ok: int = 0
    spk_cases: int = 0
    leak_examples: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORD.findall(text))


def _fold(text: str | None) -> str:
    """Whitespace and case folded, invisible characters (word joiners in titles) removed."""
    return " ".join(normalise_text(text or "").split()).casefold()


def _found(want: str, speakers: tuple[str, ...]) -> bool:
    """`want` is among the speakers; an initial ("А. Репик") matches the full name the
    page resolved it to ("Алексей Репик"): same surname, same first letter."""
    if want in speakers:
        return True
    parts = want.split()
    if len(parts) == 2 and parts[0].endswith(".") and len(parts[0]) == 2:
        return any(s.split()[-1] == parts[1] and s[:1] == parts[0][:1] for s in speakers)
    return False


def evaluate(cases: Iterator[Case]) -> Tally:
    from scraper.speakers import canonical_name

    t = Tally()
    for case in cases:
        start = time.perf_counter()
        try:
            rec = case.run()
        except ExtractError as exc:
            t.seconds += time.perf_counter() - start
            t.pages += 1
            t.failed += 1
            t.failures.append(str(exc)[:160])
            continue
        t.seconds += time.perf_counter() - start
        t.pages += 1
        if case.reference is not None:
            ours, ref = words(rec.text), words(case.reference)
            t.shared += sum((ours & ref).values())
            t.ours += sum(ours.values())
            t.ref += sum(ref.values())
        for s in case.banned:
            if s in rec.text:
                t.leaks += 1
                t.leak_examples.append(f"{case.name}: {s!r}")
        if case.banned_start and rec.text.startswith(case.banned_start):
            t.leaks += 1
            t.leak_examples.append(f"{case.name}: starts with {case.banned_start!r}")
        t.titles += _fold(rec.title) == _fold(case.title)
        if case.check_date:
            t.date_cases += 1
            t.dates += rec.date_iso == case.date
        if case.speakers is not None:
            t.spk_cases += 1
            if case.exact_speakers:
                t.spk_ok += list(rec.speakers) == case.speakers
            else:
                want = {canonical_name(s) or s for s in case.speakers}
                t.spk_ok += all(_found(w, rec.speakers) for w in want)
    return t


# ---- the sets -----------------------------------------------------------------------------

KREMLIN_EN_BANNED = (
    "Publication status",
    "Publication date:",
    "Direct link:",
    "Text version",
    "Send by email",
    "Message preview",
    "Version for People with Disabilities",
    "Presidential Executive Office 20",
)
KREMLIN_RU_BANNED = (
    "Дата публикации:",
    "Статус материала",
    "Текстовая версия",
    "Ссылка на материал",
    "Смотрите также",
    "Добавить в Календарь",
    "Опубликован в раздел",
    "kremlin.ru/d/",
    "Все материалы сайта доступны по лицензии",
    "Creative Commons Attribution",
    "Официальный сайт президента России",
    "Администрация Президента России",
)
WH_BANNED = ("\\###", "<figure", "<img", "srcset=")
STATE_RAW_BANNED = ("jQuery", "watermark", "<script", "data-filter", "function(")


def _jsonl(path: Path) -> Iterator[tuple[int, dict, bytes]]:
    with path.open("rb") as fh:
        for i, line in enumerate(fh):
            if line.strip():
                yield i, json.loads(line), line


def _bytes_case(name: str, line: bytes) -> Callable[[], Statement]:
    return partial(extract_bytes, line, name=name + ".json")


def seed_cases(corpus: Path) -> Iterator[Case]:
    exp = json.loads((corpus / "seed/expected.json").read_text("utf-8"))
    path = corpus / "seed" / exp["file"]
    yield Case(
        "seed",
        lambda: extract_file(path),
        title=exp["title"],
        date=exp["date"],
        speakers=exp["speakers"],
        exact_speakers=True,
        reference=exp["text"],
        banned=tuple(exp.get("must_not_contain", ())),
    )


def kremlin_en_reference(html: str) -> str:
    soup = BeautifulSoup(html, "lxml")
    parts = []
    lead = soup.select_one(".read__lead")
    if lead:
        parts.append(lead.get_text(" "))
    body = soup.select_one(".read__internal_content")
    if body:
        for bottom in body.select(".read__bottommeta"):
            bottom.decompose()
        parts.extend(p.get_text(" ") for p in body.find_all("p"))
    return "\n".join(parts)


def kremlin_en_cases(corpus: Path, generic: bool = False) -> Iterator[Case]:
    manifest = json.loads((corpus / "kremlin-en-html/manifest.json").read_text("utf-8"))
    for item in manifest:
        path = corpus / "kremlin-en-html" / item["file"]
        html = path.read_text("utf-8")
        run: Callable[[], Statement] = partial(extract_file, path)
        if generic:
            run = partial(_generic, html, path)
        yield Case(
            path.name,
            run,
            title=item["title_h1"],
            date=item["date_published"],
            reference=kremlin_en_reference(html),
            banned=KREMLIN_EN_BANNED,
        )


def _generic(html: str, path: Path) -> Statement:
    """trafilatura alone on a page (no site profile), sealed like any record."""
    from scraper.draft import Draft
    from scraper.extract import finish
    from scraper.html_page import _generic_body

    soup = BeautifulSoup(html, "lxml")
    h1 = soup.find("h1")
    draft = Draft(title=h1.get_text(" ", strip=True) if h1 else "", text=_generic_body(html, None))
    return finish(draft, str(path))


def govuk_cases(corpus: Path) -> Iterator[Case]:
    manifest = json.loads((corpus / "govuk-content-items/manifest.json").read_text("utf-8"))
    for item in manifest:
        path = corpus / "govuk-content-items" / item["file"]
        data = json.loads(path.read_text("utf-8"))
        body = (data.get("details") or {}).get("body") or ""
        date = (item.get("delivered_on") or item.get("first_public_at") or "")[:10] or None
        yield Case(
            path.name,
            partial(extract_file, path),
            title=item["title"],
            date=date,
            speakers=item["speakers"] or None,
            reference=BeautifulSoup(body, "lxml").get_text(" ") if body else None,
        )


def state_cases(corpus: Path) -> Iterator[Case]:
    for i, rec, line in _jsonl(corpus / "state-gov-press-releases/records.jsonl"):
        from scraper.speakers import speakers_from_byline

        persons, _ = speakers_from_byline(rec.get("creator") or "")
        first = rec["text"].split("\n\n", 1)[0]
        byline = first if first.strip() and first in (rec.get("creator") or "") else None
        yield Case(
            f"state:{i}",
            _bytes_case(f"state:{i}", line),
            title=rec["title"],
            date=rec["date"],
            speakers=persons or None,
            banned_start=byline,
        )


def state_raw_cases(corpus: Path) -> Iterator[Case]:
    texts = {}
    dates = {}
    for _i, rec, _line in _jsonl(corpus / "state-gov-press-releases/records.jsonl"):
        texts[rec.get("rss_guid")] = rec["text"]
        dates[rec.get("rss_guid")] = rec["date"]
    for i, item, line in _jsonl(
        corpus / "state-gov-press-releases/raw-sample/rss_items_raw_sample.jsonl"
    ):
        ref = texts.get(item.get("guid"))
        yield Case(
            f"state-raw:{i}",
            _bytes_case(f"state-raw:{i}", line),
            title=" ".join(item["title"].split()),
            date=dates.get(item.get("guid")),
            check_date=item.get("guid") in dates,
            reference=ref.split("\n\n", 1)[1] if ref and "\n\n" in ref else ref,
            banned=STATE_RAW_BANNED,
        )


_HTML_BITS = re.compile(r"<(figure|script|style)\b.*?</\1>|<[^>\n]{1,500}>", re.S | re.I)


def whitehouse_cases(corpus: Path) -> Iterator[Case]:
    for i, rec, line in _jsonl(corpus / "whitehouse-briefing-room/records.jsonl"):
        yield Case(
            f"wh:{i}",
            _bytes_case(f"wh:{i}", line),
            title=rec["title"],
            date=rec["date"],
            reference=_HTML_BITS.sub(" ", rec["text"]).replace("\\###", " "),
            banned=WH_BANNED,
        )


def kremlin_ru_cases(corpus: Path) -> Iterator[Case]:
    for i, rec, line in _jsonl(corpus / "kremlin-ru-records/records.jsonl"):
        labels = [t["label"] for t in rec.get("turn_labels") or []]
        yield Case(
            f"kremlin-ru:{i}",
            _bytes_case(f"kremlin-ru:{i}", line),
            title=rec["title"],
            date=rec["date"],
            speakers=labels or None,
            banned=KREMLIN_RU_BANNED,
            banned_start="События",
        )


def kremlin_wayback_cases(corpus: Path) -> Iterator[Case]:
    folder = corpus / "kremlin-ru-wayback-2000s"
    for i, rec, line in _jsonl(folder / "records.jsonl"):
        labels = [t["label"] for t in rec.get("turn_labels") or []]
        yield Case(
            f"wayback:{i}",
            _bytes_case(f"wayback:{i}", line),
            title=rec["title"],
            date=rec["date"],
            speakers=labels or None,
            banned=KREMLIN_RU_BANNED,
        )
        pair = rec.get("en_pair")
        if pair:
            path = folder / pair["file"]
            yield Case(
                path.name,
                partial(extract_file, path),
                title=pair["title_en"],
                date=rec["date"],
                reference=kremlin_en_reference(path.read_text("utf-8")),
                banned=KREMLIN_EN_BANNED,
            )


LEGEND = """
How the figures are computed (details: python -m pydoc bench.eval):
  body P/R/F1  bag-of-words overlap with a clean body known independently of this code
               (P = shared words / our words, R = shared words / reference words, summed
               over the set); "-" where the set has no clean body
  leaks        occurrences of the set's known banner/footer strings in our text (must be 0)
  title, date  share of extracted pages whose title / ISO date (null included) equals the
               corpus' own value
  speakers     share of pages with known speakers whose speakers are all in ours (n = pages)
  failed       pages that raised ExtractError (no statement text on the page)
  pages/s      pages per second of extraction alone (reference building not timed)"""


SETS: tuple[tuple[str, Callable[[Path], Iterator[Case]]], ...] = (
    ("seed (globalsecurity text)", seed_cases),
    ("en.kremlin.ru html", kremlin_en_cases),
    ("en.kremlin.ru html, trafilatura only", lambda c: kremlin_en_cases(c, generic=True)),
    ("kremlin.ru wayback + en pairs", kremlin_wayback_cases),
    ("kremlin.ru records (ru)", kremlin_ru_cases),
    ("gov.uk content items", govuk_cases),
    ("state.gov RSS items (raw)", state_raw_cases),
    ("state.gov records", state_cases),
    ("whitehouse.gov records", whitehouse_cases),
)


def _pct(num: int, den: int) -> str:
    return f"{100 * num / den:.1f}" if den else "-"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    default = Path(
        os.environ.get("STATEMENTS_CORPUS") or Path(__file__).resolve().parents[2] / "shared/corpus"
    )
    corpus = Path(args[0]) if args else default
    if not (corpus / "SOURCES.md").exists():
        print(
            f"Error: no corpus at {corpus}; pass its path or set STATEMENTS_CORPUS", file=sys.stderr
        )
        return 1
    rows = []
    total_pages = 0
    total_seconds = 0.0
    total_leaks = 0
    details: list[str] = []
    for name, make in SETS:
        t = evaluate(make(corpus))
        p = t.shared / t.ours if t.ours else None
        r = t.shared / t.ref if t.ref else None
        f1 = 2 * p * r / (p + r) if p and r else None
        ok = t.pages - t.failed
        rows.append(
            [
                name,
                t.pages,
                t.failed,
                f"{p:.3f}" if p is not None else "-",
                f"{r:.3f}" if r is not None else "-",
                f"{f1:.3f}" if f1 is not None else "-",
                t.leaks,
                _pct(t.titles, ok),
                _pct(t.dates, t.date_cases),
                _pct(t.spk_ok, t.spk_cases) + (f" ({t.spk_cases})" if t.spk_cases else ""),
                f"{t.pages / t.seconds:.0f}" if t.seconds else "-",
            ]
        )
        if "trafilatura only" not in name:
            total_pages += t.pages
            total_seconds += t.seconds
            total_leaks += t.leaks
        details.extend(f"  leak  {x}" for x in t.leak_examples[:5])
        details.extend(f"  fail  {x}" for x in t.failures[:3])
    headers = [
        "set",
        "pages",
        "failed",
        "body P",
        "body R",
        "body F1",
        "leaks",
        "title %",
        "date %",
        "speakers % (n)",
        "pages/s",
    ]
    print(tabulate(rows, headers=headers, tablefmt="github"))
    print()
    print(
        f"total: {total_pages} pages, {total_leaks} banner leaks, "
        f"{total_pages / total_seconds:.0f} pages/s (trafilatura-only row excluded)"
    )
    if details:
        print("\n".join(details))
    print(LEGEND)
    return 0 if total_leaks == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
