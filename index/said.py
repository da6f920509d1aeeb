"""Who said which words: speaker turns as word ranges of the documents index.

`search --said-by`, the said-by facet and `trace --said-by` ask whether a query
matches within one person's turn. A turn is cut from its record's body, so its
words are already in the body's postings: each turn is stored with its document
as a range of the body's word positions (`TurnSpan`, in the document's `turns`
column), and a query is matched within a turn by checking the positions of its
words (`matching_turns`). The spoken text is indexed once. (A second Whoosh
index of the turns, one document per turn, held the spoken text a second time:
1.1x the body text at 100,000 documents, and a third of the build.)

A record whose turns are not cut from its text as it is (a `.jsonl` record made
elsewhere) has those turns' text indexed in the `spoken` field instead, and the
turn is a range of that field's positions.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
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


def pack(spans: list[TurnSpan]) -> bytes:
    """A document's turns as stored in its `turns` column: JSON, plain data."""
    return json.dumps([list(s) for s in spans], ensure_ascii=False).encode("utf-8")


def unpack(value: bytes) -> list[TurnSpan]:
    """A document's turns from its column value ([] for none, or anything malformed)."""
    if not value:
        return []
    try:
        items = json.loads(value)
    except ValueError:
        return []
    out = []
    for item in items if isinstance(items, list) else ():
        try:
            pos, key, name, field, lo, hi = item
            out.append(TurnSpan(int(pos), str(key), str(name), str(field), int(lo), int(hi)))
        except (TypeError, ValueError):
            continue
    return out


class TurnColumn:
    """The `turns` column of every segment, read by docnum of the whole index.

    Each segment's column reader is opened on first use: a segment without a
    document with turns has no column, and gives no turns."""

    def __init__(self, reader: Any) -> None:
        leaves = reader.leaf_readers()
        self.readers = [r for r, _ in leaves]
        self.offsets = [base for _, base in leaves]
        self.columns: dict[int, Any] = {}

    def __getitem__(self, doc: int) -> list[TurnSpan]:
        i = bisect_right(self.offsets, doc) - 1
        column = self.columns.get(i)
        if column is None:
            reader = self.readers[i]
            has = reader.has_column("turns")
            column = reader.column_reader("turns", translate=False) if has else ()
            self.columns[i] = column
        local = doc - self.offsets[i]
        return unpack(column[local]) if local < len(column) else []


class Leaf:
    """Words, phrases or sequences of one field, any of which matches (a query word's
    variants, or one word): their spans in the current document, merged and sorted."""

    __slots__ = ("doc", "ends", "field", "matchers", "queries", "starts")

    def __init__(self, field: str, queries: list[Any]) -> None:
        self.field = field
        self.queries = queries
        self.matchers: list[Any] | None = None
        self.doc = -1
        self.starts: list[int] = []
        self.ends: list[int] = []

    def load(self, searcher: Any, doc: int) -> None:
        """The spans of `doc` (documents are asked for in increasing order)."""
        if self.doc == doc:
            return
        self.doc = doc
        if self.matchers is None:
            context = searcher.context(needs_current=True)
            self.matchers = [q.matcher(searcher, context) for q in self.queries]
        spans: list[tuple[int, int]] = []
        for m in self.matchers:
            if m.is_active() and m.id() < doc:
                m.skip_to(doc)
            if m.is_active() and m.id() == doc:
                spans.extend((s.start, s.end) for s in m.spans())
        spans.sort()
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def within(self, lo: int, hi: int) -> int:
        """How many of the spans lie within positions [lo, hi)."""
        starts, ends = self.starts, self.ends
        n = 0
        for i in range(bisect_left(starts, lo), bisect_left(starts, hi)):
            n += ends[i] < hi
        return n


# A query compiled for turns: ("leaf", Leaf) | ("and", [..]) | ("or", [..]) |
# ("andnot", a, b) | ("not", x) | ("all",) | ("none",)
Plan = tuple


