"""Matching and BM25F scoring straight from the posting lists, for the whole query tree.

Every query (words, phrases, wildcards, AND/OR/NOT, field clauses) is answered
here as a set of matched documents with their scores: each posting list is
decoded once, block by block, and combined with set and dict operations;
Whoosh's matcher tree and collector are not used for ranking (they walk every
posting through several layers of Python objects).

The score is BM25F (Robertson and Zaragoza, "The Probabilistic Relevance
Framework: BM25 and Beyond", 2009) over the text fields, per query word:

    tf~(d)  = sum over fields f of  WEIGHTS[f] * tf_f(d) / (1 - B + B * len_f(d) / avglen_f)
    idf     = ln(1 + (N - df + 0.5) / (df + 0.5))                  (Lucene's BM25 idf)
    score   = idf * tf~ * (K1 + 1) / (tf~ + K1)

tf_f(d) counts every indexed word of the query word's stem (`sanctions` ->
sanction, sanctioned, ...; a wildcard's words) in field f, df the documents
holding any of them in any field, N the live documents, avglen_f the mean
length of f over the documents that have it (English and Russian documents
fill different fields). A title hit and a body hit of one word saturate
together, as BM25F intends, instead of being two independent terms.
A phrase scores the sum of its words' scores, over the documents holding it.

K1, B and the title weight were chosen on four public test collections
(`make relevance`, bench/relevance.py; a grid on all three measures is flat
near them, see docs/search.md). index.rerank then re-orders the best
documents of a plain-words query (feedback, proximity).
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence, Set
from itertools import accumulate
from typing import Any

from statements.index.schema import TEXT_FIELDS

K1 = 2.0
B = 0.75
WEIGHTS = {"title": 3.0, "body": 1.0, "title_ru": 3.0, "body_ru": 1.0}

Scores = dict[int, float]


class Evaluator:
    """Matched documents (and their scores) of Whoosh query trees built by
    index.query.Builder, over one searcher; posting lists are read once per term."""

    def __init__(self, searcher: Any, live: Set[int]) -> None:
        from statements.index.query import or_classes

        self.searcher = searcher
        self.reader = searcher.reader()
        self.live = live
        self.n = max(1, len(live))
        self.variants_cls, self.word_cls = or_classes()
        self._postings: dict[tuple[str, str], tuple[list[int], list[float]]] = {}
        self._lengths: dict[str, list[tuple[int, bytes | None, Any]]] = {}
        self._avg: dict[str, float] = {}
        self.idfs: dict[str, float] = {}  # plain query word -> its idf, once scored

    # ---- the tree ----------------------------------------------------------------

    def docs(self, query: Any) -> set[int]:
        """The live documents `query` matches."""
        return self._walk(query, False)[0] & self.live

    def scored(self, query: Any) -> tuple[set[int], Scores]:
        """The live documents `query` matches and their scores (0 for a match that
        holds no scored word, e.g. `-x` or a date range alone)."""
        docs, scores = self._walk(query, True)
        return docs & self.live, scores

    def _walk(self, node: Any, score: bool) -> tuple[set[int], Scores]:
        from whoosh import query as q

        kind = type(node)
        if kind is self.word_cls:
            return self._word(node.subqueries, score, node.label)
        if kind is self.variants_cls:
            return self._word([node], score)
        if kind is q.Term:
            if node.fieldname in TEXT_FIELDS:
                return self._word([node], score)
            return self._ids(node.fieldname, _text(node.text)), {}
        if kind is q.Or:
            docs: set[int] = set()
            acc: Scores = {}
            for sub in node.subqueries:
                d, s = self._walk(sub, score)
                docs |= d
                _add(acc, s)
            return docs, acc
        if kind is q.And:
            subs = sorted(node.subqueries, key=lambda sub: type(sub) is not q.Term)
            parts = []
            docs = set()
            for n, sub in enumerate(subs):
                d, s = self._walk(sub, score)
                docs = set(d) if n == 0 else docs & d
                parts.append(s)
                if not docs:
                    return set(), {}
            acc = {}
            for s in parts:
                _add(acc, s, docs)
            return docs, acc
        if kind is q.AndNot:
            d, s = self._walk(node.a, score)
            d = d - self._walk(node.b, False)[0]
            return d, {k: v for k, v in s.items() if k in d}
        if kind is q.Not:
            return set(self.live) - self._walk(node.query, False)[0], {}
        if kind is q.Every:
            return set(self.live), {}
        if node is q.NullQuery:
            return set(), {}
        if kind is q.Phrase:
            docs = set(self.searcher.docs_for_query(node))
            if not score or not docs:
                return docs, {}
            acc = {}
            for word in node.words:
                _add(acc, self._word([q.Term(node.fieldname, word)], True)[1], docs)
            return docs, acc
        if kind is q.Sequence:  # a phrase of stem variants (index.query, stem_phrases)
            docs = set(self.searcher.docs_for_query(node))
            if not score or not docs:
                return docs, {}
            acc = {}
            for sub in node.subqueries:
                _add(acc, self._word([sub], True)[1], docs)
            return docs, acc
        return set(self.searcher.docs_for_query(node)), {}

    def word_scores(self, query: Any, only: set[int]) -> Scores:
        """The scores of one query word (a `word_group`) for the documents in `only`
        alone (index.rerank re-scores its candidates: a frequent word's posting
        list is then searched, not walked)."""
        if type(query) is not self.word_cls:
            scores = self.scored(query)[1]
            return {d: s for d, s in scores.items() if d in only}
        group: Any = query
        return self._word(group.subqueries, True, group.label, only)[1]

    def _word(
        self, parts: list[Any], score: bool, label: str = "", only: set[int] | None = None
    ) -> tuple[set[int], Scores]:
        """One query word: its terms in one or more fields, scored together (BM25F),
        for every document holding it or for those in `only`. A plain word's idf is
        kept under its label (`idfs`, for index.rerank)."""
        from whoosh import query as q

        per_field: list[tuple[str, dict[int, float]]] = []
        docs: set[int] = set()
        for part in parts:
            terms = [part] if type(part) is q.Term else part.subqueries
            tfs: dict[int, float] = {}
            for term in terms:
                ids, weights = self._read(term.fieldname, _text(term.text))
                if not score:
                    docs.update(ids)
                    continue
                get = tfs.get
                if only is not None:
                    docs.update(ids)  # the df counts every holder
                    for d in only:  # ids ascend (segments in order): binary search
                        i = bisect_left(ids, d)
                        if i < len(ids) and ids[i] == d:
                            tfs[d] = get(d, 0.0) + weights[i]
                    continue
                for d, w in zip(ids, weights, strict=True):
                    tfs[d] = get(d, 0.0) + w
            if tfs:
                per_field.append((str(part.fieldname), tfs))
                docs.update(tfs)
        if not score or not docs:
            return docs, {}
        df = len(docs & self.live) or len(docs)
        idf = math.log(1 + (self.n - df + 0.5) / (df + 0.5))
        if label:
            self.idfs[label] = idf
        acc: Scores = {}
        get = acc.get
        for fieldname, tfs in per_field:
            weight = WEIGHTS.get(fieldname, 1.0)
            norm = self._norms(fieldname)
            for d, tf in tfs.items():
                acc[d] = get(d, 0.0) + weight * tf / norm(d)
        k1 = K1
        scale = idf * (k1 + 1)
        return docs, {d: scale * t / (t + k1) for d, t in acc.items()}

    # ---- postings and lengths ------------------------------------------------------

    def _ids(self, fieldname: str, text: str) -> set[int]:
        return set(self._read(fieldname, text)[0])

    def _read(self, fieldname: str, text: str) -> tuple[list[int], list[float]]:
        """(docnums, term frequencies) of one term over every segment (deleted
        documents included: results are intersected with the live set)."""
        from whoosh.reading import TermNotFound

        key = (fieldname, text)
        found = self._postings.get(key)
        if found is not None:
            return found
        ids_out: list[int] = []
        weights_out: list[float] = []
        if key in self.reader:
            for sub, base in self.reader.leaf_readers():
                try:
                    matcher = sub.postings(fieldname, text)
                except TermNotFound:
                    continue
                ids, weights = _postings(matcher)
                ids_out.extend(ids if not base else [base + i for i in ids])
                weights_out.extend(weights)
        self._postings[key] = (ids_out, weights_out)
        return ids_out, weights_out

    def _norms(self, fieldname: str) -> Any:
        """docnum -> 1 - B + B * len_f(d) / avglen_f, for one field."""
        from whoosh.util.numeric import byte_to_length

        segments = self._segments(fieldname)
        avg = self._avg_length(fieldname)
        b = B
        table = [1 - b + b * byte_to_length(i) / avg for i in range(256)]
        if len(segments) == 1 and segments[0][1] is not None:
            data = segments[0][1]
            return lambda d: table[data[d]]

        def norm(d: int) -> float:
            for base, data, sub in reversed(segments):
                if d >= base:
                    if data is not None:
                        return table[data[d - base]]
                    return 1 - b + b * sub.doc_field_length(d - base, fieldname, 1) / avg
            return 1.0

        return norm

    def _segments(self, fieldname: str) -> list[tuple[int, bytes | None, Any]]:
        """(docnum base, field-length bytes or None, sub-reader) of each segment."""
        found = self._lengths.get(fieldname)
        if found is None:
            found = self._lengths[fieldname] = [
                (base, _length_bytes(sub, fieldname), sub)
                for sub, base in self.reader.leaf_readers()
            ]
        return found

    def _avg_length(self, fieldname: str) -> float:
        """The mean length of a field over the documents that have it."""
        from whoosh.util.numeric import byte_to_length

        avg = self._avg.get(fieldname)
        if avg is not None:
            return avg
        total = 0.0
        count = 0
        for _base, data, sub in self._segments(fieldname):
            if data is None:
                total += sub.field_length(fieldname)
                count += sub.doc_count_all()
                continue
            for byte, n in Counter(data).items():
                if byte:
                    total += byte_to_length(byte) * n
                    count += n
        avg = self._avg[fieldname] = (total / count) if count and total else 1.0
        return avg


def _text(text: Any) -> str:
    return text if isinstance(text, str) else text.decode("utf-8")


def _add(acc: Scores, scores: Scores, only: set[int] | None = None) -> None:
    get = acc.get
    if only is None:
        for d, s in scores.items():
            acc[d] = get(d, 0.0) + s
    else:
        for d, s in scores.items():
            if d in only:
                acc[d] = get(d, 0.0) + s


def _length_bytes(sub: Any, fieldname: str) -> bytes | None:
    """A segment's whole field-length column as bytes (one byte per document),
    or None when the codec does not expose it (then lengths are read one by one)."""
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        col = sub._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if col is not None and col._fixedlen == 1:
            raw = col._dbfile.get(col._basepos, col._count)
            return bytes(raw) + b"\x00" * (sub.doc_count_all() - col._count)
        if col is None:
            return b"\x00" * sub.doc_count_all()
    except (AttributeError, ImportError, TypeError):
        pass
    return None


def _postings(matcher: Any) -> tuple[list[int], list[float]]:
    """(docnums, weights) of a posting list, block by block where the codec allows
    (deleted documents included: callers intersect with the live set)."""
    leaf = getattr(matcher, "child", matcher)  # unwrap the deletions filter
    ids: list[int] = []
    weights: list[float] = []
    if not all(hasattr(leaf, a) for a in _BLOCK_API):
        for at in each_posting(matcher):
            ids.append(at.id())
            weights.append(at.weight())
        return ids, weights
    while not leaf._atend:
        if leaf._data is None:
            leaf._read_data()
        # the block's ids are deltas (whoosh.util.numlists.delta_decode is a running sum)
        ids.extend(leaf._data[0] if leaf._byteids else accumulate(leaf._data[0]))
        if leaf._weights is None:
            leaf._read_weights()
        weights.extend(leaf._weights)
        if leaf._lastblock:
            break
        leaf._next_block()
    return ids, weights


def each_posting(matcher: Any) -> Iterator[Any]:
    """The matcher at each of its postings in turn (Whoosh's walk, a posting at a time:
    for matchers `_postings` cannot read by blocks, and for phrase spans)."""
    while matcher.is_active():
        yield matcher
        matcher.next()


_BLOCK_API = (
    "_atend",
    "_data",
    "_byteids",
    "_weights",
    "_read_data",
    "_read_weights",
    "_lastblock",
)


def top(docs: Iterable[int], scores: Scores, n: int, ids: Sequence[str | None]) -> list:
    """The best `n` of `docs` as (docnum, score): by score rounded to 9 decimals, ties
    in id order (so a rebuilt index, with other docnums, ranks the same way)."""
    docs = list(docs)
    if not docs or n <= 0:
        return []

    def key(d: int) -> float:
        return scores.get(d, 0.0)

    best = heapq.nlargest(n + 1, docs, key=key)
    if len(best) > n:
        cut = round(key(best[n - 1]), 9)
        if round(key(best[n]), 9) >= cut:  # a tie straddles the end of the page
            best = [d for d in docs if round(key(d), 9) >= cut]
    best.sort(key=lambda d: (-round(key(d), 9), ids[d] or ""))
    return [(d, key(d)) for d in best[:n]]
