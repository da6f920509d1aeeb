"""Running a `SearchRequest`: match, filter, collapse copies, count facets, rank a page.

The matched document set is computed once (`docs_for_query`); filters that
the facet table answers (dates) are applied to it in Python; facet counts
come from the table over exactly that set, so the counts, the total and the
hit list always agree. Ranking is in two tiers: documents with all the
query's words first, then those with some (BM25F inside each tier).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.facets import FacetTable
from index.names import speaker_key
from index.query import Builder, Node, date_bounds, parse, query_words, replace_words
from index.ranking import TermScores, Unsupported, text_terms, top
from index.schema import TURN_TEXT_FIELDS, norm_key
from index.snippets import make_snippet
from index.store import RecordStore

if TYPE_CHECKING:
    from index.library import Hit, SearchRequest, SearchResult


def run_search(
    opened: tuple[Path, Any, Any, FacetTable, RecordStore], request: SearchRequest
) -> SearchResult:
    from whoosh import query as q

    from index.library import SearchResult

    _gen, searcher, turns, table, store = opened
    # the known speakers are only needed to resolve names typed in --speaker / --said-by
    known = set(table.keys.get("speaker", [])) if request.speakers or request.said_by else set()
    speaking = resolve(request.speakers, known)
    if request.said_by:
        known |= {
            t if isinstance(t, str) else t.decode() for t in turns.reader().lexicon("speaker")
        }
    said_keys = resolve(request.said_by, known)
    node = parse(request.query)
    compiled = Builder(searcher.schema).compile(node)

    filters = _filters(request, speaking)
    matcher = q.And([compiled.query, *filters]) if filters else compiled.query
    live = table.live
    memo: dict[Any, set[int]] = {}
    scored: list[tuple[float, int]] | None = None
    fast = _term_scores(searcher, compiled, request) if node is not None else None
    if fast is not None:  # posting lists read once: the matched set and the scores
        scores, terms = fast
        for term in terms:
            memo.setdefault(term, set(scores.ids[term]))
    if isinstance(matcher, q.Every) or (node is None and not filters):
        docs = set(live)
    elif compiled.all_words is None and not decomposable(matcher):
        # a phrase or a wildcard: one scored pass gives both the matched set and
        # the ranking (matching it twice cost as much again)
        scored = list(searcher.search(matcher, limit=None).top_n)
        docs = {d for _score, d in scored}
    else:
        docs = docset(searcher, matcher, live, memo)
    matched = len(docs)
    docs = _date_filter(docs, table, request)
    if request.ids is not None:  # only the documents asked for (a watch's new ones)
        docs &= {table.by_id[i] for i in request.ids if i in table.by_id}

    said: dict[int, dict[str, int]] = {}
    said_names: dict[str, str] = {}
    if request.said_by or "said-by" in request.facets:
        said = _said(node, said_keys, turns, table, docs, said_names)
    if request.said_by:
        keys = set(said_keys)
        docs = {d for d in docs if keys & set(said.get(d, ()))}

    if not request.all_copies:  # one hit per copy group; the others listed under it
        docs, _others = table.collapse(docs)
    # nothing filtered out: the ranking needs no filter set (Whoosh can then skip
    # posting blocks that cannot reach the page)
    pristine = not filters and len(docs) == matched

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

    start = (request.page - 1) * request.limit
    end = start + request.limit
    if scored is not None and request.sort == "relevance":
        ranked: list[tuple[int, float | None]] = [(d, sc) for sc, d in scored if d in docs]
        ranked.sort(key=lambda r: (-round(r[1] or 0.0, 9), table.ids[r[0]] or ""))
        ranked = ranked[start:end]
    else:
        ranked = _rank(searcher, table, compiled, node, docs, request, end, memo, pristine, fast)
        ranked = ranked[start:end]
    hits = _hits(searcher, table, store, ranked, compiled, request, said, said_keys)

    suggestion = None
    if not docs and node is not None:
        suggestion = _suggest(searcher, node)
    return SearchResult(len(docs), hits, facets, request.page, request.limit, suggestion)


def _term_scores(
    searcher: Any, compiled: Any, request: SearchRequest
) -> tuple[TermScores, list[tuple[str, str]]] | None:
    """Scores from the posting lists, when the query is a sum of word terms ranked by
    relevance (see index.ranking); None sends the query through Whoosh's collector."""
    if request.sort != "relevance" or not TermScores.supported(searcher):
        return None
    terms = text_terms(compiled.query)
    if not terms:
        return None
    if compiled.all_words is not None and text_terms(compiled.all_words) is None:
        return None
    scores = TermScores(searcher)
    try:
        scores.load(terms)
    except Unsupported:
        return None
    return scores, terms


