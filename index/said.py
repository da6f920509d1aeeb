"""Who said which words: speaker turns as word ranges of the documents index.

`search --said-by`, the said-by facet and `trace --said-by` ask whether a query
matches within one person's turn. A turn is cut from its record's body, so its
words are already in the body's postings: each turn is stored with its document
as a range of the body's word positions (`TurnSpan`), and a query is matched
within a turn by checking the positions of its words (`matching_turns`). The
spoken text is indexed once. (A second Whoosh index of the turns, one document
per turn, held the spoken text a second time: 1.1x the body text at 100,000
documents, and a third of the build.)

A record whose turns are not cut from its text as it is (a `.jsonl` record made
elsewhere) has those turns' text indexed in the `spoken` field instead, and the
turn is a range of that field's positions.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from statements.index.analysis import WORD, is_russian

if TYPE_CHECKING:
    from statements.scraper.record import Statement


class TurnSpan(NamedTuple):
    """One turn by a named person: its place in the record's turns, the person (key
    and display name), and the word positions [lo, hi) of `field` it covers."""

    pos: int
    key: str
    name: str
    field: str
    lo: int
    hi: int


@dataclass
class SaidText:
    """What a record gives the index for its turns."""

    spans: list[TurnSpan]
    spoken: str  # the text of turns not found in the body, indexed in `spoken`
    spoken_field: str  # "spoken" or "spoken_ru"


def said_turns(record: Statement) -> list[tuple[int, str, str, str]]:
    """(position, speaker key, display name, text) of each turn by a named person."""
    from statements.index.names import canonical, speaker_key

    out = []
    for pos, turn in enumerate(record.turns):
        if turn.speaker and turn.text.strip():
            key = speaker_key(turn.speaker, record.language)
            if key:
                out.append((pos, key, canonical(turn.speaker, record.language), turn.text))
    return out


SEPARATOR = "\n\n"  # between turns in `spoken` (no word: positions stay contiguous)


def said_text(record: Statement) -> SaidText:
    """Each turn by a named person as a range of the body's word positions, found
    in order in the body (each turn after the one before, else anywhere); turns
    the body does not hold go to `spoken`."""
    ru = is_russian(record.language)
    body_field, spoken_field = ("body_ru", "spoken_ru") if ru else ("body", "spoken")
    turns = said_turns(record)
    spans: list[TurnSpan] = []
    spoken: list[str] = []
    if not turns:
        return SaidText(spans, "", spoken_field)
    body = record.text
    starts = [m.start() for m in WORD.finditer(body)]
    spoken_words = 0
    cursor = 0
    for pos, key, name, text in turns:
        at = body.find(text, cursor)
        if at < 0:
            at = body.find(text)
        if at >= 0:
            cursor = at + len(text)
            lo, hi = bisect_left(starts, at), bisect_left(starts, at + len(text))
            spans.append(TurnSpan(pos, key, name, body_field, lo, hi))
        else:
            n = len(WORD.findall(text))
            spans.append(TurnSpan(pos, key, name, spoken_field, spoken_words, spoken_words + n))
            spoken.append(text)
            spoken_words += n
    return SaidText(spans, SEPARATOR.join(spoken), spoken_field)


def pack(spans: list[TurnSpan]) -> list[tuple]:
    """The stored form of a document's turns (plain tuples: Whoosh pickles them)."""
    return [tuple(s) for s in spans]


def unpack(stored: Any) -> list[TurnSpan]:
    """A document's turns from its stored fields ([] for none, or anything malformed)."""
    out = []
    for item in stored or ():
        try:
            pos, key, name, field, lo, hi = item
            out.append(TurnSpan(int(pos), str(key), str(name), str(field), int(lo), int(hi)))
        except (TypeError, ValueError):
            continue
    return out


