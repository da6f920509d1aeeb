"""Saved searches ("watches") and which of their matches are new.

One JSON file in the data home, replaced atomically (`files.atomic_write_json`)
and only while holding the home's write lock (`lock.WriteLock`), so two
commands never lose each other's changes and a killed one leaves the old file:

    <home>/watches.json   {"version": 1,
                           "known": ids of every document indexed at the last check,
                           "watches": [{name, query, filters, created, new, seen, ...}]}

A match is new for a watch when its document entered the index after the
last check (`known`) and matches the saved search. It stays new until it is
shown (`watch show`) or marked seen (`watch seen`), and a match is new only
once: a seen id never becomes new again, even if its document is removed and
added back. A document that is changed in place (same id) is not new again.
`check` runs after every `add` and `update` and at the start of every watch
command, so documents added through the library directly are found too.

The watches are the user's own data: a damaged file is reported, never
silently replaced.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from statements.index.files import atomic_write_json
from statements.index.lock import DEFAULT_WAIT, WriteLock
from statements.index.sources import _NAME
from statements.scraper.errors import StatementsError, UsageError

if TYPE_CHECKING:
    from statements.index.library import Library
    from statements.index.models import Hit, SearchRequest, SearchResult

WATCHES_FILE = "watches.json"
FILTERS = ("speakers", "said_by", "since", "until", "sources", "types", "langs")
FLAGS = {  # the search option of each filter
    "speakers": "--speaker",
    "said_by": "--said-by",
    "since": "--since",
    "until": "--until",
    "sources": "--source",
    "types": "--type",
    "langs": "--lang",
}


class WatchError(StatementsError):
    """The watches file cannot be read or written."""


@dataclass
class Watch:
    """A saved search and the state of its matches."""

    name: str
    query: str
    speakers: tuple[str, ...] = ()
    said_by: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    sources: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    created: str = ""
    new: list[str] = field(default_factory=list)  # ids, in the order they were found
    seen: list[str] = field(default_factory=list)
    found: dict[str, str] = field(default_factory=dict)  # id -> when it became new
    checked: str | None = None
    shown: str | None = None

    @classmethod
    def from_request(cls, name: str, request: SearchRequest) -> Watch:
        """A new watch of the search `request` asks for (its query and filters)."""
        return cls(name=name, query=request.query, **{f: getattr(request, f) for f in FILTERS})

    def request(self, **changes: Any) -> SearchRequest:
        """The saved search as a `SearchRequest` (paging, sort, facets as given)."""
        from statements.index.models import SearchRequest

        base = SearchRequest(query=self.query, **{f: getattr(self, f) for f in FILTERS})
        return replace(base, **changes)

    def filters(self) -> dict[str, Any]:
        """The filters that are set, as the user typed them."""
        return {f: v for f in FILTERS if (v := getattr(self, f)) not in ((), None)}

    def arguments(self) -> str:
        """The saved search as the `statements search` arguments that would repeat it."""
        import shlex

        parts = [shlex.quote(self.query)]
        for key, value in self.filters().items():
            for v in value if isinstance(value, tuple) else (value,):
                parts.append(f"{FLAGS[key]} {shlex.quote(v)}")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "query": self.query,
            "filters": {
                f: list(v) if isinstance(v, tuple) else v for f, v in self.filters().items()
            },
            "created": self.created,
            "new": list(self.new),
            "seen": list(self.seen),
            "found": dict(self.found),
            "checked": self.checked,
            "shown": self.shown,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Watch:
        filters = data.get("filters") or {}
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name in FILTERS and f.name in filters:
                value = filters[f.name]
                kwargs[f.name] = tuple(str(v) for v in value) if isinstance(value, list) else value
        return cls(
            name=str(data["name"]),
            query=str(data["query"]),
            created=str(data.get("created") or ""),
            new=[str(i) for i in data.get("new") or []],
            seen=[str(i) for i in data.get("seen") or []],
            found={str(k): str(v) for k, v in (data.get("found") or {}).items()},
            checked=data.get("checked"),
            shown=data.get("shown"),
            **kwargs,
        )


@dataclass(frozen=True)
class News:
    """What one check found for one watch: `fresh` new since the last check, `unseen` in all."""

    name: str
    fresh: int
    unseen: int


@dataclass
class _State:
    known: set[str] | None
    watches: list[Watch]
    dirty: bool = False

    def get(self, name: str) -> Watch:
        for w in self.watches:
            if w.name == name:
                return w
        known = ", ".join(w.name for w in self.watches)
        raise UsageError(
            f"no watch named '{name}'",
            f"known watches: {known}"
            if known
            else "add one with `statements watch add NAME QUERY`",
        )


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class Watches:
    """`<home>/watches.json`: add, list, check, show and remove saved searches."""

    def __init__(self, home: Path, wait: float = DEFAULT_WAIT) -> None:
        self.home = Path(home)
        self.path = self.home / WATCHES_FILE
        self.wait = wait

    # ---- reading and writing the file -------------------------------------------------

    def exists(self) -> bool:
        return self.path.is_file()

    def _load(self) -> _State:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return _State(None, [])
        except OSError as exc:
            raise WatchError(f"cannot read {self.path}: {exc.strerror}") from None
        try:
            data = json.loads(raw)
            known = data.get("known")
            watches = [Watch.from_dict(w) for w in data["watches"]]
            return _State(set(map(str, known)) if known is not None else None, watches)
        except (ValueError, KeyError, TypeError, AttributeError):
            raise WatchError(
                f"{self.path} is damaged (not the watch list this program writes)",
                "fix the JSON by hand, or delete the file and add your watches again",
            ) from None

    def _save(self, state: _State) -> None:
        atomic_write_json(
            self.path,
            {
                "version": 1,
                "known": sorted(state.known) if state.known is not None else None,
                "watches": [w.to_dict() for w in state.watches],
            },
        )

    @contextmanager
    def _changing(self) -> Iterator[_State]:
        """The state under the write lock; saved on leaving when something changed."""
        with WriteLock(self.home, self.wait):
            state = self._load()
            yield state
            if state.dirty:
                self._save(state)

    def all(self) -> list[Watch]:
        return self._load().watches

    # ---- the commands -----------------------------------------------------------------

    def add(self, library: Library, watch: Watch) -> list[News]:
        """Save `watch`; the documents indexed so far are its baseline, not new.

        The other watches are checked first, so nothing added since their last check
        is taken into the baseline unseen.
        """
        check_name(watch.name)
        _validate(watch)
        with self._changing() as state:
            if any(w.name == watch.name for w in state.watches):
                raise UsageError(
                    f"a watch named '{watch.name}' exists already",
                    f"choose another name or `statements watch remove {watch.name}` first",
                )
            news = _check(library, state)
            watch.created = watch.checked = _now()
            state.watches.append(watch)
            state.dirty = True
        return news

    def remove(self, name: str) -> Watch:
        with self._changing() as state:
            watch = state.get(name)
            state.watches.remove(watch)
            state.dirty = True
        return watch

    def check(self, library: Library) -> list[News]:
        """Find every watch's new matches among the documents added since the last check."""
        if not self.exists():
            return []
        with self._changing() as state:
            return _check(library, state)

    def listing(self, library: Library) -> list[Watch]:
        """Every watch, after a check (so the counts of new matches are current)."""
        if not self.exists():
            return []
        with self._changing() as state:
            _check(library, state)
            return list(state.watches)

    def show(self, library: Library, name: str, request: SearchRequest, new: bool) -> SearchResult:
        """Run a watch's search (only its new matches with `new`), and mark the hits
        it returns as seen. `request` gives paging, sort, facets and format needs."""
        with self._changing() as state:
            _check(library, state)
            watch = state.get(name)
            if new:
                request = replace(request, ids=tuple(watch.new))
            result = library.search(request)
            _mark_seen(watch, [h.id for h in result.hits])
            watch.shown = _now()
            state.dirty = True
        return result

    def pages(
        self, library: Library, name: str, request: SearchRequest, new: bool
    ) -> Iterator[SearchResult]:
        """Every page of `show` (a full export), each page marked seen as it is read."""
        page = 1
        while True:
            # shown new matches stop being new: the next ones are always on page 1
            result = self.show(library, name, replace(request, page=1 if new else page), new)
            yield result
            if not result.hits or (new and len(result.hits) >= result.total):
                return
            if not new:
                if page * request.limit >= result.total:
                    return
                page += 1

    def mark_seen(self, library: Library, name: str) -> int:
        """Mark every new match of a watch as seen; returns how many there were."""
        with self._changing() as state:
            _check(library, state)
            watch = state.get(name)
            count = len(watch.new)
            _mark_seen(watch, list(watch.new))
            state.dirty = True
        return count

    def get(self, name: str) -> Watch:
        return self._load().get(name)

    def latest(self, library: Library, name: str, limit: int) -> tuple[Watch, list[Latest]]:
        """A watch's latest matches for its feed: the most recently found first (new or
        seen), then the newest statements of its baseline. Marks nothing as seen."""
        watch = self.get(name)
        found = sorted(watch.found.items(), key=lambda kv: kv[1], reverse=True)[:limit]
        out: list[Latest] = []
        if found:
            when = dict(found)
            result = library.search(watch.request(ids=tuple(when), sort="newest", limit=limit))
            out = [Latest(h, when[h.id]) for h in result.hits]
            out.sort(key=lambda item: item.found or "", reverse=True)
        if len(out) < limit:
            have = {item.hit.id for item in out}
            result = library.search(watch.request(sort="newest", limit=limit))
            out.extend(Latest(h, None) for h in result.hits if h.id not in have)
        return watch, out[:limit]


