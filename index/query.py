"""The query language, parsed here and turned into Whoosh query objects.

    words            each word with its other forms (stems); with two or three words,
                     documents with all of them rank first (index.search)
    =word            the word as typed, not stemmed
    "a phrase"       the exact words in this order, small words included
    a AND b, a OR b  explicit operators (AND binds tighter than OR); NOT x, -x excludes
    (a OR b) c       grouping
    title:word  speaker:"Sergey Lavrov"  source:kremlin  type:speech  lang:ru
    secur*  vot?     wildcards (a final ? may also be nothing)
    date:2019  date:2019-05..2020  date:[2019 TO 2020-06-30]   date ranges

A small hand-written parser (no Whoosh QueryParser): it is fast on the
common plain-words case, and anything it cannot parse (an unbalanced quote
or parenthesis, a lone operator) is searched as plain words instead of
failing. The text fields index exact words; a plain word is expanded here
to the indexed words of its stem, per field and with that field's language
(index.analysis), so a query meets English and Russian documents alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from statements.index.schema import TEXT_FIELDS, norm_key

# ---- syntax tree -------------------------------------------------------------


@dataclass
class Node:
    kind: str  # word | phrase | wild | field | range | and | or | group | not
    text: str = ""
    fieldname: str | None = None
    children: list[Node] = field(default_factory=list)
    lo: dt.date | None = None
    hi: dt.date | None = None
    exact: bool = False  # `=word`: this word as typed, not stemmed


class QuerySyntaxError(ValueError):
    pass


_TOKEN = re.compile(
    r'\s*(?:(?P<lp>\()|(?P<rp>\))|(?P<neg>[-+](?=[\w"(*?]))?'
    r'(?:(?P<field>[A-Za-z_]+):)?(?P<value>"[^"]*"|\[[^\]]*\]|\((?=\s*\S)|[^\s()"]+))'
)
FIELD_ALIASES = {
    "title": "title",
    "speaker": "speaker",
    "speakers": "speaker",
    "source": "source",
    "type": "type",
    "lang": "lang",
    "language": "lang",
    "date": "date",
    "year": "date",
    "text": "text",
    "body": "text",
}
OPERATORS = {"AND", "OR", "NOT"}


def tokenize(text: str) -> list[tuple[str, str, str | None, bool]]:
    """(kind, value, field, negated) tokens; raises QuerySyntaxError on a stray quote."""
    out: list[tuple[str, str, str | None, bool]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise QuerySyntaxError(f"cannot read the query at {text[pos : pos + 10]!r}")
        pos = m.end()
        if m.group("lp"):
            out.append(("(", "(", None, False))
        elif m.group("rp"):
            out.append((")", ")", None, False))
        else:
            value = m.group("value")
            negated = m.group("neg") == "-"
            fname = m.group("field")
            if fname and fname.lower() not in FIELD_ALIASES:
                # "foo:bar" for an unknown field: plain words
                out.append(("word", fname, None, negated))
                fname = None
            if value == "(":
                out.append(("neg(" if negated else "(", "(", None, False))
                continue
            if value.startswith('"'):
                out.append(("phrase", value[1:-1], fname, negated))
            elif value.startswith("["):
                out.append(("range", value[1:-1], fname, negated))
            elif value in OPERATORS and not fname and not negated:
                out.append(("op", value, None, False))
            else:
                out.append(("word", value, fname, negated))
    if text.count('"') % 2:
        raise QuerySyntaxError("unbalanced quote")
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, str | None, bool]]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> tuple[str, str, str | None, bool] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> Node:
        node = self.group(top=True)
        if self.peek() is not None:
            raise QuerySyntaxError("unbalanced parenthesis")
        return node

    def group(self, top: bool = False) -> Node:
        items: list[Node] = []
        while True:
            tok = self.peek()
            if tok is None or tok[0] == ")":
                break
            items.append(self.or_expr())
        if not items:
            raise QuerySyntaxError("empty group")
        return items[0] if len(items) == 1 else Node("group", children=items)

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while self._is_op("OR"):
            self.i += 1
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Node("or", children=parts)

    def and_expr(self) -> Node:
        parts = [self.unary()]
        while self._is_op("AND"):
            self.i += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else Node("and", children=parts)

    def _is_op(self, name: str) -> bool:
        tok = self.peek()
        return tok is not None and tok[0] == "op" and tok[1] == name

    def unary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise QuerySyntaxError("the query ends with an operator")
        if tok[0] == "op":
            if tok[1] == "NOT":
                self.i += 1
                return Node("not", children=[self.unary()])
            raise QuerySyntaxError(f"{tok[1]} needs a word on each side")
        if tok[0] in ("(", "neg("):
            self.i += 1
            inner = self.group()
            if self.peek() is None or self.peek()[0] != ")":  # type: ignore[index]
                raise QuerySyntaxError("unbalanced parenthesis")
            self.i += 1
            return Node("not", children=[inner]) if tok[0] == "neg(" else inner
        if tok[0] == ")":
            raise QuerySyntaxError("unbalanced parenthesis")
        self.i += 1
        kind, value, fname, negated = tok
        node = _leaf(kind, value, FIELD_ALIASES.get(fname.lower()) if fname else None)
        return Node("not", children=[node]) if negated else node


def _leaf(kind: str, value: str, fname: str | None) -> Node:
    if fname == "text":
        fname = None
    if fname == "date" or kind == "range":
        lo, hi = parse_date_range(value)
        return Node("range", text=value, fieldname="date", lo=lo, hi=hi)
    if kind == "phrase":
        return Node("phrase", text=value, fieldname=fname)
    if "*" in value or "?" in value:
        return Node("wild", text=value, fieldname=fname)
    if value.startswith("=") and len(value) > 1:
        return Node("word", text=value[1:], fieldname=fname, exact=True)
    return Node("word", text=value, fieldname=fname)


def parse(text: str) -> Node | None:
    """The syntax tree of `text`; a malformed query becomes its plain words.

    Returns None for an empty query or `*` (browse everything).
    """
    stripped = text.strip()
    if not stripped or stripped == "*":
        return None
    try:
        return _Parser(tokenize(stripped)).parse()
    except QuerySyntaxError:
        return plain_words(stripped)


def plain_words(text: str) -> Node | None:
    from statements.index.analysis import WORD

    found = [m.group(0) for m in WORD.finditer(text)]
    if not found:
        return None
    nodes = [Node("word", text=w) for w in found]
    return nodes[0] if len(nodes) == 1 else Node("group", children=nodes)


# ---- dates ---------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def date_bounds(value: str) -> tuple[dt.date, dt.date]:
    """First and last day of "YYYY", "YYYY-MM" or "YYYY-MM-DD"; ValueError otherwise."""
    m = _DATE.match(value.strip())
    if not m:
        raise ValueError(f"bad date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(m.group(1))
    if m.group(3):
        day = dt.date(year, int(m.group(2)), int(m.group(3)))
        return day, day
    if m.group(2):
        month = int(m.group(2))
        first = dt.date(year, month, 1)
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def parse_date_range(value: str) -> tuple[dt.date | None, dt.date | None]:
    """`2019`, `2019..2020-06`, `2019 TO 2020`, `..2020`, `2019..` -> inclusive bounds."""
    text = value.strip()
    try:
        for sep in ("..", " TO ", " to "):
            if sep in text:
                left, right = text.split(sep, 1)
                lo = date_bounds(left)[0] if left.strip() not in ("", "*") else None
                hi = date_bounds(right)[1] if right.strip() not in ("", "*") else None
                return lo, hi
        return date_bounds(text)
    except ValueError as exc:  # searched as plain words by `parse`
        raise QuerySyntaxError(str(exc)) from None


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


def query_words(node: Node | None) -> list[str]:
    """The plain words of a tree (for "Did you mean")."""
    if node is None:
        return []
    if node.kind == "word" and node.fieldname is None:
        return [node.text]
    if node.kind == "phrase" and node.fieldname is None:
        from statements.index.analysis import words

        return words(node.text)
    out: list[str] = []
    for child in node.children:
        if child.kind != "not":
            out.extend(query_words(child))
    return out


def replace_words(node: Node, fixes: dict[str, str]) -> str:
    """The query text again, with misspelt words replaced (for "Did you mean")."""
    kind = node.kind
    if kind == "word":
        text = ("=" if node.exact else "") + fixes.get(node.text.lower(), node.text)
        return f"{node.fieldname}:{text}" if node.fieldname else text
    if kind == "phrase":
        from statements.index.analysis import WORD

        text = WORD.sub(lambda m: fixes.get(m.group(0).lower(), m.group(0)), node.text)
        return (f"{node.fieldname}:" if node.fieldname else "") + f'"{text}"'
    if kind == "wild":
        return (f"{node.fieldname}:" if node.fieldname else "") + node.text
    if kind == "range":
        return f"date:[{node.text}]"
    if kind == "not":
        return "-" + _paren(node.children[0], fixes)
    joiner = {"and": " AND ", "or": " OR ", "group": " "}[kind]
    return joiner.join(_paren(c, fixes) for c in node.children)


def _paren(node: Node, fixes: dict[str, str]) -> str:
    text = replace_words(node, fixes)
    return f"({text})" if node.kind in ("and", "or", "group") else text
