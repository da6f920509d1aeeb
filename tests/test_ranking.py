"""Scores read straight from the posting lists (index/ranking.py) against Whoosh's own
collector on a real index (tests/data, from ../shared/corpus): same totals, same
scores, same order (documents with all the words first, then by score, ties by id)."""

from __future__ import annotations

import pytest

from index.home import current_generation
from index.library import Library, SearchRequest
from index.query import Builder, parse
from index.ranking import TermScores, text_terms
from tests.index_helpers import load_records

RECORDS = load_records()
QUERIES = [
    "security",
    "democracy",
    "Greenland",
    "Лавров",
    "безопасность",
    "climate democracy",
    "nuclear weapons",
    "human rights council",
    "security security",
    "title:Greenland",
    "sanctions OR tariffs",
    "press AND briefing",
]


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Library:
    library = Library(tmp_path_factory.mktemp("home"))
    assert library.add((r, None) for r in RECORDS).added == len(RECORDS)
    yield library
    library.close()


@pytest.fixture(scope="module")
def searcher(lib: Library):  # Whoosh's own searcher on the same files, as the reference
    from whoosh import index

    generation = current_generation(lib.home)
    assert generation is not None
    with index.open_dir(str(generation / "whoosh")).searcher() as s:
        yield s


def whoosh_ranking(searcher, query: str) -> tuple[int, list[tuple[str, float]]]:
    """Total and every match as (id, score), ranked as the library promises, by Whoosh."""
    compiled = Builder(searcher.schema).compile(parse(query))
    every = {h.docnum: h.score for h in searcher.search(compiled.query, limit=None)}
    first: set[int] = set()
    if compiled.all_words is not None:
        first = {h.docnum for h in searcher.search(compiled.all_words, limit=None)}
    ids = {d: searcher.stored_fields(d)["id"] for d in every}
    ranked = sorted(every, key=lambda d: (d not in first, -round(every[d], 9), ids[d]))
    return len(every), [(ids[d], every[d]) for d in ranked]


@pytest.mark.parametrize("query", QUERIES)
def test_scores_from_postings_equal_whoosh_collector(lib: Library, searcher, query: str) -> None:
    compiled = Builder(searcher.schema).compile(parse(query))
    assert text_terms(compiled.query), "the query is one the posting-list scorer handles"
    total, expected = whoosh_ranking(searcher, query)
    assert total > 0
    for page in (1, 2, 3):
        result = lib.search(
            SearchRequest(query=query, limit=7, page=page, all_copies=True, snippets=False)
        )
        assert result.total == total
        want = expected[(page - 1) * 7 : page * 7]
        assert [h.id for h in result.hits] == [rid for rid, _ in want]
        for hit, (_rid, score) in zip(result.hits, want, strict=True):
            assert hit.score == pytest.approx(score, rel=1e-12)


def test_queries_outside_sums_of_terms_are_left_to_whoosh(searcher) -> None:
    for query in ('"press availability"', "secur*", "security speaker:blinken", "-security"):
        compiled = Builder(searcher.schema).compile(parse(query))
        assert text_terms(compiled.query) is None or (
            compiled.all_words is not None and text_terms(compiled.all_words) is None
        ), query
    assert TermScores.supported(searcher)