class TurnMatcher:
    """Whether a compiled query matches within a turn, from the positions of its words.

    The query is one `index.query.Builder` compiles over `SAID_FIELDS` (text only).
    Its boolean structure is evaluated per turn: a word, phrase or sequence matches
    when one of its spans in the document lies within the turn's positions of its
    field; `And`, `Or`, `AndNot` and `Not` combine as they do for documents. A
    word's variants in one field are one `Leaf`, whose spans are read once per
    document. Each leaf's matchers walk the documents in increasing order once
    (`skip_to`), so the documents must be asked for in that order.
    """

    def __init__(self, searcher: Any, query: Any) -> None:
        self.searcher = searcher
        self.leaves: list[Leaf] = []
        self.plan = self._compile(query)

    def _compile(self, node: Any) -> Plan:
        from whoosh import query as q

        if isinstance(node, q.Every):
            return ("all",)
        if node is q.NullQuery:
            return ("none",)
        if isinstance(node, q.Not):
            return ("not", self._compile(node.query))
        if isinstance(node, q.AndNot):
            return ("andnot", self._compile(node.a), self._compile(node.b))
        if isinstance(node, q.Sequence | q.Phrase | q.Term):
            return self._leaf([node])
        if isinstance(node, q.And):
            return ("and", [self._compile(sub) for sub in node.subqueries])
        if isinstance(node, q.Or):
            subs = list(node.subqueries)
            kinds = q.Sequence | q.Phrase | q.Term
            one_field = len({_field(sub) for sub in subs}) == 1
            if subs and one_field and all(isinstance(sub, kinds) for sub in subs):
                return self._leaf(subs)
            return ("or", [self._compile(sub) for sub in subs])
        raise TypeError(f"a said-by query cannot hold {type(node).__name__}")

    def _leaf(self, queries: list[Any]) -> Plan:
        leaf = Leaf(_field(queries[0]) or "", queries)
        self.leaves.append(leaf)
        return ("leaf", leaf)

    def matches(self, doc: int, turn: TurnSpan) -> bool:
        return self._eval(self.plan, doc, turn)

    def count(self, doc: int, turn: TurnSpan) -> int:
        """How many spans of the query's words, phrases or sequences lie within the
        turn (a phrase's occurrences, for `trace`)."""
        n = 0
        for leaf in self.leaves:
            if leaf.field == turn.field:
                leaf.load(self.searcher, doc)
                n += leaf.within(turn.lo, turn.hi)
        return n

    def _eval(self, plan: Plan, doc: int, turn: TurnSpan) -> bool:
        kind = plan[0]
        if kind == "leaf":
            leaf = plan[1]
            if leaf.field != turn.field:
                return False
            leaf.load(self.searcher, doc)
            return leaf.within(turn.lo, turn.hi) > 0
        if kind == "and":
            return all(self._eval(sub, doc, turn) for sub in plan[1])
        if kind == "or":
            return any(self._eval(sub, doc, turn) for sub in plan[1])
        if kind == "andnot":
            return self._eval(plan[1], doc, turn) and not self._eval(plan[2], doc, turn)
        if kind == "not":
            return not self._eval(plan[1], doc, turn)
        return kind == "all"


def matching_turns(
    searcher: Any,
    query: Any,
    docs: Iterable[int],
    keys: set[str] | None = None,
) -> Iterable[tuple[int, TurnSpan]]:
    """(docnum, turn) for each turn of `docs` (by one of `keys`, when given) that
    `query` matches within, in document order and each document's turn order."""
    matcher = TurnMatcher(searcher, query)
    column = TurnColumn(searcher.reader())
    for d in sorted(docs):
        for turn in column[d]:
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
    column = TurnColumn(searcher.reader())
    for d in sorted(docs):
        for turn in column[d]:
            n = matcher.count(d, turn)
            if n:
                yield d, turn, n


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
