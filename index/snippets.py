"""Snippets: the passage of a text where the query's words are densest.

Works on the full text from the record store (Whoosh does not store the
body). The query hands over the indexed words it matched (a word's stem
variants, a wildcard's words, a phrase's exact words), so "sanctioned" is
highlighted for the query "sanctions", and only the words searched for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from statements.index.analysis import WORD, normal

WIDTH = 220


@dataclass(frozen=True)
class Snippet:
    text: str
    spans: tuple[tuple[int, int], ...]  # (start, end) of each highlighted word in `text`


@lru_cache(maxsize=256)
def _candidates(found: frozenset[str]) -> re.Pattern[str]:
    """Where a searched word may start: only there is a word read and normalised,
    not at every word of a long transcript."""
    alternatives = "|".join(
        re.escape(w).replace("'", "['’]") for w in sorted(found, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{alternatives})", re.IGNORECASE)


def make_snippet(text: str, found: set[str], width: int = WIDTH) -> Snippet:
    """The best window of about `width` characters, with matched words marked."""
    flat = " ".join(text.split())
    hits: list[tuple[int, int, str]] = []
    if found:
        for m in _candidates(frozenset(found)).finditer(flat):
            whole = WORD.match(flat, m.start())
            if whole is None or (hits and whole.start() < hits[-1][1]):
                continue
            word = normal(whole.group(0))
            if word in found:
                hits.append((whole.start(), whole.end(), word))
    if not hits:
        cut = flat[:width]
        if len(flat) > width:
            cut = cut.rsplit(" ", 1)[0] + " …"
        return Snippet(cut, ())
    best_start, best_score = hits[0][0], -1
    j = k = 0  # the window around each hit is hits[j:k] (two pointers: one pass)
    for i, (start, _end, _w) in enumerate(hits):
        while hits[j][0] < start - width // 2:
            j += 1
        k = max(k, j)
        while k < len(hits) and hits[k][0] < start + width // 2:
            k += 1
        window = hits[j:k]
        score = len({h[2] for h in window}) * 1000 + len(window)
        if score > best_score:
            best_score, best_start = score, max(0, hits[j][0] - width // 4)
        if i > 2000:
            break
    begin = best_start
    if begin > 0:
        space = flat.rfind(" ", 0, begin)
        begin = space + 1 if space >= 0 and begin - space < 40 else begin
    end = min(len(flat), begin + width)
    if end < len(flat):
        space = flat.rfind(" ", begin, end)
        end = space if space > begin else end
    prefix = "… " if begin > 0 else ""
    suffix = " …" if end < len(flat) else ""
    spans = tuple(
        (s - begin + len(prefix), e - begin + len(prefix))
        for s, e, _ in hits
        if s >= begin and e <= end
    )
    return Snippet(prefix + flat[begin:end] + suffix, spans)
