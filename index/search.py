"""Running a `SearchRequest`: match, filter, collapse copies, count facets, rank a page.

The matched documents and their scores are computed once, from the posting
lists (index.ranking); filters that the facet table answers (dates) are
applied to them in Python; facet counts come from the table over exactly
that set, so the counts, the total and the hit list always agree. The
documents holding all of a query's words are counted beside the total; they
come first for a query of two or three words and in a date sort.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from statements.index import budget
from statements.index.analysis import words
from statements.index.facets import FacetTable
from statements.index.models import Hit, SearchRequest, SearchResult, location
from statements.index.query import Builder, Compiled
from statements.index.ranking import Evaluator, top
from statements.index.rerank import rerank
from statements.index.schema import SAID_FIELDS, norm_key
from statements.index.snippets import make_snippet
from statements.index.store import RecordStore
from statements.index.syntax import Node, date_bounds, parse, query_words, replace_words
from statements.index.values import resolve_sources, resolve_speakers, site_filter

if TYPE_CHECKING:
    from statements.index.snapshot import Snapshot


def run_search(view: Snapshot, request: SearchRequest) -> SearchResult:
    searcher, table, store = view.searcher, view.table, view.store
    # the known speakers are only needed to resolve names typed in --speaker / --said-by
    known = set(table.keys.get("speaker", [])) if request.speakers or request.said_by else set()
    speaking = resolve_speakers(request.speakers, known)
    if request.said_by:
        known |= {
            t if isinstance(t, str) else t.decode() for t in searcher.reader().lexicon("said")
        }
    said_keys = resolve_speakers(request.said_by, known)
    node = parse(request.query)
    if node is not None:  # the query budget: how many words its wildcards stand for
        counted = Builder(searcher).compile(node).query
        budget.check_expansion(counted, searcher.reader(), budget.deadline())
    evaluator = Evaluator(searcher, table.live)
    relevance = request.sort == "relevance" and node is not None
    filters = _filters(request, speaking)
    keep: set[int] | None = None  # what the filters allow (None: no filter)
    for clause in filters:
        allowed = evaluator.docs(clause)
        keep = allowed if keep is None else keep & allowed
    sources = lambda typed: resolve_sources(table, typed).values  # noqa: E731
    compiled, docs, scores = _match(searcher, evaluator, node, request, relevance, keep, sources)
    docs = _date_filter(docs, table, request)
    if request.ids is not None:  # only the documents asked for (a watch's new ones)
        docs &= {table.by_id[i] for i in request.ids if i in table.by_id}
    if request.sites:
        docs = site_filter(docs, table, request.sites)

    said: dict[int, dict[str, int]] = {}
    said_names: dict[str, str] = {}
    if request.said_by or "said-by" in request.facets:
        said = _said(searcher, evaluator, node, request, said_keys, table, docs, said_names)
    if request.said_by:
        keys = set(said_keys)
        docs = {d for d in docs if keys & set(said.get(d, ()))}

    if not request.all_copies:  # one hit per copy group; the others listed under it
        docs, _others = table.collapse(docs)
    every: set[int] | None = None  # the documents with all the words, when that is asked
    if compiled.all_words is not None:
        every = docs & evaluator.docs(compiled.all_words)
    if request.all_words and every is not None:
        docs = every

    facets: dict[str, list[tuple[str, int]]] = {}
    for facet in request.facets:
        if facet == "said-by":
            counter: Counter[str] = Counter()
            for d in docs:
                counter.update(said.get(d, {}).keys())
            rows = [(said_names.get(k, k), n) for k, n in counter.items()]
            facets[facet] = sorted(rows, key=lambda r: (-r[1], r[0].lower()))
        else:
            facets[facet] = table.count(facet, docs)

    if relevance and compiled.all_words is not None and not request.exact:
        # a plain-words query: feedback from its best hits and word proximity (index.rerank)
        plain = [w for text in query_words(node) for w in words(text)]
        scores = rerank(searcher, evaluator, store, table.ids, plain, compiled.size, docs, scores)

    start = (request.page - 1) * request.limit
    end = start + request.limit
    first = every if every is not None and _tiered(compiled, request) else None
    ranked = _rank(table, docs, first, scores if relevance else None, request, end)[start:end]
    hits = _hits(searcher, table, store, ranked, compiled, request, said, said_keys)

    suggestion = None
    if not docs and node is not None:
        suggestion = _suggest(searcher, node)
    all_words = len(every & docs) if every is not None else None
    return SearchResult(len(docs), hits, facets, request.page, request.limit, suggestion, all_words)


# An implicit group of at most this many words ranks the documents holding all of them
# first (two or three keywords); a longer query (a pasted sentence) is ranked by score
# alone, where holding more of the words already counts.
TIER_WORDS = 3


def _tiered(compiled: Compiled, request: SearchRequest) -> bool:
    """Whether the documents with all the words come first: always when sorting by
    date, for a short query when sorting by relevance."""
    return request.sort != "relevance" or compiled.size <= TIER_WORDS


def _match(
    searcher: Any,
    evaluator: Evaluator,
    node: Node | None,
    request: SearchRequest,
    relevance: bool,
    keep: set[int] | None,
    sources: Any = None,
) -> tuple[Compiled, set[int], dict[int, float]]:
    """The compiled query, the documents it matches within `keep`, and their scores.

    Stop words left out of a group come back when the rest matches nothing, so a
    query never comes back empty while documents hold some of its words.
    """
    builder = Builder(
        searcher, exact=request.exact, stem_phrases=request.stem_phrases, sources=sources
    )
    compiled = builder.compile(node)
    docs, scores = _evaluate(evaluator, compiled.query, relevance, keep)
    if not docs and compiled.dropped:
        compiled = Builder(
            searcher,
            exact=request.exact,
            keep_stops=True,
            stem_phrases=request.stem_phrases,
            sources=sources,
        ).compile(node)
        docs, scores = _evaluate(evaluator, compiled.query, relevance, keep)
    return compiled, docs, scores


def _evaluate(
    evaluator: Evaluator, query: Any, relevance: bool, keep: set[int] | None
) -> tuple[set[int], dict]:
    docs, scores = evaluator.scored(query) if relevance else (evaluator.docs(query), {})
    return (docs if keep is None else docs & keep), scores


def _filters(request: SearchRequest, speaking: set[str]) -> list[Any]:
    from whoosh import query as q

    out = []
    if speaking:
        out.append(q.Or([q.Term("speaker", key) for key in sorted(speaking)]))
    for fieldname, values in (
        ("source", request.sources),
        ("type", request.types),
        ("lang", request.langs),
    ):
        if values:
            terms: list[Any] = []
            for value in values:
                key = norm_key(value)
                terms.append(q.Term(fieldname, key))
                if fieldname != "lang":
                    terms.append(q.Wildcard(fieldname, f"*{key}*"))
            out.append(q.Or(terms))
    return out


def _date_filter(docs: set[int], table: FacetTable, request: SearchRequest) -> set[int]:
    if not request.since and not request.until:
        return docs
    lo = date_bounds(request.since)[0].toordinal() if request.since else 1
    hi = date_bounds(request.until)[1].toordinal() if request.until else 10**7
    ordinal = table.ordinal
    return {d for d in docs if ordinal[d] and lo <= ordinal[d] <= hi}


def _said(
    searcher: Any,
    evaluator: Evaluator,
    node: Node | None,
    request: SearchRequest,
    said_keys: set[str],
    table: FacetTable,
    docs: set[int],
    names: dict[str, str],
) -> dict[int, dict[str, int]]:
    """For each matched document, the people who said the query's words -> first turn.

    A document without turns whose only speaker is a person counts as that
    person's words (a statement by one person); turns are the rest, each matched
    within its range of word positions (index.said).
    """
    from whoosh import query as q

    from statements.index.said import matching_turns

    out: dict[int, dict[str, int]] = defaultdict(dict)
    keys = table.keys.get("speaker", [])
    names.update(zip(keys, table.names.get("speaker", []), strict=False))
    for d in docs:
        if not table.has_turns[d] and len(table.speakers[d]) == 1:
            out[d][keys[table.speakers[d][0]]] = -1
    builder = Builder(
        searcher,
        SAID_FIELDS,
        text_only=True,
        exact=request.exact,
        stem_phrases=request.stem_phrases,
    )
    tq = builder.compile(node).query
    # the documents with a turn by one of the people asked for (by anyone: the facet)
    if said_keys:
        candidates = docs & evaluator.docs(q.Or([q.Term("said", k) for k in sorted(said_keys)]))
    else:
        has_turns = table.has_turns
        candidates = {d for d in docs if has_turns[d]}
    for d, turn in matching_turns(searcher, tq, candidates, said_keys or None):
        out[d].setdefault(turn.key, turn.pos)
        names.setdefault(turn.key, turn.name)
    return out


def _rank(
    table: FacetTable,
    docs: set[int],
    first: set[int] | None,
    scores: dict[int, float] | None,
    request: SearchRequest,
    end: int,
) -> list[tuple[int, float | None]]:
    """The first `end` documents: those in `first` (all the words) before the rest,
    each part by score (ties by id) or by date."""
    if not docs:
        return []
    groups = [docs]
    if first:
        first = first & docs
        groups = [first, docs - first] if first and len(first) < len(docs) else [docs]
    out: list[tuple[int, float | None]] = []
    for group in groups:
        if len(out) >= end:
            break
        if scores is not None:
            out.extend(top(group, scores, end - len(out), table.ids))
        else:
            out.extend((d, None) for d in _by_date(table, group, request)[: end - len(out)])
    return out


def _by_date(table: FacetTable, docs: set[int], request: SearchRequest) -> list[int]:
    newest = request.sort != "oldest"
    ordinal = table.ordinal
    ids = table.ids

    def key(d: int) -> tuple[int, int, str]:
        o = ordinal[d]
        return (0 if o else 1, -o if newest else o, ids[d] or "")

    return sorted(docs, key=key)


def _hits(
    searcher: Any,
    table: FacetTable,
    store: RecordStore,
    ranked: list,
    compiled: Any,
    request: SearchRequest,
    said: dict[int, dict[str, int]],
    want: set[str],
) -> list[Hit]:
    ids = [table.ids[d] or "" for d, _ in ranked]
    records = store.get_many(ids) if request.snippets else {}
    found = compiled.words
    hits = []
    for (d, score), rid in zip(ranked, ids, strict=True):
        meta = searcher.stored_fields(d).get("meta") or {}
        record = records.get(rid)
        snippet_text, spans, who = "", [], None
        if record is not None:
            text = record.text
            positions = said.get(d, {})
            for key in want:
                pos = positions.get(key)
                if pos is not None and 0 <= pos < len(record.turns):
                    text = record.turns[pos].text
                    who = record.turns[pos].speaker
                    break
            snip = make_snippet(text, found)
            snippet_text, spans = snip.text, list(snip.spans)
        members = table.group_members(d)
        copies = [location(searcher, m) for m in members if m != d]
        hits.append(
            Hit(
                id=rid,
                score=score,
                title=meta.get("title") or "",
                date=meta.get("date"),
                speakers=list(meta.get("speakers") or []),
                source=meta.get("source"),
                url=meta.get("url"),
                snippet=snippet_text,
                spans=spans,
                republished_by=meta.get("republished_by"),
                said_by=who,
                copies=copies,
            )
        )
    return hits


def _suggest(searcher: Any, node: Node) -> str | None:
    """ "Did you mean": the query with each unknown word replaced by its nearest known word."""
    fixes: dict[str, str] = {}
    reader = searcher.reader()
    for word in query_words(node):
        low = word.lower()
        if len(low) < 3 or ("vocab", low) in reader or ("body", low) in reader:
            continue
        try:
            found = searcher.suggest("vocab", low, limit=1, maxdist=2, prefix=1)
        except Exception:
            found = []
        if found and found[0] != low:
            fixes[low] = found[0]
    if not fixes:
        return None
    return replace_words(node, fixes)
