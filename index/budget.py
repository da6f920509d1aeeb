"""Budgets that keep one search from freezing the machine.

Seven characters (`*a* *e*`) used to expand to every word of the index and take
20 s and 144 MB; 26 such patterns 105 s and 584 MB; 300 parentheses overflowed
the stack. Three limits, as Lucene has them (maxClauseCount, and a time limit on
collectors):

- nesting: parentheses and NOTs deeper than MAX_DEPTH are a usage error (exit 2),
  checked on the text before it is parsed; a RecursionError anywhere in a search
  becomes the same error, never "damage";
- expansion: a query may stand for at most MAX_TERMS words in all, its own words
  and what its wildcards match; a pattern that matches more is a usage error
  naming the pattern (counted with a cap, so a broad pattern is refused quickly);
- time: a search that runs longer than STATEMENTS_SEARCH_SECONDS (10) is stopped
  with a message saying so (an interval timer in the main thread; elsewhere, the
  expansion's deadline still holds).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

from statements.scraper.errors import StatementsError, UsageError

MAX_DEPTH = 64
MAX_TERMS = 1024
ENV_SECONDS = "STATEMENTS_SEARCH_SECONDS"
DEFAULT_SECONDS = 10.0


class SearchTimeoutError(StatementsError):
    """A search ran past its time budget and was stopped."""


class _Expired(BaseException):
    """Raised by the timer inside the search; BaseException, so that no `except
    Exception` on the way (a damage check) mistakes it for a broken index."""


def seconds() -> float:
    try:
        return float(os.environ.get(ENV_SECONDS, DEFAULT_SECONDS))
    except ValueError:
        return DEFAULT_SECONDS


def nesting(text: str) -> int:
    """How deep `text` nests: parentheses outside quotes, plus the longest run of
    NOT / '-' prefixes (each level is a few stack frames in the parser)."""
    depth = deepest = 0
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif not quoted and ch == ")":
            depth = max(depth - 1, 0)
    run = longest = 0
    for word in text.replace("(", " ").split():
        if word == "NOT" or word.strip("-") == "":
            run += 1
            longest = max(longest, run)
        else:
            run = 0
    return deepest + longest


def check_nesting(text: str) -> None:
    depth = nesting(text)
    if depth > MAX_DEPTH:
        raise UsageError(
            f"the query nests {depth} levels deep (parentheses and NOTs); at most "
            f"{MAX_DEPTH} are searched",
            "remove the extra parentheses or NOTs",
        )


def check_expansion(query: Any, reader: Any, deadline: float | None = None) -> None:
    """Count the distinct words `query` stands for (a word searched in several fields
    counts once), stopping at MAX_TERMS; raise UsageError for more, naming the
    broadest pattern."""
    from whoosh.query import MultiTerm

    words: set[str] = set()
    expanded: dict[str, set[bytes]] = {}
    stack = [query]
    while stack:
        node = stack.pop()
        if isinstance(node, MultiTerm):
            pattern = str(getattr(node, "text", node))
            seen = expanded.setdefault(pattern, set())
            found = _leading_wildcard(node, reader)
            terms = iter(found) if found is not None else node._btexts(reader)
            for n, term in enumerate(terms, 1):
                seen.add(term)
                if len(seen) > MAX_TERMS:
                    raise _too_broad(pattern)
                if deadline is not None and n % 512 == 0 and time.monotonic() > deadline:
                    raise _Expired
            if found is not None:
                # Whoosh would scan the whole lexicon again to expand it: hand it the
                # words found (at most MAX_TERMS) instead
                setattr(node, "_btexts", _pinned(tuple(found)))  # noqa: B010
            continue
        children = getattr(node, "subqueries", None)
        if children is None and getattr(node, "child", None) is not None:
            children = [node.child]
        if children:
            stack.extend(children)
        elif isinstance(getattr(node, "text", None), str):
            words.add(node.text)
    total = len(words) + sum(len(s) for s in expanded.values())
    if total > MAX_TERMS:
        broadest = max(expanded, key=lambda p: len(expanded[p]), default=None)
        if broadest is not None and len(expanded[broadest]) * 2 > total:
            raise _too_broad(broadest)
        raise UsageError(
            f"the query stands for {total} different words (with what its wildcards "
            f"match); at most {MAX_TERMS} are searched together",
            "use fewer or longer wildcards, or split it into several searches",
        )


def wildcard_words(node: Any, reader: Any) -> list[bytes]:
    """The indexed words the wildcard `node` matches, at most MAX_TERMS; a pattern that
    matches more is refused naming it, before the rest of its words are read."""
    pattern = str(getattr(node, "text", node))
    found = _leading_wildcard(node, reader)
    terms = iter(found) if found is not None else node._btexts(reader)
    out = list(itertools.islice(terms, MAX_TERMS + 1))
    if len(out) > MAX_TERMS:
        raise _too_broad(pattern)
    return out


def _pinned(words: tuple[bytes, ...]) -> Any:
    def btexts(_reader: Any) -> Iterator[bytes]:
        return iter(words)

    return btexts


def _leading_wildcard(node: Any, reader: Any) -> list[bytes] | None:
    """The words a wildcard with no literal prefix (`*a*`, `?ecurity`) matches, at most
    MAX_TERMS + 1, by one regular-expression filter (a C loop) over the field's
    lexicon, read once per reader; None for other patterns (Whoosh expands those
    from their prefix, which is fast)."""
    import fnmatch
    import re

    from whoosh.query import Wildcard

    if type(node) is not Wildcard or node._find_prefix(node.text):
        return None
    fieldname = node.fieldname
    if fieldname not in reader.schema:
        return []
    cache = reader.__dict__.setdefault("_statements_lexicons", {})
    if fieldname not in cache:
        try:
            raw = list(reader.lexicon(fieldname))
        except Exception:  # not an indexed field: Whoosh's own expansion decides
            return None
        cache[fieldname] = (raw, [b.decode("utf-8", "replace") for b in raw])
    raw, words = cache[fieldname]
    match = re.compile(fnmatch.translate(node.text)).match
    out: list[bytes] = []
    for i in itertools.compress(range(len(words)), map(match, words)):
        out.append(raw[i])
        if len(out) > MAX_TERMS:
            break
    return out


def _too_broad(pattern: str) -> UsageError:
    return UsageError(
        f"the pattern {pattern!r} matches more than {MAX_TERMS} different words; "
        "searching them all would take minutes",
        "make it longer (e.g. secur* rather than s*), or search for the words themselves",
    )


@contextlib.contextmanager
def limits(text: str) -> Iterator[None]:
    """Around one search: the nesting check, the time budget, and RecursionError as a
    usage error."""
    check_nesting(text)
    budget = seconds()
    timer = (
        budget > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    previous: Any = None
    if timer:

        def expire(_signum: int, _frame: object) -> None:
            raise _Expired

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        yield
    except _Expired:
        raise SearchTimeoutError(
            f"the search was stopped after {budget:g} s (the time budget of one search)",
            "narrow it: longer wildcards, a phrase, --since/--until; or set "
            f"{ENV_SECONDS} to allow more",
        ) from None
    except RecursionError:
        raise UsageError(
            "the query is nested too deeply to search", "remove the extra parentheses or NOTs"
        ) from None
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def deadline() -> float | None:
    budget = seconds()
    return time.monotonic() + budget if budget > 0 else None
