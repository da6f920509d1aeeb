"""The query language: text to a syntax tree of `Node`s, and back to text.

A small hand-written parser (no Whoosh QueryParser): it is fast on the
common plain-words case, and anything it cannot parse (an unbalanced quote
or parenthesis, a lone operator) is searched as plain words instead of
failing. What the tree means for the index is index.query's job (`Builder`);
the syntax itself is listed there.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

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