def docset(
    searcher: Any, query: Any, live: frozenset[int], memo: dict[Any, set[int]] | None = None
) -> set[int]:
    """The documents `query` matches, from posting lists where it can.

    Whoosh's generic matchers cost about 4 ms per thousand matches for an OR
    of a few terms; reading each term's posting list into a set and
    combining the sets with set operations (C code) is several times faster.
    Phrases, wildcards and ranges still go through Whoosh. Deleted documents
    are removed by intersecting with the live set.
    """
    from whoosh import query as q

    def walk(node: Any) -> set[int]:
        if isinstance(node, q.Term):
            key = (node.fieldname, node.text)
            if memo is None:
                return term_ids(searcher.reader(), node.fieldname, node.text)
            if key not in memo:
                memo[key] = term_ids(searcher.reader(), node.fieldname, node.text)
            return set(memo[key])
        if isinstance(node, q.Every):
            return set(live)
        if isinstance(node, q.Or):
            out: set[int] = set()
            for sub in node.subqueries:
                out |= walk(sub)
            return out
        if isinstance(node, q.And):
            subs = sorted(node.subqueries, key=lambda sub: not isinstance(sub, q.Term))
            acc = walk(subs[0])
            for sub in subs[1:]:
                if not acc:
                    break
                acc &= walk(sub)
            return acc
        if isinstance(node, q.AndNot):
            return walk(node.a) - walk(node.b)
        if isinstance(node, q.Not):
            return set(live) - walk(node.query)
        return set(searcher.docs_for_query(node))

    return walk(query) & live


def decomposable(query: Any) -> bool:
    """True when `docset` can answer `query` from posting lists alone."""
    from whoosh import query as q

    if isinstance(query, (q.Term, q.Every)):
        return True
    if isinstance(query, (q.Or, q.And)):
        return all(decomposable(sub) for sub in query.subqueries)
    if isinstance(query, q.AndNot):
        return decomposable(query.a) and decomposable(query.b)
    if isinstance(query, q.Not):
        return decomposable(query.query)
    return False


def term_ids(reader: Any, fieldname: str, text: str) -> set[int]:
    """Docnums (deleted ones included) of the documents holding a term.

    Reads the posting blocks' id arrays directly when the codec's leaf
    matcher exposes them (whoosh3 and whoosh 2.7 share that layout); else
    walks the matcher. The generic walk costs about a microsecond per posting.
    """
    from whoosh.reading import TermNotFound

    readers = getattr(reader, "readers", None) or [reader]
    offsets = getattr(reader, "doc_offsets", None) or [0]
    out: set[int] = set()
    for sub, base in zip(readers, offsets, strict=False):
        try:
            matcher = sub.postings(fieldname, text)
        except TermNotFound:
            continue
        leaf = getattr(matcher, "child", matcher)  # unwrap the deletions filter
        try:
            ids = _block_ids(leaf)
        except AttributeError:
            ids = list(matcher.all_ids())
        out.update(ids if not base else (base + i for i in ids))
    return out


def _block_ids(leaf: Any) -> list[int]:
    ids: list[int] = []
    while not leaf._atend:
        if leaf._ids is None:
            leaf._read_ids()
        ids.extend(leaf._ids)
        if leaf._lastblock:
            break
        leaf._next_block()
    return ids


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
    node: Node | None,
    said_keys: set[str],
    turns: Any,
    table: FacetTable,
    docs: set[int],
    names: dict[str, str],
) -> dict[int, dict[str, int]]:
    """For each matched document, the people who said the query's words -> first turn.

    A document without turns whose only speaker is a person counts as that
    person's words (a statement by one person); turns are the rest.
    """
    from whoosh import query as q

    out: dict[int, dict[str, int]] = defaultdict(dict)
    keys = table.keys.get("speaker", [])
    names.update(zip(keys, table.names.get("speaker", []), strict=False))
    for d in docs:
        if not table.has_turns[d] and len(table.speakers[d]) == 1:
            out[d][keys[table.speakers[d][0]]] = -1
    tq = Builder(turns.schema, TURN_TEXT_FIELDS, text_only=True).compile(node).query
    if said_keys:
        who = q.Or([q.Term("speaker", key) for key in sorted(said_keys)])
        tq = who if isinstance(tq, q.Every) else q.And([tq, who])
    for t in sorted(turns.docs_for_query(tq)):
        stored = turns.stored_fields(t)
        parent = table.by_id.get(stored.get("parent"))
        if parent is None or parent not in docs:
            continue
        d = parent
        key = stored.get("speaker")
        out[d].setdefault(key, stored.get("pos", 0))
        names.setdefault(key, stored.get("name") or key)
    return out


