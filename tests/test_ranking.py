"""Ranking and matching on real records, each checked against a computation of its own.

- Phrases (stop words included), `the`, `=word` and all-words counts against a
  regex over the records' text (tests/data/phrases.jsonl, real state.gov and
  whitehouse.gov records: see tests/data/make_phrases.py).
- BM25F scores against a plain re-implementation of the formula in
  index/ranking.py over the records' words (tests/data/records.jsonl), and
  the feedback (RM3) and proximity of index/rerank.py added to them, each
  computed again from the records' words.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from index_helpers import load_records

from statements.index.library import Library
from statements.index.models import SearchRequest

DATA = Path(__file__).parent / "data"
PHRASES = [json.loads(line) for line in (DATA / "phrases.jsonl").open(encoding="utf-8")]
RECORDS = load_records()


def holding(pattern: str, records: list[dict] | None = None) -> set[str]:
    """Ids of the records whose title or text match `pattern` (a regex, any case)."""
    rx = re.compile(pattern, re.IGNORECASE)
    return {r["id"] for r in records or PHRASES if rx.search(r["title"] + "\n" + r["text"])}


def phrase_regex(phrase: str) -> str:
    """The words of `phrase` one after the other, anything but letters between them."""
    return r"(?<![\w'’])" + r"[^\w'’]+".join(map(re.escape, phrase.split())) + r"(?![\w'’])"


@pytest.fixture(scope="module")
def phrases(tmp_path_factory: pytest.TempPathFactory) -> Library:
    from statements.scraper.record import Statement

    library = Library(tmp_path_factory.mktemp("phrases"))
    library.add((Statement.from_dict(r), None) for r in PHRASES)
    yield library
    library.close()


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Library:
    library = Library(tmp_path_factory.mktemp("home"))
    assert library.add((r, None) for r in RECORDS).added == len(RECORDS)
    yield library
    library.close()


def snowball() -> Any:
    """The English Snowball stemmer, straight from Whoosh (what queries are stemmed with)."""
    from whoosh.lang.snowball.english import EnglishStemmer

    return EnglishStemmer().stem


def ids(library: Library, query: str, **options: object) -> list[str]:
    request = SearchRequest(query=query, limit=1000, all_copies=True, snippets=False, **options)  # type: ignore[arg-type]
    return [h.id for h in library.search(request).hits]


@pytest.mark.parametrize(
    "phrase", ["will not", "not acceptable", "is not", "will not tolerate", "the united states"]
)
def test_phrase_finds_exactly_the_records_holding_its_words(phrases: Library, phrase: str) -> None:
    truth = holding(phrase_regex(phrase))
    assert truth, "the test set holds the phrase"
    found = ids(phrases, f'"{phrase}"')
    assert len(found) == len(set(found))
    assert set(found) == truth


def test_not_acceptable_is_not_the_same_as_acceptable(phrases: Library) -> None:
    assert len(holding(phrase_regex("not acceptable"))) == 5  # as issue 10 counted
    assert len(holding(phrase_regex("will not tolerate"))) == 2
    assert set(ids(phrases, '"not acceptable"')) < set(ids(phrases, "acceptable"))


def test_a_stop_word_alone_is_searched(phrases: Library) -> None:
    assert set(ids(phrases, "the")) == holding(r"\bthe\b")
    # two stop words: all the records holding either, both first
    both = holding(r"\bis\b") & holding(r"\bnot\b")
    found = ids(phrases, "is not")
    assert set(found) == holding(r"\bis\b") | holding(r"\bnot\b")
    assert set(found[: len(both)]) == both


def test_exact_word_is_not_stemmed(phrases: Library) -> None:
    stem = snowball()
    word_rx = re.compile(r"\w+")
    stems = {
        r["id"]: {stem(w.lower()) for w in word_rx.findall(r["title"] + " " + r["text"])}
        for r in PHRASES
    }
    stemmed = {rid for rid, found in stems.items() if stem("accepted") in found}
    assert set(ids(phrases, "accepted")) == stemmed
    exact = holding(r"\baccepted\b")
    assert exact < stemmed
    assert set(ids(phrases, "=accepted")) == exact
    assert set(ids(phrases, "accepted", exact=True)) == exact
    assert set(ids(phrases, "unacceptable", exact=True)) == holding(r"\bunacceptable\b")


def test_totals_count_all_words_beside_any(phrases: Library) -> None:
    for query in ("acceptable violence", "nuclear weapons", "will not tolerate violence"):
        words = [w for w in query.split() if w not in ("will", "not")]
        request = SearchRequest(query=query, limit=1000, all_copies=True, snippets=False)
        result = phrases.search(request)
        exact = [holding(rf"\b{w}\b") for w in words]
        # the stemmed words hold at least the exact ones
        assert set.intersection(*exact) <= {h.id for h in result.hits[: result.all_words]}
        assert result.all_words == len(
            {h.id for h in result.hits} & set.intersection(*[_stemmed(phrases, w) for w in words])
        )


def _stemmed(library: Library, word: str) -> set[str]:
    return set(ids(library, word))


def test_date_sort_lists_all_words_matches_first(phrases: Library) -> None:
    both = holding(r"\bnuclear\b") & holding(r"\btolerate\b")
    assert both
    for sort in ("newest", "oldest", "relevance"):
        found = ids(phrases, "nuclear tolerate", sort=sort)
        assert set(found[: len(both)]) == both
    only = ids(phrases, "nuclear tolerate", sort="newest", all_words=True)
    assert set(only) == both == set(ids(phrases, "nuclear AND tolerate"))


def test_stop_words_come_back_when_the_rest_matches_nothing(phrases: Library) -> None:
    assert set(ids(phrases, "will zzqxv")) == holding(r"\bwill\b")
    assert set(ids(phrases, "will tolerate")) == set(ids(phrases, "tolerate"))


# ---- BM25F, computed again from the records ------------------------------------------


def tokens(text: str) -> list[str]:
    out = []
    for w in re.findall(r"\w+(?:[.'’]\w+)*", text):
        w = w.lower().replace("’", "'")
        out.append(w[:-2] if w.endswith("'s") and len(w) > 2 else w)
    return out


def bm25f(
    records: list, query_words: list[str], idfs: dict[str, float] | None = None
) -> dict[str, float]:
    """BM25F as index/ranking.py documents it, over English records, from scratch
    (each word's idf put in `idfs`, when given)."""
    from whoosh.util.numeric import byte_to_length, length_to_byte

    from statements.index import ranking

    k1, b, weights = ranking.K1, ranking.B, ranking.WEIGHTS
    docs = [r for r in records if r.language != "ru"]
    fields = {
        r.id: {"title": tokens(r.title), "body": tokens(r.text)} for r in docs
    }  # lengths are stored in one byte, as Whoosh quantises them
    lengths = {
        rid: {f: byte_to_length(length_to_byte(len(ws))) for f, ws in fs.items()}
        for rid, fs in fields.items()
    }
    avg = {
        f: sum(ln[f] for ln in lengths.values() if ln[f])
        / sum(1 for ln in lengths.values() if ln[f])
        for f in ("title", "body")
    }
    n = len(records)
    scores: Counter[str] = Counter()
    stem = snowball()
    for word in query_words:
        target = stem(word)
        tf = {
            rid: {f: sum(1 for w in ws if stem(w) == target) for f, ws in fs.items()}
            for rid, fs in fields.items()
        }
        holders = [rid for rid, t in tf.items() if any(t.values())]
        idf = math.log(1 + (n - len(holders) + 0.5) / (len(holders) + 0.5))
        if idfs is not None:
            idfs[word] = idf
        for rid in holders:
            t = sum(
                weights[f] * tf[rid][f] / (1 - b + b * lengths[rid][f] / avg[f])
                for f in ("title", "body")
                if tf[rid][f]
            )
            scores[rid] += idf * t * (k1 + 1) / (t + k1)
    return dict(scores)


@pytest.mark.parametrize(
    "query", ["security", "democracy", "Greenland", "climate democracy crisis partners"]
)
def test_scores_equal_bm25f_computed_from_the_records(
    lib: Library, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statements.index import rerank

    monkeypatch.setattr(rerank, "LAMBDA", 0.0)  # BM25F alone: no feedback, no proximity
    monkeypatch.setattr(rerank, "PROXIMITY_WEIGHT", 0.0)
    expected = bm25f(RECORDS, query.lower().split())
    request = SearchRequest(query=query, limit=1000, all_copies=True, snippets=False)
    result = lib.search(request)
    english = {h.id: h.score for h in result.hits if h.id in expected}
    assert set(english) == set(expected)
    for rid, score in english.items():
        assert score == pytest.approx(expected[rid], rel=1e-9), rid
    # a long query is ranked by score alone; a short one puts all-words matches first
    scored = [h.score for h in result.hits]
    if len(query.split()) > 3:
        assert scored == sorted(scored, reverse=True)


def test_an_index_of_another_version_asks_for_reindex(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statements.index import writer
    from statements.index.analyzers import FastAnalyzer
    from statements.index.errors import IndexDamagedError

    with monkeypatch.context() as patch:  # written by a release that pickled other state
        patch.setattr(FastAnalyzer, "__getstate__", lambda self: {"lang": self.lang})
        patch.setattr(writer, "same_schema", lambda _a, _b: True)
        other = Library(tmp_path / "old")
        other.add((r, None) for r in RECORDS[:5])
        other.close()
    with pytest.raises(IndexDamagedError) as err:
        Library(tmp_path / "old").search(SearchRequest(query="security"))
    assert "another version" in str(err.value)
    assert "\n" not in str(err.value)
    again = Library(tmp_path / "old")
    again.reindex()
    assert again.search(SearchRequest(query="security")).total > 0
    again.close()


# ---- feedback (RM3) and proximity, computed again from the records -------------------


ENGLISH = [r for r in RECORDS if r.language != "ru"]


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The English records alone: an expansion word's df is then over the records
    `bm25f` reads (a Russian record's Latin words sit in its Russian fields)."""
    library = Library(tmp_path_factory.mktemp("english"))
    library.add((r, None) for r in ENGLISH)
    yield library
    library.close()


def ranked(scores: dict[str, float], n: int) -> list[str]:
    """The best `n` ids, ties in id order (as the engine breaks them)."""
    return sorted(scores, key=lambda rid: (-round(scores[rid], 9), rid))[:n]


def content(text: str) -> list[str]:
    from statements.index.analysis import stop_words

    stop = stop_words()
    return [w for w in tokens(text) if w not in stop]


def test_feedback_adds_the_best_hits_words_as_rm3(
    english: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statements.index import rerank

    monkeypatch.setattr(rerank, "PROXIMITY_WEIGHT", 0.0)
    query = "climate democracy crisis partners"
    words = query.split()
    base = bm25f(ENGLISH, words)
    assert len(base) > rerank.FEEDBACK_DOCS
    by_id = {r.id: r for r in ENGLISH}
    best = ranked(base, rerank.FEEDBACK_DOCS)
    total = sum(base[rid] for rid in best)
    stem = snowball()
    model: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for rid in best:
        found = [
            w
            for w in content(by_id[rid].title) + content(by_id[rid].text)
            if len(w) > 1 and not w.isdigit()
        ]
        for w in found:
            model[stem(w)] += base[rid] / total / len(found)
            forms.setdefault(stem(w), Counter())[w] += 1
    chosen = model.most_common(rerank.FEEDBACK_TERMS)
    norm = sum(p for _s, p in chosen)
    scale = rerank.LAMBDA / (1 - rerank.LAMBDA) * len(words)
    expected = dict(base)
    for s, p in chosen:
        for rid, v in bm25f(ENGLISH, [forms[s].most_common(1)[0][0]]).items():
            if rid in base:
                expected[rid] += scale * p / norm * v
    assert any(abs(expected[rid] - base[rid]) > 1e-6 for rid in base)

    request = SearchRequest(query=query, limit=1000, all_copies=True, snippets=False)
    got = {h.id: h.score for h in english.search(request).hits if h.id in expected}
    assert set(got) == set(expected)
    for rid, score in got.items():
        assert score == pytest.approx(expected[rid], rel=1e-9), rid


def pairs_within(stems: list[str], a: str, b: str, window: int) -> int:
    """Positions i < j, j - i <= window, holding a and b (either order)."""
    return sum(
        1
        for i in range(len(stems))
        for j in range(i + 1, min(len(stems), i + window + 1))
        if {stems[i], stems[j]} == {a, b}
    )


@pytest.mark.parametrize("query", ["climate crisis", "human rights", "united nations security"])
def test_proximity_adds_a_bonus_for_query_words_near_each_other(
    english: Library, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statements.index import rerank

    monkeypatch.setattr(rerank, "LAMBDA", 0.0)
    words = query.split()
    idf: dict[str, float] = {}
    base = bm25f(ENGLISH, words, idf)
    stem = snowball()
    by_id = {r.id: r for r in ENGLISH}
    expected = dict(base)
    near = 0
    for rid in ranked(base, rerank.PROXIMITY_DOCS):
        for text in (by_id[rid].title, by_id[rid].text):
            stems = [stem(w) for w in content(text)]
            for a, b in pairwise(words):
                n = pairs_within(stems, stem(a), stem(b), rerank.PROXIMITY_WINDOW)
                near += n
                expected[rid] += rerank.PROXIMITY_WEIGHT * min(idf[a], idf[b]) * n / (n + 1)
    assert near  # the test means something: some hits hold the words together

    request = SearchRequest(query=query, limit=1000, all_copies=True, snippets=False)
    got = {h.id: h.score for h in english.search(request).hits if h.id in expected}
    assert set(got) == set(expected)
    for rid, score in got.items():
        assert score == pytest.approx(expected[rid], rel=1e-9), rid


def test_reranking_never_changes_what_is_found(english: Library) -> None:
    """Feedback words re-order the hits of the words typed; they add none."""
    query = "climate democracy crisis partners"
    assert set(ids(english, query)) == set(bm25f(ENGLISH, query.split()))


def test_only_the_best_documents_are_rescored(
    english: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below DEPTH the BM25F scores stay; the re-scored only gain, so they stay first."""
    from statements.index import rerank

    monkeypatch.setattr(rerank, "DEPTH", 5)
    query = "climate democracy crisis partners"
    base = bm25f(ENGLISH, query.split())
    best = set(ranked(base, 5))
    request = SearchRequest(query=query, limit=1000, all_copies=True, snippets=False)
    hits = english.search(request).hits
    assert {h.id for h in hits[:5]} == best
    for h in hits:
        if h.id in best:
            assert h.score is not None and h.score >= base[h.id] - 1e-9
        else:
            assert h.score == pytest.approx(base[h.id], rel=1e-9), h.id
    assert any(h.score is not None and h.score > base[h.id] + 1e-6 for h in hits[:5])
