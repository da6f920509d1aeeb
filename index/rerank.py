"""Re-ranking the best hits of a plain-words query: feedback from them, and word proximity.

BM25F (index.ranking) scores each query word on its own. Two mechanisms then
look at the texts of the best hits, both measured on the four collections of
../shared/relevance with each collection held out in turn
(`bench/relevance_tune.py`, docs/search.md#ranking):

* **Feedback (RM3)**, for a query of FEEDBACK_WORDS words or more (a pasted
  sentence, not two or three keywords, where it would drift off the words
  typed): the words of the FEEDBACK_DOCS best hits (stop words, single
  letters and numbers left out) are weighted as Lavrenko's relevance model
  does, `p(w) = sum_d score(d) / sum(scores) * tf(w, d) / len(d)`, grouped by
  stem; the FEEDBACK_TERMS heaviest are scored as query words (BM25F), and
  each of the DEPTH best documents the query matched gets

      score + LAMBDA / (1 - LAMBDA) * |Q| * sum_t p(t) / sum(p) * bm25f(t, d)

  which ranks as RM3's `(1 - LAMBDA) * score / |Q| + LAMBDA * expansion`
  (Abdul-Jaleel et al., TREC 2004; Anserini's BM25+RM3), with |Q| the query's
  words. Only documents the query already matches are scored again: the
  expansion changes the order, never what is found, so the total, the facets
  and the never-empty rule stay those of the words typed. The documents below
  the DEPTH best keep their scores (the additions only raise the others).

* **Proximity**: each pair of consecutive query words (stop words left out)
  found within PROXIMITY_WINDOW words of each other (stop words skipped,
  either order) in the title or the body of one of the PROXIMITY_DOCS best
  hits adds `PROXIMITY_WEIGHT * min(idf_a, idf_b) * n / (n + 1)`, n the
  pair's occurrences in that field: the words of a phrase typed without
  quotes ("pre-school age", "time sharing system") count more together.

Both read the texts of at most PROXIMITY_DOCS records from the record store
(the index keeps no term vectors); their cost is in docs/search.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from statements.index.ranking import Evaluator, top

FEEDBACK_WORDS = 4
FEEDBACK_DOCS = 10
FEEDBACK_TERMS = 10
LAMBDA = 0.1
PROXIMITY_DOCS = 20
DEPTH = 1000  # the best documents re-scored (feedback adds nothing below them)
PROXIMITY_WINDOW = 3
PROXIMITY_WEIGHT = 0.4

Scores = dict[int, float]


@dataclass
class _Text:
    """One record's words (stop words left out) and their stems, title and body apart."""

    fields: list[list[str]]
    stems: list[list[str]] = field(default_factory=list)


def rerank(
    searcher: Any,
    evaluator: Evaluator,
    store: Any,
    ids: Sequence[str | None],
    query_words: list[str],
    size: int,
    docs: set[int],
    scores: Scores,
) -> Scores:
    """`scores` after feedback and proximity: `query_words` are the plain words of
    the query in order (as typed), `size` its word clauses (stop words left out).
    Only the DEPTH best documents are scored again; both mechanisms only add, so
    they stay above the rest."""
    feedback = size >= FEEDBACK_WORDS and LAMBDA > 0 and len(docs) > FEEDBACK_DOCS
    if not docs or not (feedback or PROXIMITY_WEIGHT > 0):
        return scores
    ranked = top(docs, scores, DEPTH, ids)
    texts = _Texts(store, ids)
    if feedback:
        ranked = _feedback(searcher, evaluator, texts, ids, size, ranked)
    if PROXIMITY_WEIGHT > 0:
        ranked = _proximity(evaluator, texts, ids, query_words, ranked)
    out = dict(scores)
    out.update(ranked)
    return out