@dataclass(frozen=True)
class Latest:
    """One entry of a watch's feed: the hit, and when the watch found it (None: baseline)."""

    hit: Hit
    found: str | None


def check_name(name: str) -> None:
    if not _NAME.match(name):
        raise UsageError(
            f"bad watch name {name!r}",
            "use letters, digits, '.', '_' or '-' (at most 64, starting with a letter or digit)",
        )


def _validate(watch: Watch) -> None:
    """Bad dates in the filters are usage errors now, not at the next update."""
    from statements.index.models import check_request

    check_request(watch.request(limit=1))


def _mark_seen(watch: Watch, ids: list[str]) -> None:
    shown = set(ids)
    fresh = [i for i in watch.new if i in shown]
    if not fresh:
        return
    watch.new = [i for i in watch.new if i not in shown]
    seen = set(watch.seen)
    watch.seen.extend(i for i in fresh if i not in seen)


def _check(library: Library, state: _State) -> list[News]:
    current = set(library.ids())
    if state.known is None:  # the first watch: everything indexed so far is its baseline
        state.known = current
        state.dirty = True
        return []
    added = current - state.known
    news = []
    for watch in state.watches:
        fresh: list[str] = []
        if added:
            blocked = set(watch.seen) | set(watch.new)
            fresh = [i for i in matching(library, watch.request(), added) if i not in blocked]
        kept = [i for i in watch.new if i in current]  # removed documents are not shown
        if fresh or len(kept) != len(watch.new):
            watch.new = kept + fresh
            stamp = _now()
            watch.found.update((i, stamp) for i in fresh)
            state.dirty = True
        if added:
            watch.checked = _now()
        news.append(News(watch.name, len(fresh), len(watch.new)))
    if current != state.known:
        state.known = current
        state.dirty = True
    return news


def matching(library: Library, request: SearchRequest, ids: set[str]) -> list[str]:
    """The ids among `ids` that `request` matches, newest first (copies collapsed)."""
    from statements.index.models import MAX_LIMIT

    out: list[str] = []
    page = 1
    base = replace(request, ids=tuple(sorted(ids)), sort="newest", limit=MAX_LIMIT, snippets=False)
    while True:
        result = library.search(replace(base, page=page))
        out.extend(h.id for h in result.hits)
        if not result.hits or page * MAX_LIMIT >= result.total:
            return out
        page += 1
