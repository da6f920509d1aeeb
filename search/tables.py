"""Every table and chart the commands print, in one place.

A command computes what to show and passes it here; this module lays it out:
the page of search results with its facets, the bar charts of years and months,
`--list-values`, `stats`, a document's other copies, the sources and the update
summary, the speakers and their likely duplicates, a phrase's trace, the
watches. Only this module imports tabulate (tests/test_layering.py checks), and
only when a table is drawn: a `--format json` run never loads it.

Everything that comes from a page passes through `output.safe()` first, so a
hostile title cannot send escape sequences to the user's terminal; the only
escape sequences in a table are the highlight colours added here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from statements.search.output import render_csv, render_json, render_jsonl, safe

if TYPE_CHECKING:
    from statements.index.models import Location, SearchResult, Stats
    from statements.index.names import Duplicate, SpeakerEntry
    from statements.index.trace import Occurrence, Trace
    from statements.index.update import UpdateReport
    from statements.index.values import Value
    from statements.index.watch import Watch

    Cell = str | int | None

BAR = "█"
BAR_WIDTH = 40
TITLE_WIDTH = 60
SPEAKERS_WIDTH = 28
TRACE_SPEAKER_WIDTH = 24
BOLD_YELLOW = "\x1b[1;33m"
DIM = "\x1b[2m"
RESET = "\x1b[0m"


def _grid(
    rows: Sequence[Sequence[Cell]],
    headers: Sequence[str] = (),
    *,
    numbers: bool = False,
    plain: bool = False,
) -> str:
    """tabulate's "simple" table (or "plain": no header rule). Cells are text as given
    unless `numbers`, where columns of numbers are read as numbers (right-aligned)."""
    from tabulate import tabulate

    return tabulate(
        rows,
        headers=headers,
        tablefmt="plain" if plain else "simple",
        disable_numparse=not numbers,
    )


def _one_line(text: str | None) -> str:
    return safe(text, keep_newlines=False)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _plural(n: int, one: str = "", many: str = "s") -> str:
    return one if n == 1 else many


# ---- a page of search results ------------------------------------------------------------


def render(result: SearchResult, fmt: str, colour: bool = False, all_copies: bool = False) -> str:
    """A page of search results in the format asked for: the table drawn here, or json,
    jsonl or csv (`output`). `search` and `watch show` both print through it."""
    if fmt == "json":
        return render_json(result)
    if fmt == "jsonl":
        return render_jsonl(result)
    if fmt == "csv":
        return render_csv(result)
    return render_table(result, colour=colour, all_copies=all_copies)


def highlighted(snippet: str, spans: list[tuple[int, int]], colour: bool) -> str:
    """The snippet with matched words in bold yellow (on a colour terminal only).

    Highlighting happens after cleaning each piece, so the escape sequences in
    the output are only ours. A piece keeps the spaces at its ends: they are
    the spaces between a highlighted word and its neighbours.
    """
    if not colour or not spans:
        return _one_line(snippet)
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out.append(_piece(snippet[last:start]))
        out.append(BOLD_YELLOW + _piece(snippet[start:end]) + RESET)
        last = end
    out.append(_piece(snippet[last:]))
    return "".join(out).strip()


def _piece(text: str) -> str:
    """`safe()` for one piece of a line: whitespace runs become one space, ends kept."""
    return re.sub(r"\s+", " ", safe(text))


def _summary(result: SearchResult, first: int) -> str:
    """ "12 documents match, 3 with all the words; showing 1-10"."""
    if not result.total:
        return "No documents match."
    last = first + len(result.hits) - 1
    return (
        f"{result.total} document{_plural(result.total)} match{_plural(result.total, 'es', '')}"
        + (f", {result.all_words} with all the words" if result.all_words is not None else "")
        + (f"; showing {first}-{last}" if result.hits else f"; page {result.page} is empty")
    )


def render_table(result: SearchResult, colour: bool = False, all_copies: bool = False) -> str:
    """Hits as a table with a snippet line under each, then the facet tables."""
    first = (result.page - 1) * result.limit + 1
    lines = [_summary(result, first)]
    if result.hits:
        rows: list[list[Cell]] = []
        for n, hit in enumerate(result.hits, first):
            who = ", ".join(hit.speakers)
            if hit.said_by:
                who = f"{hit.said_by} (said)"
            title = hit.title
            if hit.copies and not all_copies:
                title += f" [+{len(hit.copies)} cop{_plural(len(hit.copies), 'y', 'ies')}]"
            rows.append(
                [
                    n,
                    hit.date or "undated",
                    _cut(_one_line(who) or "-", SPEAKERS_WIDTH),
                    _cut(_one_line(title), TITLE_WIDTH),
                    f"{hit.score:.2f}" if hit.score is not None else "",
                ]
            )
        table = _grid(rows, ["#", "Date", "Speakers", "Title", "Score"]).split("\n")
        lines.extend(table[:2])
        for row_line, hit in zip(table[2:], result.hits, strict=False):
            lines.append(row_line)
            snippet = highlighted(hit.snippet, hit.spans, colour)
            if snippet:
                dim = colour and not hit.spans
                lines.append("    " + (DIM if dim else "") + snippet + (RESET if dim else ""))
            lines.append(
                "    " + _one_line(hit.id) + ("  " + _one_line(hit.url) if hit.url else "")
            )
    for name, counts in result.facets.items():
        lines.append("")
        if name in ("year", "month"):
            lines.append(render_bars(name, counts))
        elif counts:
            lines.append(_grid([[_one_line(v), n] for v, n in counts], [name, "documents"]))
        else:
            lines.append(f"{name}: (none)")
    return "\n".join(lines)


def render_bars(name: str, rows: list[tuple[str, int]]) -> str:
    """A year or month facet as a bar chart: when did they start saying it?

    Empty years and months between the first and the last are zero rows: a gap
    in the data shows as a gap in the chart.
    """
    from statements.index.facets import fill_periods

    if not rows:
        return f"{name}: (none)"
    rows = fill_periods(name, rows)
    top = max(n for _, n in rows)
    label_width = max(len(v) for v, _ in rows)
    count_width = len(str(top))
    out = [f"{name}"]
    for value, n in rows:
        length = max(1, round(n / top * BAR_WIDTH)) if n else 0
        out.append(f"{value:<{label_width}}  {n:>{count_width}}  {BAR * length}")
    return "\n".join(out)


# ---- what the index holds ----------------------------------------------------------------


def value_rows(fieldname: str, values: list[Value]) -> tuple[list[str], list[list[Cell]]]:
    """`search --list-values`: the headers and rows (value, documents, and what else
    names it: a source's web sites, a language's names), for the table or CSV."""
    also = {"source": "web sites", "lang": "names"}.get(fieldname)
    rows: list[list[Cell]] = []
    for v in values:
        row: list[Cell] = [_one_line(v.name), v.count]
        if also:
            row.append(", ".join(_one_line(a) for a in v.also))
        rows.append(row)
    return [fieldname, "documents", *([also] if also else [])], rows


def render_values(fieldname: str, values: list[Value]) -> str:
    headers, rows = value_rows(fieldname, values)
    return _grid(rows, headers) if rows else f"{fieldname}: (none)"


def render_stats(stats: Stats) -> str:
    def size(n: int) -> str:
        return f"{n / 1e6:.1f} MB"

    rows: list[list[Cell]] = [
        ["Documents", stats["documents"]],
        ["Speakers", stats["speakers"]],
        ["Sources", stats["sources"]],
        ["Date span", f"{stats['first_date'] or '-'} .. {stats['last_date'] or '-'}"],
        ["Undated", stats["undated"]],
        ["Index size", size(stats["index_bytes"])],
        ["Captures", size(stats["capture_bytes"])],
        ["Home", _one_line(stats["home"])],
    ]
    return _grid(rows, plain=True)


def render_copies(copies: list[Location]) -> str:
    """The other locations of a document (republished copies), one per line."""
    lines = ["Other locations:"]
    for c in copies:
        who = c.get("republished_by") or c.get("source") or "-"
        where = c.get("url") or c.get("id")
        lines.append(f"  {_one_line(who)}: {_one_line(where)}")
    return "\n".join(lines)


# ---- sources and updates -----------------------------------------------------------------


def render_sources(rows: list[dict[str, str | int | None]]) -> str:
    """`sources list`: name, address, links in the feed, when last read (the rows are
    the JSON objects of `--format json`)."""
    table: list[list[Cell]] = [
        [
            r["name"],
            r["url"],
            r["links"] if r["links"] is not None else "-",
            _last_check(r),
        ]
        for r in rows
    ]
    return safe(_grid(table, ["name", "url", "links", "last checked"], numbers=True))


def _last_check(row: dict[str, str | int | None]) -> str:
    """When the source was last read and what it answered: "2026-05-19 08:00 UTC (not modified)"."""
    checked, answer, error = row["checked"], row["answer"], row["error"]
    if not checked:
        return "never"
    when = str(checked).replace("T", " ").removesuffix("+00:00")[:16] + " UTC"
    answer = answer or ("failed" if error else None)
    if answer == "failed" and error:
        answer = f"failed: {' '.join(str(error).split())[:60]}"
    return f"{when} ({answer})" if answer else when


def render_update(report: UpdateReport) -> str:
    """`update`: per source, what was new, changed, unchanged and failed (and what waits
    for the next run, when the --max-links cap left any)."""
    rows: list[list[Cell]] = [
        [
            s.name,
            s.new,
            s.changed,
            s.unchanged,
            s.not_modified,
            s.failed + (1 if s.error else 0),
        ]
        for s in report.sources
    ]
    headers = ["source", "new", "changed", "unchanged", "of which 304", "failed"]
    if any(s.deferred for s in report.sources):
        headers.append("next run")
        for row, s in zip(rows, report.sources, strict=True):
            row.append(s.deferred)
    return safe(_grid(rows, headers, numbers=True))


# ---- speakers ----------------------------------------------------------------------------


def _aliases(aliases: list[str], shown: int = 3) -> str:
    more = f" (+{len(aliases) - shown})" if len(aliases) > shown else ""
    return safe(", ".join(aliases[:shown])) + more


def render_speakers(
    entries: list[SpeakerEntry], pairs: list[Duplicate], only_duplicates: bool
) -> str:
    """`speakers`: every speaker with counts and aliases, then the likely duplicates."""
    parts = []
    if not only_duplicates:
        rows: list[list[Cell]] = [
            [safe(e.name), e.documents, e.said_by or "", _aliases(e.aliases)] for e in entries
        ]
        headers = ["speaker", "documents", "said-by", "aliases"]
        parts.append(_grid(rows, headers, numbers=True) if rows else "No speakers.")
        parts.append(f"{len(entries)} speakers")
    if pairs:
        rows = [[safe(p.keep), safe(p.merge), p.reason] for p in pairs]
        parts.append(
            "Likely duplicates (add 'keep<TAB>merge' rows to aliases.tsv, then reindex):\n"
            + _grid(rows, ["keep", "merge", "why"], numbers=True)
        )
    elif only_duplicates:
        parts.append("No likely duplicates.")
    return "\n\n".join(parts)


# ---- a phrase's trace --------------------------------------------------------------------


def render_trace(trace: Trace, occurrences: bool, colour: bool = False) -> str:
    """The summary, the per-person table, the chart and (optionally) every occurrence."""
    phrase = _one_line(trace.phrase)
    if not trace.occurrences:
        return f'"{phrase}": no occurrences.'
    n, d = trace.occurrences, trace.documents
    lines = [
        f'"{phrase}": {n} occurrence{_plural(n)} in {d} document{_plural(d)}'
        + (" (own turns only)" if trace.said_by else "")
        + (f"; {trace.unattributed} with no speaker named" if trace.unattributed else ""),
        _use_line("First use:", trace.first),
        _use_line("Last use: ", trace.last),
        "",
    ]
    if trace.people:
        rows: list[list[Cell]] = [
            [
                _one_line(p.name),
                p.occurrences,
                p.documents,
                p.first or "undated",
                p.last or "undated",
            ]
            for p in trace.people
        ]
        lines.append(_grid(rows, ["person", "occurrences", "documents", "first", "last"]))
    else:
        lines.append("person: (none named)")
    lines.append("")
    lines.append(render_bars(f"occurrences by {trace.by}", [(p, k) for p, k, _ in trace.periods]))
    if occurrences:
        lines.append("")
        lines.extend(_kwic_lines(trace, colour))
    return "\n".join(lines)


def _use_line(label: str, occ: Occurrence | None) -> str:
    if occ is None:
        return f"{label} -"
    who = _cut(_one_line(", ".join(occ.people)) or "-", 2 * TRACE_SPEAKER_WIDTH)
    title = _cut(_one_line(occ.title), TITLE_WIDTH)
    return f"{label} {occ.date}  {who}  {title}  {_one_line(occ.id)}"


def _kwic_lines(trace: Trace, colour: bool) -> list[str]:
    """Concordance lines: date, id, speaker, then the context with the phrase centred."""
    width = max((len(c.left) for c in trace.contexts), default=0)
    id_width = max((len(c.id) for c in trace.contexts), default=0)
    out = []
    for c in trace.contexts:
        who = _cut(_one_line(", ".join(c.people)) or "-", TRACE_SPEAKER_WIDTH)
        match = _one_line(c.match)
        if colour:
            match = BOLD_YELLOW + match + RESET
        # the context is one line already; safe() keeps its spacing next to the match
        left, right = safe(c.left), safe(c.right)
        out.append(
            f"{c.date or 'undated':<10}  {_one_line(c.id):<{id_width}}  "
            f"{who:<{TRACE_SPEAKER_WIDTH}}  {left:>{width}}{match}{right}"
        )
    return out


# ---- watches -----------------------------------------------------------------------------


def render_watches(watches: list[Watch]) -> str:
    """`watch list`: each saved search, its new matches, when it was last shown."""
    rows: list[list[Cell]] = [
        [safe(w.name), _one_line(w.arguments()), len(w.new), w.shown or "never"] for w in watches
    ]
    return _grid(rows, ["name", "search", "new", "last shown"])
