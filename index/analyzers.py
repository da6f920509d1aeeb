"""The one-pass Whoosh analyzer of the text fields: every word, lowercased, in order.

Whoosh's chained analyzers (`RegexTokenizer | LowercaseFilter | ...`) pass
every token through several Python generators; indexing spent about half of
its time there. This analyzer does the work in one loop: the words of
`analysis.WORD`, normalised by `analysis.normal`, every one kept with its
position (stop words too: phrases match exact words). Nothing is stemmed at
index time; `lang` says which stemmer a query on the field uses.

This module imports Whoosh; it is imported only where a schema is built or
an index opened (the schema pickled in an index refers to this class).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis.acore import Composable, Token
from whoosh.formats import Positions

from statements.index import analysis


class FastAnalyzer(Composable):
    """Words -> lowercase (analysis.normal), all kept; `lang`: the field's query stemmer."""

    is_morph = False

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang
        self.version = VERSION

    def __getstate__(self) -> dict[str, Any]:
        return {"lang": self.lang, "version": self.version}

    def __setstate__(self, state: dict[str, Any]) -> None:
        # An index written by an older release pickled other attributes (a stop list,
        # a minimum size): it loads, compares unequal to today's schema, and the
        # index is reported as needing `reindex` (index.writer.open_index).
        self.lang = state.get("lang", "en")
        self.version = state.get("version", 1)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FastAnalyzer) and (self.lang, self.version) == (
            other.lang,
            other.version,
        )

    def __hash__(self) -> int:
        return hash((self.lang, self.version))

    def __repr__(self) -> str:
        return f"FastAnalyzer(lang={self.lang!r}, version={self.version})"

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        normal = analysis.normal
        pos = start_pos
        matches: Any = analysis.WORD.finditer(value) if tokenize else [_Whole(value)]
        for match in matches:
            word = normal(match.group(0))
            if keeporiginal:
                t.original = word  # type: ignore[attr-defined]
            t.text = word
            t.stopped = False
            t.boost = 1.0
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            pos += 1
            yield t

    def word_positions(self, value: str) -> dict[str, list[int]]:
        """word -> its positions in `value`: the tokens `__call__` gives, without a
        Token per word."""
        poses: dict[str, list[int]] = {}
        normal = analysis.normal
        for pos, match in enumerate(analysis.WORD.findall(value)):
            word = match.lower()
            if "'" in word or "’" in word:
                word = normal(word)
            found = poses.get(word)
            if found is None:
                poses[word] = [pos]
            else:
                found.append(pos)
        return poses


# Bumped when the indexed words change (tokenizing, normalising): an index written
# with another version is reported as needing `reindex`.
VERSION = 2


class FastPositions(Positions):
    """Whoosh's `Positions` format (same postings, same bytes on disk) that asks a
    `FastAnalyzer` for each word's positions in one loop: indexing spent a
    quarter of its time passing Token objects from the analyzer to this format."""

    def word_values(
        self, value: Any, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[Any, int, float, bytes]]:  # (text, freq, weight, value) as Positions
        if (
            type(analyzer) is not FastAnalyzer
            or not isinstance(value, str)
            or kwargs.get("mode", "index") != "index"
            or set(kwargs) - {"mode"}
        ):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        fb = self.field_boost
        encode = self.encode
        single = _SINGLE  # most words occur once in a text: that encoding is memoised
        for w, poslist in analyzer.word_positions(value).items():
            if len(poslist) == 1:
                value_bytes = single.get(poslist[0])
                if value_bytes is None:
                    value_bytes = single[poslist[0]] = encode(poslist)
            else:
                value_bytes = encode(poslist)
            yield (w, len(poslist), float(len(poslist)) * fb, value_bytes)


def text_analyzer(lang: str) -> Any:  # a Composable, where Whoosh's fields say Analyzer
    """The analyzer of a text field: exact words (index.analysis); `lang` names the
    stemmer its queries use."""
    return FastAnalyzer(lang)


def plain_analyzer() -> Any:
    """Words lowercased, not stemmed: the vocabulary behind "Did you mean"."""
    return FastAnalyzer("none")


# position -> Positions.encode([position]) (the same bytes for every field)
_SINGLE: dict[int, bytes] = {}


class _Whole:
    """A stand-in for a regex match covering the whole value (tokenize=False)."""

    def __init__(self, value: str) -> None:
        self.value = value

    def group(self, _n: int) -> str:
        return self.value

    def start(self) -> int:
        return 0

    def end(self) -> int:
        return len(self.value)