class TurnMatcher:
    """Whether a compiled query matches within a turn, from the positions of its words.

    The query is one `index.query.Builder` compiles over `SAID_FIELDS` (text only).
    Its boolean structure is evaluated per turn: a word, phrase or sequence matches
    when one of its spans in the document lies within the turn's positions of its
    field; `And`, `Or`, `AndNot` and `Not` combine as they do for documents. Each
    leaf's matcher walks the documents in increasing order once (`skip_to`), so
    the documents must be asked for in that order.
    """

    def __init__(self, searcher: Any, query: Any) -> None:
        self.searcher = searcher
        self.query = query
        self._matchers: dict[int, Any] = {}
        self._doc = -1
        self._spans: dict[int, list[tuple[int, int]]] = {}

    def _leaf_spans(self, leaf: Any, doc: int) -> list[tuple[int, int]]:
        if doc != self._doc:
            self._doc = doc
            self._spans = {}
        key = id(leaf)
        found = self._spans.get(key)
        if found is not None:
            return found
        matcher = self._matchers.get(key)
        if matcher is None:
            context = self.searcher.context(needs_current=True)
            matcher = self._matchers[key] = leaf.matcher(self.searcher, context)
        found = []
        if matcher.is_active() and matcher.id() < doc:
            matcher.skip_to(doc)
        if matcher.is_active() and matcher.id() == doc:
            found = [(s.start, s.end) for s in matcher.spans()]
        self._spans[key] = found
        return found

    def matches(self, doc: int, turn: TurnSpan) -> bool:
        return self._eval(self.query, doc, turn)

    def count(self, doc: int, turn: TurnSpan) -> int:
        """How many spans of the query's words, phrases or sequences lie within the
        turn (a phrase's occurrences, for `trace`)."""
        lo, hi = turn.lo, turn.hi
        return sum(
            1
            for leaf in _leaves(self.query)
            if _field(leaf) == turn.field
            for s, e in self._leaf_spans(leaf, doc)
            if lo <= s and e < hi
        )

    def _eval(self, node: Any, doc: int, turn: TurnSpan) -> bool:
        from whoosh import query as q

        if isinstance(node, q.Every):
            return True
        if node is q.NullQuery:
            return False
        if isinstance(node, q.Not):
            return not self._eval(node.query, doc, turn)
        if isinstance(node, q.AndNot):
            return self._eval(node.a, doc, turn) and not self._eval(node.b, doc, turn)
        if isinstance(node, q.Sequence | q.Phrase | q.Term):
            if _field(node) != turn.field:
                return False
            lo, hi = turn.lo, turn.hi
            return any(lo <= s and e < hi for s, e in self._leaf_spans(node, doc))
        if isinstance(node, q.And):
            return all(self._eval(sub, doc, turn) for sub in node.subqueries)
        if isinstance(node, q.Or):
            return any(self._eval(sub, doc, turn) for sub in node.subqueries)
        raise TypeError(f"a said-by query cannot hold {type(node).__name__}")


def matching_turns(
    searcher: Any,
    query: Any,
    docs: Iterable[int],
    keys: set[str] | None = None,
) -> Iterable[tuple[int, TurnSpan]]:
    """(docnum, turn) for each turn of `docs` (by one of `keys`, when given) that
    `query` matches within, in document order and each document's turn order."""
    matcher = TurnMatcher(searcher, query)
    for d in sorted(docs):
        for turn in unpack(searcher.stored_fields(d).get("turns")):
            if keys is not None and turn.key not in keys:
                continue
            if matcher.matches(d, turn):
                yield d, turn


def counts_in_turns(
    searcher: Any, query: Any, docs: Iterable[int]
) -> Iterable[tuple[int, TurnSpan, int]]:
    """(docnum, turn, count) for each turn of `docs` holding spans of `query` (a
    phrase), in document order and each document's turn order."""
    matcher = TurnMatcher(searcher, query)
    for d in sorted(docs):
        for turn in unpack(searcher.stored_fields(d).get("turns")):
            n = matcher.count(d, turn)
            if n:
                yield d, turn, n


def _leaves(node: Any) -> list[Any]:
    """The words, phrases and sequences of a query, in order."""
    from whoosh import query as q

    if isinstance(node, q.Sequence | q.Phrase | q.Term):
        return [node]
    return [leaf for sub in getattr(node, "subqueries", ()) for leaf in _leaves(sub)]


def _field(node: Any) -> str | None:
    """The field a word, phrase or sequence (of one field's word variants) searches."""
    name = getattr(node, "fieldname", None)
    if name:
        return str(name)
    for sub in getattr(node, "subqueries", ()):
        found = _field(sub)
        if found:
            return found
    return None
