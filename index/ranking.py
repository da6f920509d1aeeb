"""BM25F scores straight from the posting lists, for queries that are sums of word terms.

A plain word query was read twice: once to collect the matched document set
(facets, totals) and once more by Whoosh's collector to score the top of it,
which walks every posting through several layers of Python matchers (about
two thirds of a one-word search at 20,000 documents). The posting blocks
read for the document set already hold each posting's weight, so the score
of every matched document costs one more arithmetic pass: BM25F with the
same parameters, statistics (idf, average field length) and quantised field
lengths Whoosh's own scorer uses. Scores are summed over the query's terms as
Whoosh's OR and AND matchers sum them.

Only trees of `Or`/`And` over `Term`s of the text fields are scored here, and
only with Whoosh's BM25F weighting; anything else (phrases, wildcards,
keyword clauses, another weighting model) goes through Whoosh's collector.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from itertools import accumulate
from typing import Any

from index.schema import TEXT_FIELDS


def text_terms(query: Any) -> list[tuple[str, str]] | None:
    """The (field, text) leaves of a pure sum-of-terms query, in order; None otherwise."""
    from whoosh import query as q

    out: list[tuple[str, str]] = []

    def walk(node: Any) -> bool:
        if type(node) is q.Term:
            if node.fieldname not in TEXT_FIELDS or node.boost != 1.0:
                return False
            text = node.text if isinstance(node.text, str) else node.text.decode("utf-8")
            out.append((node.fieldname, text))
            return True
        if type(node) in (q.Or, q.And):
            if node.boost != 1.0 or getattr(node, "scale", None):
                return False
            if type(node) is q.Or and getattr(node, "minmatch", None):
                return False
            return bool(node.subqueries) and all(walk(sub) for sub in node.subqueries)
        return False

    return out if walk(query) else None


class TermScores:
    """Matched docnums and their BM25F scores, per (field, text) term, read once."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self.ids: dict[tuple[str, str], list[int]] = {}
        self.scores: dict[tuple[str, str], list[float]] = {}
        self._lengths: dict[tuple[int, str], Any] = {}

    @staticmethod
    def supported(searcher: Any) -> bool:
        from whoosh import scoring

        return type(searcher.weighting) is scoring.BM25F

    def load(self, terms: Iterable[tuple[str, str]]) -> None:
        for term in terms:
            if term not in self.ids:
                self.ids[term], self.scores[term] = self._read(*term)

    def _read(self, fieldname: str, text: str) -> tuple[list[int], list[float]]:
        from whoosh import scoring
        from whoosh.reading import TermNotFound
        from whoosh.util.numeric import byte_to_length

        searcher = self.searcher
        reader = searcher.reader()
        if (fieldname, text) not in reader:
            return [], []
        scorer = searcher.weighting.scorer(searcher, fieldname, text)
        if type(scorer) is not scoring.BM25FScorer:  # e.g. a field without lengths
            raise Unsupported
        idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        # bm25(idf, tf, fl, avgfl, B, K1), term for term as whoosh.scoring.bm25 computes it
        k1_1 = k1 + 1
        one_b = 1 - b
        ids_out: list[int] = []
        scores_out: list[float] = []
        for number, (sub, base) in enumerate(reader.leaf_readers()):
            try:
                matcher = sub.postings(fieldname, text)
            except TermNotFound:
                continue
            ids, weights = _postings(matcher)
            lengths = self._length_bytes(number, sub, fieldname)
            if lengths is not None:
                scores_out.extend(
                    [
                        idf
                        * (
                            (tf * k1_1)
                            / (tf + k1 * (one_b + b * byte_to_length(lengths[i]) / avgfl))
                        )
                        for tf, i in zip(weights, ids, strict=True)
                    ]
                )
            else:
                fls = [sub.doc_field_length(i, fieldname, 1) for i in ids]
                scores_out.extend(
                    [
                        idf * ((tf * k1_1) / (tf + k1 * (one_b + b * fl / avgfl)))
                        for tf, fl in zip(weights, fls, strict=True)
                    ]
                )
            ids_out.extend(ids if not base else [base + i for i in ids])
        return ids_out, scores_out

    def _length_bytes(self, number: int, sub: Any, fieldname: str) -> Any:
        """A segment's whole field-length column as bytes (one byte per document),
        or None when the codec does not expose it (then lengths are read one by one)."""
        key = (number, fieldname)
        if key in self._lengths:
            return self._lengths[key]
        data = None
        try:
            from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

            col = sub._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if col is not None and col._fixedlen == 1:
                raw = col._dbfile.get(col._basepos, col._count)
                data = bytes(raw) + b"\x00" * (sub.doc_count_all() - col._count)
        except (AttributeError, ImportError, TypeError):
            data = None
        self._lengths[key] = data
        return data

    def sums(self, terms: list[tuple[str, str]]) -> dict[int, float]:
        """docnum -> summed score over `terms` (each occurrence counted, as Whoosh does)."""
        present = [t for t in terms if self.ids[t]]
        if not present:
            return {}
        if len(present) == 1:
            return dict(zip(self.ids[present[0]], self.scores[present[0]], strict=True))
        acc: dict[int, float] = {}
        get = acc.get
        for term in present:
            for d, s in zip(self.ids[term], self.scores[term], strict=True):
                acc[d] = get(d, 0.0) + s
        return acc


class Unsupported(Exception):
    """This term cannot be scored here; the caller falls back to Whoosh's collector."""


def _postings(matcher: Any) -> tuple[list[int], list[float]]:
    """(docnums, weights) of a posting list, block by block where the codec allows
    (deleted documents included: callers intersect with the live set)."""
    leaf = getattr(matcher, "child", matcher)  # unwrap the deletions filter
    ids: list[int] = []
    weights: list[float] = []
    if not all(hasattr(leaf, a) for a in _BLOCK_API):
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
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


_BLOCK_API = (
    "_atend",
    "_data",
    "_byteids",
    "_weights",
    "_read_data",
    "_read_weights",
    "_lastblock",
)


def top(docs: Iterable[int], scores: dict[int, float], n: int, ids: list[str | None]) -> list:
    """The best `n` of `docs` as (docnum, score): by score rounded to 9 decimals, ties
    in id order (so a rebuilt index, with other docnums, ranks the same way)."""
    docs = list(docs)
    if not docs or n <= 0:
        return []
    key = scores.__getitem__
    best = heapq.nlargest(n + 1, docs, key=key)
    if len(best) > n:
        cut = round(key(best[n - 1]), 9)
        if round(key(best[n]), 9) >= cut:  # a tie straddles the end of the page
            best = [d for d in docs if round(key(d), 9) >= cut]
    best.sort(key=lambda d: (-round(key(d), 9), ids[d] or ""))
    return [(d, key(d)) for d in best[:n]]
