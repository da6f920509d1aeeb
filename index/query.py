"""The query language, and its syntax trees (index.syntax) turned into Whoosh queries.

    words            each word with its other forms (stems); with two or three words,
                     documents with all of them rank first (index.search)
    =word            the word as typed, not stemmed
    "a phrase"       the exact words in this order, small words included
    a AND b, a OR b  explicit operators (AND binds tighter than OR); NOT x, -x excludes
    (a OR b) c       grouping
    title:word  speaker:"Sergey Lavrov"  source:kremlin  type:speech  lang:ru
    secur*  vot?     wildcards (a final ? may also be nothing)
    date:2019  date:2019-05..2020  date:[2019 TO 2020-06-30]   date ranges

The text is parsed by index.syntax (a malformed query is searched as plain
words); `Builder` compiles its tree to Whoosh queries. The text fields index
exact words; a plain word is expanded here to the indexed words of its stem,
per field and with that field's language (index.analysis), so a query meets
English and Russian documents alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from statements.index.schema import TEXT_FIELDS, norm_key
from statements.index.syntax import Node

# ---- to Whoosh -------------------------------------------------------------------


@dataclass
class Compiled:
    """A query ready for Whoosh and index.ranking: `query` for matching and ranking,
    `all_words` for the documents that hold every word of an implicit group
    (None for a single clause), `words` the indexed words it looks for (snippets),
    `dropped` whether stop words were left out of a group (see Builder)."""

    query: Any
    all_words: Any | None
    words: set[str]
    dropped: bool = False
    size: int = 0  # text clauses of the top group (the query's words)


def variants(fieldname: str, texts: list[str], label: str) -> Any:
    """One query word in one field: an `Or` of the indexed words sharing its stem (or
    matching its wildcard), which index.ranking scores as one term."""
    from whoosh import query as q

    out = or_classes()[0]([q.Term(fieldname, t) for t in texts])
    out.fieldname, out.label = fieldname, label
    return out


def word_group(subs: list[Any], label: str) -> Any:
    """One query word over several fields (title, body, ...): scored as BM25F."""
    out = or_classes()[1](subs)
    out.label = label
    return out


@lru_cache(maxsize=1)
def or_classes() -> tuple[type, type]:
    """(Variants, WordGroup): Whoosh `Or` subclasses that mark a query word's parts
    (made on first use: this module does not import Whoosh at import time)."""
    from whoosh import query as q

    class Variants(q.Or):  # type: ignore[misc]
        fieldname = ""
        label = ""

    class WordGroup(q.Or):  # type: ignore[misc]
        label = ""

    return Variants, WordGroup


class Builder:
    """Turns a syntax tree into Whoosh queries over a given set of text fields.

    A plain word becomes, in each text field, the indexed words with its stem
    (looked up in that field's term dictionary); `=word`, `exact=True` and
    phrases use the words as typed. In an implicit group (`a b c`), stop words
    are left out when the group has other words (`dropped`), unless
    `keep_stops`: they are indexed for phrases, and a query of stop words alone
    (`the`, `is not`) still searches them.
    """

    def __init__(
        self,
        searcher: Any,
        text_fields: dict[str, str] | None = None,
        text_only: bool = False,
        exact: bool = False,
        keep_stops: bool = False,
        stem_phrases: bool = False,
        sources: Callable[[str], list[str]] | None = None,
    ) -> None:
        self.schema = searcher.schema
        self.reader = searcher.reader()
        self.text_fields = text_fields or TEXT_FIELDS
        self.text_only = text_only  # turns index: field clauses are checked on the document
        self.exact = exact
        self.keep_stops = keep_stops
        self.stem_phrases = stem_phrases  # a phrase's words in all their forms (trace)
        self.dropped = False
        self.words: set[str] = set()
        self._lexicon: dict[tuple[str, str], list[str]] = {}
        self.sources = sources  # `source:kremlin` -> the publishers' names (index.values)

    def compile(self, node: Node | None) -> Compiled:
        from whoosh import query as q

        if node is None:
            return Compiled(q.Every(), None, set())
        built = self.build(node)
        query = built if built is not None else q.NullQuery
        all_words: Any = None
        size = 1
        if node.kind == "group":
            pos, neg, req = self._split(node.children)
            size = len(pos)
            if len(pos) > 1:
                all_words = q.And(pos + req)
                if neg:
                    all_words = q.AndNot(all_words, q.Or(neg) if len(neg) > 1 else neg[0])
        return Compiled(query, all_words, set(self.words), self.dropped, size)

    def _split(self, children: list[Node]) -> tuple[list[Any], list[Any], list[Any]]:
        """Split an implicit group into (text clauses, excluded, required filters).

        Text clauses are OR-ed (documents with all of them rank first);
        keyword and date clauses (speaker:, source:, date:...) are filters and
        must all hold.
        """
        pos: list[Any] = []
        neg: list[Any] = []
        req: list[Any] = []
        stops = self._stops(children)
        for child in children:
            if child.kind == "not":
                target, inner = neg, child.children[0]
            elif _is_filter(child):
                target, inner = req, child
            elif child in stops:
                continue
            else:
                target, inner = pos, child
            built = self.build(inner)
            if built is not None:
                target.append(built)
        return pos, neg, req

    def _stops(self, children: list[Node]) -> list[Node]:
        """The stop words of a group to leave out: all of them, if it has other words."""
        if self.keep_stops:
            return []
        from statements.index.analysis import stop_words, words

        stop = stop_words()
        plain = [c for c in children if c.kind == "word" and not _is_filter(c)]
        found = [c for c in plain if not c.exact and _is_stop(words(c.text), stop)]
        others = [c for c in children if c.kind not in ("not", "range") and not _is_filter(c)]
        if not found or len(found) == len(others):
            return []
        self.dropped = True
        return found

    def build(self, node: Node) -> Any:
        from whoosh import query as q

        kind = node.kind
        if kind in ("group", "or", "and"):
            if kind == "group":
                pos, neg, req = self._split(node.children)
                if not pos and not req and not neg:
                    return None
                base = q.Or(pos) if len(pos) > 1 else (pos[0] if pos else None)
                if req:
                    base = q.And(([base] if base is not None else []) + req)
                    base = base if len(base.subqueries) > 1 else base.subqueries[0]
                if base is None:
                    base = q.Every()
                if not neg:
                    return base
                return q.AndNot(base, q.Or(neg) if len(neg) > 1 else neg[0])
            subs = [self.build(c) for c in node.children]
            subs = [s for s in subs if s is not None]
            if not subs:
                return None
            if len(subs) == 1:
                return subs[0]
            return q.Or(subs) if kind == "or" else q.And(subs)
        if kind == "not":
            inner = self.build(node.children[0])
            return q.Not(inner) if inner is not None else None
        if kind == "range":
            if self.text_only:
                return None
            return q.DateRange(
                "date",
                _as_datetime(node.lo) if node.lo else None,
                _as_datetime(node.hi, end=True) if node.hi else None,
            )
        fname = node.fieldname
        if fname in ("speaker", "source", "type", "lang"):
            return None if self.text_only else self._keyword(fname, node.text)
        fields = self.text_fields
        if fname == "title":
            if self.text_only:
                return None
            fields = {f: lang for f, lang in TEXT_FIELDS.items() if f.startswith("title")}
        if kind == "word":
            return self._word(fields, node)
        subs = []
        for fieldname, lang in fields.items():
            sub = self._text(fieldname, lang, node)
            if sub is not None and sub is not q.NullQuery:  # (a field without the words)
                subs.append(sub)
        if not subs:
            return q.NullQuery
        return subs[0] if len(subs) == 1 else q.Or(subs)

    def _word(self, fields: dict[str, str], node: Node) -> Any:
        """A plain word: one `word_group` over the fields; a word the analyzer splits
        (`non-circular`, `al-Assad`) is its parts, each a word."""
        from whoosh import query as q

        from statements.index.analysis import words

        parts = words(node.text)
        if not parts:
            return None
        if len(parts) > 1:  # each part a word of its own (as Lucene's standard analyzer)
            subs = [
                self._word(fields, Node("word", p, node.fieldname, exact=node.exact)) for p in parts
            ]
            return q.Or(subs)
        word = parts[0]
        exact = self.exact or node.exact
        subs = []
        for fieldname, lang in fields.items():
            if fieldname not in self.schema:
                continue
            texts = [word] if exact else self._stem_words(fieldname, lang, word)
            if exact and (fieldname, word) not in self.reader:
                texts = []
            if texts:
                subs.append(variants(fieldname, texts, word))
                self.words.update(texts)
        if not subs:
            return q.NullQuery
        return word_group(subs, word)

    def _stem_words(self, fieldname: str, lang: str, word: str) -> list[str]:
        """The indexed words of `fieldname` whose stem is the stem of `word`."""
        from statements.index.analysis import stem_prefix, stemmer

        stem = stemmer(lang)
        target = stem(word)
        prefix = stem_prefix(target)
        key = (fieldname, prefix)
        candidates = self._lexicon.get(key)
        if candidates is None:
            candidates = self._lexicon[key] = [
                t if isinstance(t, str) else t.decode("utf-8")
                for t in self.reader.expand_prefix(fieldname, prefix)
            ]
        return [t for t in candidates if t == word or stem(t) == target]

    def _text(self, fieldname: str, lang: str, node: Node) -> Any:
        from whoosh import query as q

        from statements.index.analysis import words

        if fieldname not in self.schema:
            return None
        if node.kind == "wild":
            pattern = node.text.lower().strip("*?") and node.text.lower()
            if not pattern:
                return None
            from statements.index.budget import wildcard_words

            wild = q.Wildcard(fieldname, pattern)
            texts = [
                t if isinstance(t, str) else t.decode("utf-8")
                for t in wildcard_words(wild, self.reader)  # the indexed words it matches
            ]
            if pattern.endswith("?") and "*" not in pattern and pattern.count("?") == 1:
                # a final ? may also be nothing: a pasted question ("... systems?") keeps
                # its last word (that word as typed and its stem's words)
                texts += self._stem_words(fieldname, lang, pattern[:-1])
            texts = sorted(set(texts))
            self.words.update(texts)
            return variants(fieldname, texts, node.text) if texts else None
        exact = words(node.text)
        if not exact:
            return None
        if self.stem_phrases and not self.exact:
            forms = [self._stem_words(fieldname, lang, w) for w in exact]
            if not all(forms):
                return q.NullQuery
            for found in forms:
                self.words.update(found)
            parts = [variants(fieldname, found, w) for found, w in zip(forms, exact, strict=True)]
            return parts[0] if len(parts) == 1 else q.Sequence(parts)
        self.words.update(exact)
        if len(exact) == 1:
            return q.Term(fieldname, exact[0])
        return q.Phrase(fieldname, exact)

    def _keyword(self, fname: str, value: str) -> Any:
        from whoosh import query as q

        if fname == "speaker":
            from statements.index.names import speaker_key

            key = speaker_key(value)
        else:
            key = norm_key(value)
        if not key:
            return None
        if fname == "source" and self.sources is not None and (names := self.sources(value)):
            terms = [q.Term(fname, norm_key(name)) for name in names]
            return terms[0] if len(terms) == 1 else q.Or(terms)
        exact = q.Term(fname, key)
        if fname == "lang" or " " in key:
            return exact
        return q.Or([exact, q.Wildcard(fname, f"*{key}*")])


def _is_stop(found: list[str], stop: frozenset[str]) -> bool:
    """A word left out of a longer query: a stop word, or a single letter (`e` of
    "i. e.", `s` of "U. S."), which only phrases need."""
    return all(w in stop or (len(w) == 1 and w.isalpha()) for w in found)


def _is_filter(node: Node) -> bool:
    return node.kind == "range" or node.fieldname in ("speaker", "source", "type", "lang")


def _as_datetime(day: dt.date, end: bool = False) -> dt.datetime:
    if end:
        return dt.datetime(day.year, day.month, day.day, 23, 59, 59)
    return dt.datetime(day.year, day.month, day.day)