def _feedback(
    searcher: Any,
    evaluator: Evaluator,
    texts: _Texts,
    ids: Sequence[str | None],
    size: int,
    ranked: list[tuple[int, float]],
) -> list[tuple[int, float]]:
    """The candidates re-scored with the relevance model's words, best first."""
    from statements.index.query import Builder
    from statements.index.syntax import Node

    best = [(d, s) for d, s in ranked[:FEEDBACK_DOCS] if s > 0]
    total = sum(s for _d, s in best)
    if not best or total <= 0:
        return ranked
    texts.load([d for d, _s in best])
    model: dict[str, float] = {}  # stem -> p(w)
    forms: dict[str, Counter[str]] = {}  # stem -> its words in the hits, for the query
    for d, s in best:
        text = texts.get(d)
        words = [w for part in text.fields for w in part if len(w) > 1 and not w.isdigit()]
        if not words:
            continue
        share = s / total / len(words)
        stems = dict(zip(*_flat(text), strict=True))
        for w in words:
            stem = stems[w]
            model[stem] = model.get(stem, 0.0) + share
            forms.setdefault(stem, Counter())[w] += 1
    chosen = sorted(model.items(), key=lambda kv: -kv[1])[:FEEDBACK_TERMS]
    norm = sum(p for _s, p in chosen)
    if not chosen or norm <= 0:
        return ranked
    builder = Builder(searcher)
    candidates = {d for d, _s in ranked}
    extra: Scores = {}
    for stem, p in chosen:
        word = forms[stem].most_common(1)[0][0]
        built = builder.build(Node("word", text=word))
        if built is None:
            continue
        weight = p / norm
        for d, s in evaluator.word_scores(built, candidates).items():
            extra[d] = extra.get(d, 0.0) + weight * s
    scale = LAMBDA / (1 - LAMBDA) * size
    return _sorted({d: s + scale * extra.get(d, 0.0) for d, s in ranked}, ids)


def _proximity(
    evaluator: Evaluator,
    texts: _Texts,
    ids: Sequence[str | None],
    query_words: list[str],
    ranked: list[tuple[int, float]],
) -> list[tuple[int, float]]:
    """The candidates with the proximity bonus of the PROXIMITY_DOCS best, best first."""
    from statements.index.analysis import stem_en, stop_words

    stop = stop_words()
    kept = [w for w in query_words if w not in stop and not (len(w) == 1 and w.isalpha())]
    idf: dict[str, float] = {}
    for w in kept:  # a stem's idf: that of the query word (scored by index.ranking)
        idf[stem_en(w)] = max(idf.get(stem_en(w), 0.0), evaluator.idfs.get(w, 0.0))
    seq = [stem_en(w) for w in kept]
    pairs = {frozenset(p) for p in pairwise(seq) if p[0] != p[1]}
    if not pairs:
        return ranked
    wanted = set(seq)
    best = ranked[:PROXIMITY_DOCS]
    texts.load([d for d, _s in best])
    out: Scores = dict(ranked)
    for d, s in best:
        bonus = 0.0
        for stems in texts.get(d).stems:
            counts = pair_counts(stems, wanted, pairs, PROXIMITY_WINDOW)
            for pair, n in counts.items():
                bonus += min(idf[w] for w in pair) * n / (n + 1.0)
        out[d] = s + PROXIMITY_WEIGHT * bonus
    return _sorted(out, ids)


def _sorted(scores: Scores, ids: Sequence[str | None]) -> list[tuple[int, float]]:
    """(docnum, score) best first, ties as index.ranking.top breaks them."""
    return top(scores, scores, len(scores), ids)


def pair_counts(
    stems: list[str], wanted: set[str], pairs: set[frozenset[str]], window: int
) -> Counter[frozenset[str]]:
    """How often each pair of `pairs` occurs within `window` positions of `stems`
    (either order): a position counts once with each later one in reach."""
    hits = [(i, s) for i, s in enumerate(stems) if s in wanted]
    counts: Counter[frozenset[str]] = Counter()
    for n, (i, a) in enumerate(hits):
        for j, b in hits[n + 1 :]:
            if j - i > window:
                break
            if a != b and (pair := frozenset((a, b))) in pairs:
                counts[pair] += 1
    return counts


class _Texts:
    """The words of the hits' records, read from the record store once per search."""

    def __init__(self, store: Any, ids: Sequence[str | None]) -> None:
        self.store = store
        self.ids = ids
        self._cache: dict[int, _Text] = {}

    def load(self, docnums: list[int]) -> None:
        """Read the records of `docnums` not read yet, in one query."""
        from statements.index.analysis import WORD, normal, stem_en, stop_words

        missing = [d for d in docnums if d not in self._cache]
        if not missing:
            return
        stop = stop_words()
        records = self.store.get_many([self.ids[d] or "" for d in missing], turns=False)
        for d in missing:
            record = records.get(self.ids[d] or "")
            parts = (record.title, record.text) if record is not None else ("", "")
            fields = []
            for part in parts:  # analysis.words, normalising only words with an apostrophe
                found = WORD.findall(part.lower())
                fields.append(
                    [
                        w
                        for w in (normal(w) if "'" in w or "’" in w else w for w in found)
                        if w not in stop
                    ]
                )
            self._cache[d] = _Text(fields, [[stem_en(w) for w in f] for f in fields])

    def get(self, d: int) -> _Text:
        self.load([d])
        return self._cache[d]


def _flat(text: _Text) -> tuple[list[str], list[str]]:
    return [w for f in text.fields for w in f], [s for f in text.stems for s in f]
