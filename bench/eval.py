"""`make eval`: how well extraction does on the real corpus in ../shared/corpus.

Run `python -m bench.eval [CORPUS]` (default: $STATEMENTS_CORPUS, else the first
shared/corpus found beside the repo or above it). Every input goes through the
public API (`extract_file` for page files, `extract_bytes` on each JSONL line for
record sets), exactly as `statements extract` would see it. Beside each figure
stands trafilatura alone on the same raw page (`bare_extraction` with metadata,
default settings), the peer measured in the same run ("-" for JSON records).

References, all independent of this code:

- publisher sets (any folder whose manifest.json lists pages with a
  `body_selector`, e.g. the seven of issue 9): body = the selector's text
  (BeautifulSoup get_text), must_contain / must_not_contain, title or any
  title_alt, date, speakers (or `authors` of an op-ed or blog post; null =
  unscored), all written by hand from the page;
- seed -> expected.json; GOV.UK -> `details.body` HTML read with get_text;
  state.gov raw RSS items -> the corpus' own text of the same item minus its
  author line; en.kremlin.ru -> the `<p>` elements of the site's body container
  and lead (the reference SOURCES.md names); White House -> the record text with
  its inline HTML removed; kremlin.ru -> the corpus' turn labels ("В.Путин").

Figures (the legend under the table says the same):

- body P / R / F1: bag-of-words overlap (P = shared words / our words, R =
  shared words / reference words, summed over the set's pages; each Han or kana
  character is a word, as Chinese has no spaces);
- must %: share of must_contain sentences found (whitespace- and case-folded);
- leaks: occurrences of banner/footer strings in the body (must be 0);
- title / date: share of pages whose folded title / ISO date (null included)
  equals the corpus' value;
- spk F1: mean per-page F1 of the speaker list, both sides through
  canonical_name; an initial ("А. Репик") matches the full name (same surname,
  same first letter); the seed asks for its exact list;
- refused: pages that raised ExtractError (trafilatura: returned no text);
- pages/s: pages per CPU second of extraction alone (this process's CPU time,
  `time.process_time`, reference building not timed): the machine is shared, and
  wall-clock time there measures the other jobs as much as this code.

HELD_OUT names publishers kept out of sight while writing rules; their rows and
total are reported apart. STATEMENTS_EVAL_VERBOSE=1 lists every miss (title,
date, speakers) under the table.
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

from statements.scraper.encoding import normalise_text
from statements.scraper.errors import ExtractError
from statements.scraper.extract import extract_bytes, extract_file
from statements.scraper.record import Statement

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")


@dataclass
class Result:
    """What one extractor made of a page, in the fields the evaluation scores."""

    title: str
    text: str
    date_iso: str | None
    speakers: tuple[str, ...]


@dataclass
class Case:
    """One page: how to extract it and what the corpus says about it.

    `peer` runs trafilatura alone (bare_extraction with metadata) on the same raw
    page, for the side-by-side columns; None where the input is not a page (a JSON
    record) and trafilatura has nothing to read.
    """

    name: str
    run: Callable[[], Statement]
    title: str | None = None
    titles_alt: tuple[str, ...] = ()
    date: str | None = None
    check_date: bool = True
    speakers: list[str] | None = None
    exact_speakers: bool = False
    reference: str | None = None
    must: tuple[str, ...] = ()
    banned: tuple[str, ...] = ()
    banned_start: str | None = None
    peer: Callable[[], Result | None] | None = None


@dataclass
class Tally:
    pages: int = 0
    failed: int = 0
    seconds: float = 0.0
    shared: int = 0
    ours: int = 0
    ref: int = 0
    leaks: int = 0
    must_found: int = 0
    must_cases: int = 0
    titles: int = 0
    dates: int = 0
    date_cases: int = 0
    spk_f1: float = 0.0
    spk_cases: int = 0
    leak_examples: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def body(self) -> tuple[float | None, float | None, float | None]:
        p = self.shared / self.ours if self.ours else None
        r = self.shared / self.ref if self.ref else None
        if p is None or r is None:
            return p, r, None
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def words(text: str) -> Counter[str]:
    """Words for the bag-of-words overlap; CJK text has no spaces, so each Han/kana
    character counts as one word there."""
    return Counter(w.lower() for w in _WORD.findall(text))


_SPACE_PUNCT = re.compile(r"\s+(?=[,.;:!?)\]»”])|(?<=[(\[«“])\s+")


def _fold(text: str | None) -> str:
    """Whitespace and case folded, invisible characters (word joiners in titles) removed,
    no space before a comma or after a bracket (a selector's get_text puts one between
    a link and the comma after it: "Report , ")."""
    folded = " ".join(normalise_text(text or "").split()).casefold()
    return _SPACE_PUNCT.sub("", folded)


def _found(want: str, speakers: tuple[str, ...]) -> bool:
    """`want` is among the speakers; an initial ("А. Репик") matches the full name the
    page resolved it to ("Алексей Репик"): same surname, same first letter."""
    if want in speakers:
        return True
    parts = want.split()
    if len(parts) == 2 and parts[0].endswith(".") and len(parts[0]) == 2:
        return any(s.split()[-1] == parts[1] and s[:1] == parts[0][:1] for s in speakers)
    return False


def speaker_f1(want: list[str], got: tuple[str, ...], exact: bool = False) -> float:
    """F1 of one page's speaker list against the expected one.

    Both sides go through canonical_name ("Chair Jerome H. Powell" and "Jerome H.
    Powell" are one person); an expected initial matches the full name (`_found`).
    `exact` (the seed) asks for the very list, in order.
    """
    from statements.scraper.people.person import canonical_name

    if exact:
        return float(list(got) == want)
    wanted = {canonical_name(s) or s for s in want}
    ours = {canonical_name(s) or s for s in got}
    if not wanted and not ours:
        return 1.0
    hit_want = sum(_found(w, tuple(ours)) for w in wanted)
    hit_ours = sum(any(_found(w, (o,)) for w in wanted) for o in ours)
    p = hit_ours / len(ours) if ours else 0.0
    r = hit_want / len(wanted) if wanted else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _score(t: Tally, case: Case, res: Result) -> None:
    if case.reference is not None:
        ours, ref = words(res.text), words(case.reference)
        t.shared += sum((ours & ref).values())
        t.ours += sum(ours.values())
        t.ref += sum(ref.values())
    folded = _fold(res.text) if case.must else ""
    for s in case.must:
        t.must_cases += 1
        t.must_found += _fold(s) in folded
    for s in case.banned:
        if s in res.text:
            t.leaks += 1
            t.leak_examples.append(f"{case.name}: {s!r}")
    if case.banned_start and res.text.startswith(case.banned_start):
        t.leaks += 1
        t.leak_examples.append(f"{case.name}: starts with {case.banned_start!r}")
    title_ok = _fold(res.title) in {_fold(case.title), *map(_fold, case.titles_alt)}
    t.titles += title_ok
    if not title_ok:
        t.misses.append(f"{case.name}: title {res.title!r}")
    if case.check_date:
        t.date_cases += 1
        t.dates += res.date_iso == case.date
        if res.date_iso != case.date:
            t.misses.append(f"{case.name}: date {res.date_iso} (want {case.date})")
    if case.speakers is not None:
        t.spk_cases += 1
        f1 = speaker_f1(case.speakers, res.speakers, case.exact_speakers)
        t.spk_f1 += f1
        if f1 < 1:
            t.misses.append(f"{case.name}: speakers {list(res.speakers)} (want {case.speakers})")


def _ours(rec: Statement) -> Result:
    return Result(rec.title, rec.text, rec.date_iso, tuple(rec.speakers))


def evaluate(cases: Iterator[Case]) -> tuple[Tally, Tally | None]:
    """Score every case with the project and, where the case has one, with the peer."""
    t = Tally()
    peer: Tally | None = None
    for case in cases:
        start = time.process_time()
        try:
            rec = case.run()
        except ExtractError as exc:
            t.seconds += time.process_time() - start
            t.pages += 1
            t.failed += 1
            t.failures.append(str(exc)[:160])
            rec = None
        else:
            t.seconds += time.process_time() - start
            t.pages += 1
            _score(t, case, _ours(rec))
        if case.peer is None:
            continue
        peer = peer or Tally()
        start = time.process_time()
        res = case.peer()
        peer.seconds += time.process_time() - start
        peer.pages += 1
        if res is None:
            peer.failed += 1
            peer.failures.append(f"{case.name}: trafilatura found no text")
            continue
        _score(peer, case, res)
    return t, peer


def trafilatura_alone(data: bytes) -> Result | None:
    """trafilatura's bare_extraction on the raw page bytes, its own decoding, its
    default settings and metadata (htmldate for the date); authors split on ";"."""
    import trafilatura

    doc = trafilatura.bare_extraction(data, with_metadata=True)
    if doc is None or not (doc.text or "").strip():
        return None
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    return Result(doc.title or "", doc.text or "", doc.date or None, authors)


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


def kremlin_en_cases(corpus: Path) -> Iterator[Case]:
    manifest = json.loads((corpus / "kremlin-en-html/manifest.json").read_text("utf-8"))
    for item in manifest:
        path = corpus / "kremlin-en-html" / item["file"]
        data = path.read_bytes()
        yield Case(
            path.name,
            partial(extract_file, path),
            title=item["title_h1"],
            date=item["date_published"],
            reference=kremlin_en_reference(data.decode("utf-8")),
            banned=KREMLIN_EN_BANNED,
            peer=partial(trafilatura_alone, data),
        )


def publisher_cases(corpus: Path, folder: str) -> Iterator[Case]:
    """A publisher folder with a manifest.json (the seven sets of issue 9, and any
    added the same way). Every expectation comes from the manifest, written by hand
    from the page, never from this code:

    - reference body: the text of the manifest's `body_selector` (CSS, BeautifulSoup
      get_text); no body score for a page whose selector is null;
    - must: the manifest's must_contain sentences (whitespace- and case-folded);
    - leaks: its must_not_contain strings;
    - title: `title` or any `title_alt`; date: `date` (null = the page has none);
    - speakers: `speakers`, or `authors` for an op-ed/blog post; null = not scored.
    """
    base = corpus / folder
    for item in json.loads((base / "manifest.json").read_text("utf-8")):
        path = base / item["file"]
        data = path.read_bytes()
        reference = None
        if item.get("body_selector"):
            soup = BeautifulSoup(data, "lxml")
            hits = soup.select(item["body_selector"])
            reference = "\n".join(h.get_text(" ") for h in hits) if hits else None
        speakers = item.get("speakers")
        if speakers is None and item.get("authors"):
            speakers = item["authors"]
        yield Case(
            f"{folder}/{item['file']}",
            partial(extract_file, path),
            title=item.get("title"),
            titles_alt=tuple(item.get("title_alt") or ()),
            date=item.get("date") or None,
            speakers=speakers,
            reference=reference,
            must=tuple(item.get("must_contain") or ()),
            banned=tuple(item.get("must_not_contain") or ()),
            peer=partial(trafilatura_alone, data),
        )


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
        from statements.scraper.people.titles import speakers_from_byline

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
            data = path.read_bytes()
            yield Case(
                path.name,
                partial(extract_file, path),
                title=pair["title_en"],
                date=rec["date"],
                reference=kremlin_en_reference(data.decode("utf-8")),
                banned=KREMLIN_EN_BANNED,
                peer=partial(trafilatura_alone, data),
            )


LEGEND = """
How the figures are computed (details: python -m pydoc bench.eval). Each cell is
"project / trafilatura alone" (bare_extraction with metadata, default settings, on the
same raw page bytes); "-" where trafilatura has nothing to read (JSON records, text).
  body P/R/F1  bag-of-words overlap with a clean body known independently of this code
               (publisher sets: the text of the manifest's body_selector; P = shared
               words / our words, R = shared words / reference words, summed over the
               set; one word per Han/kana character); "-" where the set has no clean body
  must %       share of the manifest's must_contain sentences found in the body
  leaks        occurrences of the set's banner/footer strings (must_not_contain) in the body
  title, date  share of extracted pages whose title (title or title_alt, folded) / ISO
               date (null included) equals the corpus' own value
  spk F1 (n)   mean per-page F1 of the speaker list (canonical names both sides; an
               op-ed's authors count as its speakers), over n pages with known speakers
  refused      pages that raised ExtractError / where trafilatura found no text
  pages/s      pages per CPU second of extraction alone (process CPU time: the machine
               is shared, wall time would count other jobs; references not timed)
  held out     publishers whose pages were not looked at while writing rules"""

#: Publisher sets kept out of sight while writing extraction rules (issue 9).
HELD_OUT = ("worldbank-html", "bankofcanada-html")

SETS: tuple[tuple[str, str, Callable[[Path], Iterator[Case]]], ...] = (
    ("seed (globalsecurity text)", "seed", seed_cases),
    ("en.kremlin.ru html", "kremlin-en-html", kremlin_en_cases),
    ("kremlin.ru wayback + en pairs", "kremlin-ru-wayback-2000s", kremlin_wayback_cases),
    ("kremlin.ru records (ru)", "kremlin-ru-records", kremlin_ru_cases),
    ("gov.uk content items", "govuk-content-items", govuk_cases),
    ("state.gov RSS items (raw)", "state-gov-press-releases", state_raw_cases),
    ("state.gov records", "state-gov-press-releases", state_cases),
    ("whitehouse.gov records", "whitehouse-briefing-room", whitehouse_cases),
)


def publisher_folders(corpus: Path) -> list[str]:
    """Folders holding an issue-9 style manifest (a list of pages with a body_selector
    key), other than the sets above: a publisher added to the corpus is measured too."""
    known = {folder for _, folder, _ in SETS}
    out = []
    for manifest in sorted(corpus.glob("*/manifest.json")):
        folder = manifest.parent.name
        if folder in known:
            continue
        try:
            items = json.loads(manifest.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(items, list) and items and all("body_selector" in i for i in items):
            out.append(folder)
    return out


def _add(a: Tally, b: Tally) -> Tally:
    out = Tally()
    for name in Tally.__dataclass_fields__:
        x, y = getattr(a, name), getattr(b, name)
        setattr(out, name, x + y)
    return out


def _num(x: float | None) -> str:
    return f"{x:.3f}" if x is not None else "-"


def _pct(num: float, den: int) -> str:
    return f"{100 * num / den:.1f}" if den else "-"


def _cells(t: Tally) -> list[str]:
    p, r, f1 = t.body
    ok = t.pages - t.failed
    return [
        str(t.failed),
        _num(p),
        _num(r),
        _num(f1),
        _pct(t.must_found, t.must_cases),
        str(t.leaks),
        _pct(t.titles, ok),
        _pct(t.dates, t.date_cases),
        (f"{t.spk_f1 / t.spk_cases:.3f}" if t.spk_cases else "-"),
        f"{t.pages / t.seconds:.0f}" if t.seconds else "-",
    ]


def _row(name: str, t: Tally, peer: Tally | None) -> list[str]:
    ours = _cells(t)
    theirs = _cells(peer) if peer is not None else ["-"] * len(ours)
    cells = [
        f"{a} / {b}" if b != "-" or a != "-" else "-" for a, b in zip(ours, theirs, strict=True)
    ]
    n = f" ({t.spk_cases})" if t.spk_cases else ""
    cells[8] += n
    return [name, str(t.pages), *cells]


HEADERS = [
    "set",
    "pages",
    "refused",
    "body P",
    "body R",
    "body F1",
    "must %",
    "leaks",
    "title %",
    "date %",
    "spk F1 (n)",
    "pages/s",
]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    corpus = Path(args[0]) if args else default_corpus()
    if not (corpus / "SOURCES.md").exists() and not publisher_folders(corpus):
        print(
            f"Error: no corpus at {corpus}; pass its path or set STATEMENTS_CORPUS", file=sys.stderr
        )
        return 1
    verbose = os.environ.get("STATEMENTS_EVAL_VERBOSE") == "1"
    rows = []
    details: list[str] = []
    groups: dict[str, tuple[Tally, Tally]] = {}

    def account(group: str, t: Tally, peer: Tally | None) -> None:
        old = groups.get(group, (Tally(), Tally()))
        groups[group] = (_add(old[0], t), _add(old[1], peer) if peer else old[1])

    plan: list[tuple[str, str, Callable[[], Iterator[Case]]]] = [
        (name, "corpus sets", partial(make, corpus))
        for name, folder, make in SETS
        if (corpus / folder).is_dir()
    ]
    for folder in publisher_folders(corpus):
        group = "held-out publishers" if folder in HELD_OUT else "new publishers"
        label = folder + (" (held out)" if folder in HELD_OUT else "")
        plan.append((label, group, partial(publisher_cases, corpus, folder)))
    for name, group, make in plan:
        t, peer = evaluate(make())
        rows.append(_row(name, t, peer))
        account(group, t, peer)
        account("all", t, peer)
        details.extend(f"  leak  {x}" for x in t.leak_examples[:5])
        details.extend(f"  fail  {x}" for x in t.failures[:3])
        if verbose:
            details.extend(f"  miss  {x}" for x in t.misses)
    print(tabulate(rows, headers=HEADERS, tablefmt="github", disable_numparse=True))
    print()
    totals = [
        _row(group, *groups[group])
        for group in ("corpus sets", "new publishers", "held-out publishers", "all")
        if group in groups
    ]
    print(
        tabulate(totals, headers=["total", *HEADERS[1:]], tablefmt="github", disable_numparse=True)
    )
    print()
    if details:
        print("\n".join(details))
    print(LEGEND)
    return 0 if groups.get("all", (Tally(),))[0].leaks == 0 else 1


def default_corpus() -> Path:
    """$STATEMENTS_CORPUS, else the first shared/corpus beside the repo or a parent of it
    (a git worktree lives one folder deeper than the main checkout)."""
    env = os.environ.get("STATEMENTS_CORPUS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parents[1]
    for parent in here.parents:
        if (parent / "shared/corpus").is_dir():
            return parent / "shared/corpus"
    return here.parent / "shared/corpus"


if __name__ == "__main__":
    raise SystemExit(main())
