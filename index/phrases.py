"""Finding a phrase in a text as the phrase search finds it (for `statements trace`).

Candidate words are found with one regular expression (a stem minus its last
letter starts every word it comes from, see `index.snippets`) and each candidate
is checked with the analyzer that indexed the document, so an occurrence is what
the phrase search matches: the phrase's words in order, stop words included,
each in any of its forms. `PhraseFinder.counts` reads the same from the index's
positions instead, where only counts are needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from typing import Any


class PhraseFinder:
    """The occurrences of one phrase in texts of either analyzer language."""

    def __init__(self, phrase: str) -> None:
        self.phrase = phrase
        self._specs: dict[bool, tuple[Any, list[str], re.Pattern[str], str] | None] = {}

    def _spec(self, russian: bool) -> tuple[Any, list[str], re.Pattern[str], str] | None:
        if russian not in self._specs:
            from statements.index.analyzers import text_analyzer
            from statements.index.snippets import _candidates

            analyzer = text_analyzer("ru" if russian else "en")
            # every word in all its forms: a Russian phrase is declined
            stems = [_stem(t.text, russian) for t in analyzer(self.phrase, mode="query")]
            if not stems:
                self._specs[russian] = None
            else:
                first = stems[0]
                prefix = first[:-1] if len(first) > 3 else first  # as index.snippets does
                self._specs[russian] = (analyzer, stems, _candidates(frozenset({first})), prefix)
        return self._specs[russian]

    def query(self, searcher: Any, fields: dict[str, str]) -> Any:
        """The query search builds for the phrase over `fields` (`index.query.Builder`,
        with `stem_phrases`, as trace's search runs it)."""
        from statements.index.query import Builder
        from statements.index.syntax import parse

        node = parse(phrase_query(self.phrase))
        builder = Builder(searcher, fields, text_only=True, stem_phrases=True)
        return builder.compile(node).query

    def counts(self, searcher: Any) -> dict[int, int]:
        """docnum -> how often the phrase occurs in the body, from the index's positions.

        The counts follow search's phrase matching (`query`); each document's span
        count is the number of its occurrences.
        """
        from statements.index.ranking import each_posting
        from statements.index.schema import BODY_FIELDS

        query = self.query(searcher, BODY_FIELDS)
        out: dict[int, int] = {}
        matcher = query.matcher(searcher, searcher.context(needs_current=True))
        for at in each_posting(matcher):
            out[at.id()] = out.get(at.id(), 0) + len(at.spans())
        return out

    def searchable(self) -> bool:
        return self._spec(False) is not None or self._spec(True) is not None

    def find(self, text: str, language: str | None) -> Iterator[tuple[int, int]]:
        """(start, end) character spans of the phrase in `text`, in order, not overlapping."""
        from statements.index.analysis import is_russian

        spec = self._spec(is_russian(language))
        if spec is None:
            return
        analyzer, stems, pattern, prefix = spec
        k = len(stems)
        first = stems[0]
        taken = 0
        for start in _starts(text, pattern, prefix):
            if start < taken or _inside_token(text, start):
                continue
            window = 32 * k
            while True:
                chunk = text[start : start + window]
                tokens = [
                    (t.text, t.startchar, t.endchar) for t in islice(analyzer(chunk, chars=True), k)
                ]
                whole = start + window >= len(text)
                if whole or (len(tokens) == k and tokens[-1][2] < len(chunk)):
                    break
                window *= 4
            russian = is_russian(language)
            if not tokens or tokens[0][1] != 0 or _stem(tokens[0][0], russian) != first:
                continue
            if len(tokens) == k and all(
                _stem(t[0], russian) == s for t, s in zip(tokens, stems, strict=True)
            ):
                end = start + tokens[-1][2]
                taken = end
                yield start, end


def _stem(word: str, russian: bool) -> str:
    from statements.index.analysis import stemmer

    return stemmer("ru" if russian else "en")(word)


def _starts(text: str, pattern: re.Pattern[str], prefix: str) -> Iterator[int]:
    """Where words that may stem to the phrase's first stem start.

    `str.find` on the lowercased text is several times faster than the
    case-insensitive regex; where lowercasing changes the text's length (a few
    Unicode letters do), offsets would shift, so the regex is used instead.
    """
    low = text.lower()
    if len(low) != len(text):
        yield from (m.start() for m in pattern.finditer(text))
        return
    i = low.find(prefix)
    while i >= 0:
        before = low[i - 1] if i else " "
        if not (before.isalnum() or before == "_"):
            yield i
        i = low.find(prefix, i + 1)


def _inside_token(text: str, start: int) -> bool:
    """True when `start` follows "x." inside one dotted token ("u.s", "3.5"): the
    analyzer's words (`analysis.WORD`) keep such tokens whole."""
    return start >= 2 and text[start - 1] == "." and (text[start - 2].isalnum())


def kwic(text: str, start: int, end: int, width: int) -> tuple[str, str, str]:
    """Keyword in context: up to `width` characters each side, whitespace collapsed,
    cut at a word boundary where one is near."""
    left = " ".join(text[max(0, start - width * 2) : start].split())
    right = " ".join(text[end : end + width * 2].split())
    if left and text[start - 1].isspace():  # the spacing next to the match, as written
        left += " "
    if right and text[end].isspace():
        right = " " + right
    if len(left) > width:
        cut = left[-width:]
        space = cut.find(" ")
        left = "…" + (cut[space + 1 :] if 0 <= space < width // 3 else cut)
    if len(right) > width:
        cut = right[:width]
        space = cut.rfind(" ")
        right = (cut[:space] if space > width * 2 // 3 else cut) + "…"
    return left, " ".join(text[start:end].split()), right


def phrase_query(phrase: str) -> str:
    """The search query of a phrase as typed (quotes inside it are dropped)."""
    words = " ".join(phrase.replace('"', " ").split())
    return f'"{words}"'
