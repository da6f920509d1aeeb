"""Snippets: the passage of a text where the query's words are densest.

Works on the full text from the record store (Whoosh does not store the
body). Words are compared by stem with the analyzer of the record's language,
so "sanctioned" is highlighted for the query "sanctions".
"""

from __future__ import annotations

from dataclasses import dataclass

from index.analysis import WORD, is_russian, stem_en, stem_ru

WIDTH = 220


@dataclass(frozen=True)
class Snippet:
    text: str
    spans: tuple[tuple[int, int], ...]  # (start, end) of each highlighted word in `text`


def make_snippet(text: str, stems: set[str], language: str | None, width: int = WIDTH) -> Snippet:
    """The best window of about `width` characters, with matched words marked."""
    stem = stem_ru if is_russian(language) else stem_en
    flat = " ".join(text.split())
    hits: list[tuple[int, int, str]] = []
    if stems:
        for m in WORD.finditer(flat):
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