def _rank(
    searcher: Any,
    table: FacetTable,
    compiled: Any,
    node: Node | None,
    docs: set[int],
    request: SearchRequest,
    end: int,
    memo: dict[Any, set[int]],
    pristine: bool = False,
    fast: tuple[TermScores, list[tuple[str, str]]] | None = None,
) -> list[tuple[int, float | None]]:
    if not docs:
        return []
    if node is None or request.sort != "relevance":
        newest = request.sort != "oldest"
        ordinal = table.ordinal
        ids = table.ids

        def key(d: int) -> tuple[int, int, str]:
            o = ordinal[d]
            return (0 if o else 1, -o if newest else o, ids[d] or "")

        return [(d, None) for d in sorted(docs, key=key)[:end]]
    if fast is not None:
        scores, terms = fast
        groups = [docs]
        if compiled.all_words is not None:
            first = docs & docset(searcher, compiled.all_words, table.live, memo)
            groups = [first, docs - first] if first else [docs]
        sums = scores.sums(terms)
        out_: list[tuple[int, float | None]] = []
        for group in groups:
            if len(out_) >= end:
                break
            out_.extend(top(group, sums, end - len(out_), table.ids))
        return out_
    if compiled.all_words is None:
        tiers: list[tuple[Any, set[int] | None]] = [(compiled.query, None if pristine else docs)]
    else:
        every = docset(searcher, compiled.all_words, table.live, memo)
        first = docs & every
        # documents with all the words: scored through the AND query, which
        # visits only them; the rest only when the page reaches past them
        tiers = [
            (compiled.all_words, None if len(first) == len(every) else first),
            (compiled.query, docs - first),
        ]
        if not first:
            tiers = tiers[1:]
    out: list[tuple[int, float | None]] = []
    for query, tier in tiers:
        if len(out) >= end:
            break
        if tier is not None and not tier:
            continue
        # no filter when the tier is all the query matches: Whoosh can then skip
        # blocks that cannot reach the top (block-max scores)
        results = searcher.search(query, filter=tier, limit=end - len(out))
        ranked = [(hit.docnum, hit.score) for hit in results]
        # equal scores in id order, so a rebuilt index ranks the same way
        ranked.sort(key=lambda r: (-round(r[1], 9), table.ids[r[0]] or ""))
        out.extend(ranked)
    return out


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
    from index.library import Hit, _location

    ids = [table.ids[d] or "" for d, _ in ranked]
    records = store.get_many(ids) if request.snippets else {}
    stems = {text for _f, text in compiled.terms}
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
            snip = make_snippet(text, stems, record.language)
            snippet_text, spans = snip.text, list(snip.spans)
        members = table.group_members(d)
        copies = [_location(searcher, m) for m in members if m != d]
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
        if len(low) < 3 or (("vocab", low) in reader):
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


def resolve(names: tuple[str, ...], known: set[str]) -> set[str]:
    """Index keys for the speaker names a user typed.

    A canonical name or alias resolves through `scraper.speakers`; a name the
    index does not hold as such ("Egede", "blinken") matches the known
    speakers whose name ends with it or holds it as a whole word ("Mute Egede").
    """
    out: set[str] = set()
    for name in names:
        key = speaker_key(name)
        if not key:
            continue
        if key in known:
            out.add(key)
            continue
        words = key.split()
        found = {
            k for k in known if k.endswith(" " + key) or (len(words) == 1 and key in k.split())
        }
        out |= found or {key}
    return out
