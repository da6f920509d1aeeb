"""Snippets: the passage of a text where the query's words are densest.

Works on the full text from the record store (Whoosh does not store the
body). Words are compared by stem with the analyzer of the record's language,
so "sanctioned" is highlighted for the query "sanctions".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.analysis import is_russian, stem_en, stem_ru

WIDTH = 220


@dataclass(frozen=True)
class Snippet:
    text: str
    spans: tuple[tuple[int, int], ...]  # (start, end) of each highlighted word in `text`


@lru_cache(maxsize=256)
def _candidate_pattern(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in prefixes)
    return re.compile(rf"(?<!\w)(?:{alternatives})\w*(?:\.\w+)*", re.IGNORECASE)


def _candidates(stems: set[str]) -> re.Pattern[str]:
    """Words that may stem to one of `stems`: those starting like one of them.

    Stemmers strip suffixes, and Porter turns a final y into i ("happi"), so
    a stem minus its last letter is a prefix of every word it comes from;
    only these candidates are stemmed, not every word of a long transcript.
    """
    prefixes = tuple(sorted({st[:-1] if len(st) > 3 else st for st in stems}))
    return _candidate_pattern(prefixes)


def make_snippet(text: str, stems: set[str], language: str | None, width: int = WIDTH) -> Snippet:
    """The best window of about `width` characters, with matched words marked."""
    stem = stem_ru if is_russian(language) else stem_en
    flat = " ".join(text.split())
    hits: list[tuple[int, int, str]] = []
    if stems:
        for m in _candidates(stems).finditer(flat):
            s = stem(m.group(0).lower())
            if s in stems:
                hits.append((m.start(), m.end(), s))
    if not hits:
        cut = flat[:width]
        if len(flat) > width:
            cut = cut.rsplit(" ", 1)[0] + " …"
        return Snippet(cut, ())
    best_start, best_score = hits[0][0], -1
    j = 0
    for i, (start, _end, _s) in enumerate(hits):
        while hits[j][0] < start - width // 2:
            j += 1
        window = [h for h in hits[j:] if h[0] < start + width // 2]
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
