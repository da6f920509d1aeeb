"""One-pass Whoosh analyzers: tokenize, lowercase, drop stop words, stem, in one loop.

Whoosh's chained analyzers (`RegexTokenizer | LowercaseFilter | StopFilter |
StemFilter`) pass every token through four Python generators; indexing spent
about half of its time there. This analyzer does the same work in one loop
with a per-instance stem cache, and gives the same tokens: words of
`analysis.WORD`, lowercased, words shorter than 2 characters and stop words
dropped (positions renumbered over the kept words, as StopFilter does), stems
from `analysis.stem_en` / `analysis.stem_ru`.

This module imports Whoosh; it is imported only where a schema is built or
an index opened (the schema pickled in an index refers to this class).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis.acore import Composable, Token
from whoosh.formats import Positions

from index import analysis

STEMMERS = {"en": analysis.stem_en, "ru": analysis.stem_ru, "none": None}


class FastAnalyzer(Composable):
    """Words -> lowercase -> (not stop words) -> stems, for language `lang`."""

    is_morph = True

    def __init__(self, lang: str = "en", stoplist: frozenset[str] = frozenset(), minsize: int = 2):
        self.lang = lang
        self.stoplist = frozenset(stoplist)
        self.minsize = minsize
        self._cache: dict[str, str] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"lang": self.lang, "stoplist": self.stoplist, "minsize": self.minsize}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._cache = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FastAnalyzer) and (self.lang, self.stoplist, self.minsize) == (
            other.lang,
            other.stoplist,
            other.minsize,
        )

    def __hash__(self) -> int:
        return hash((self.lang, self.minsize, len(self.stoplist)))

    def __repr__(self) -> str:
        return f"FastAnalyzer(lang={self.lang!r})"

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
        stem = STEMMERS.get(self.lang)
        cache = self._cache
        stops = self.stoplist
        minsize = self.minsize
        pos = start_pos
        if not tokenize:
            matches: Any = [_Whole(value)]
        else:
            matches = analysis.WORD.finditer(value)
        for match in matches:
            word = match.group(0).lower()
            stopped = len(word) < minsize or word in stops
            if stopped and removestops:
                continue
            if keeporiginal:
                t.original = word  # type: ignore[attr-defined]
            if stem is not None and not stopped:
                text = cache.get(word)
                if text is None:
                    text = cache[word] = stem(word)
                    if len(cache) > 200_000:
                        cache.clear()
            else:
                text = word
            t.text = text
            t.stopped = stopped
            t.boost = 1.0
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            if not stopped:
                pos += 1
            yield t

    def stem_positions(self, value: str) -> dict[str, list[int]]:
        """stem -> its positions in `value`: the tokens `__call__` gives in index mode
        (positions counted over the kept words), without a Token per word."""
        stem = STEMMERS.get(self.lang)
        cache = self._cache
        stops = self.stoplist
        minsize = self.minsize
        poses: dict[str, list[int]] = {}
        pos = 0
        for match in analysis.WORD.findall(value):
            word = match.lower()
            if len(word) < minsize or word in stops:
                continue
            if stem is not None:
                text = cache.get(word)
                if text is None:
                    text = cache[word] = stem(word)
                    if len(cache) > 200_000:
                        cache.clear()
            else:
                text = word
            found = poses.get(text)
            if found is None:
                poses[text] = [pos]
            else:
                found.append(pos)
            pos += 1
        return poses


class FastPositions(Positions):
    """Whoosh's `Positions` format (same postings, same bytes on disk) that asks a
    `FastAnalyzer` for each stem's positions in one loop: indexing spent a
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
        single = _SINGLE  # most stems occur once in a text: that encoding is memoised
        for w, poslist in analyzer.stem_positions(value).items():
            if len(poslist) == 1:
                value_bytes = single.get(poslist[0])
                if value_bytes is None:
                    value_bytes = single[poslist[0]] = encode(poslist)
            else:
                value_bytes = encode(poslist)
            yield (w, len(poslist), float(len(poslist)) * fb, value_bytes)


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


def english() -> FastAnalyzer:
    from whoosh.analysis import STOP_WORDS

    return FastAnalyzer("en", frozenset(STOP_WORDS))


def russian() -> FastAnalyzer:
    from whoosh.lang import stopwords_for_language

    return FastAnalyzer("ru", frozenset(stopwords_for_language("ru")))


def plain() -> FastAnalyzer:
    return FastAnalyzer("none", frozenset(), minsize=1)
