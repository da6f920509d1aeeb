"""The sources a user follows, and what was last fetched from each URL.

Two JSON files in the data home, each replaced atomically (index.files) so a
killed process leaves either the old or the new file, never half of one:

    <home>/sources.json       the registry: name, URL, when added
    <home>/fetch-state.json   per URL: ETag, Last-Modified, content hash, statement
                              id and fingerprint, last error; per feed/sitemap URL:
                              the links it listed (reused when it answers 304)

The registry is the user's own data: a damaged file is reported, never
silently replaced. The fetch state is only a cache: a damaged one is set aside
(`fetch-state.json.damaged`, index.files) and the next update simply downloads
again. Both are written under the update lock (index.lock.update_lock), which
`update` holds for its whole run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from statements.index.files import atomic_write_json, set_aside
from statements.index.lock import update_lock
from statements.scraper.errors import StatementsError, UsageError

SOURCES_FILE = "sources.json"
STATE_FILE = "fetch-state.json"
SOURCES_WAIT = 10.0  # seconds `sources add/remove` wait for a running update
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class SourcesError(StatementsError):
    """The sources registry cannot be read or written."""


@dataclass(frozen=True)
class Source:
    """A followed publisher page: an RSS/Atom feed, a sitemap or a listing page."""

    name: str
    url: str
    added: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "url": self.url, "added": self.added}


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class SourceRegistry:
    """`<home>/sources.json`: add, list, remove and select sources by name."""

    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self.path = self.home / SOURCES_FILE

    def all(self) -> list[Source]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise SourcesError(f"cannot read {self.path}: {exc.strerror}") from None
        try:
            data = json.loads(raw)
            return [
                Source(str(s["name"]), str(s["url"]), str(s.get("added", "")))
                for s in data["sources"]
            ]
        except (ValueError, KeyError, TypeError):
            raise SourcesError(
                f"{self.path} is damaged (not the sources list this program writes)",
                "fix the JSON by hand, or delete the file and add your sources again",
            ) from None

    def _save(self, sources: list[Source]) -> None:
        atomic_write_json(self.path, {"version": 1, "sources": [s.to_dict() for s in sources]})

    def add(self, url: str, name: str | None = None) -> Source:
        """Register `url` under `name` (derived from the URL when not given)."""
        url = check_source_url(url)
        with update_lock(self.home, SOURCES_WAIT):
            return self._add(url, name)

    def _add(self, url: str, name: str | None) -> Source:
        sources = self.all()
        for s in sources:
            if s.url == url:
                raise UsageError(
                    f"{url} is already followed as '{s.name}'",
                    f"use `statements update {s.name}` to fetch it",
                )
        names = {s.name for s in sources}
        if name is not None:
            if not _NAME.match(name):
                raise UsageError(
                    f"bad source name {name!r}",
                    "use letters, digits, '.', '_' or '-' (at most 64, starting with a "
                    "letter or digit)",
                )
            if name in names:
                raise UsageError(
                    f"a source named '{name}' exists already",
                    "choose another --name or `statements sources remove` the old one",
                )
        else:
            name = _unique(default_name(url), names)
        source = Source(name, url, _now())
        self._save([*sources, source])
        return source

    def remove(self, name: str) -> Source:
        """Stop following `name`, and forget what its feed listed (the fetch state)."""
        with update_lock(self.home, SOURCES_WAIT):
            sources = self.all()
            for s in sources:
                if s.name == name:
                    self._save([x for x in sources if x.name != name])
                    state = FetchState(self.home)
                    state.forget_feed(s.url)
                    state.save()
                    return s
            raise UsageError(f"no source named '{name}'", _known(sources))

    def select(self, names: list[str] | None = None) -> list[Source]:
        """The named sources (all when `names` is empty), in registry order."""
        sources = self.all()
        if not names:
            return sources
        by_name = {s.name: s for s in sources}
        missing = [n for n in names if n not in by_name]
        if missing:
            raise UsageError(f"no source named '{missing[0]}'", _known(sources))
        return [by_name[n] for n in dict.fromkeys(names)]


def _known(sources: list[Source]) -> str:
    if not sources:
        return "no sources yet: add one with `statements sources add URL`"
    return "known sources: " + ", ".join(s.name for s in sources)


def check_source_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"{url!r} is not an http(s) URL",
            "give the full address of a feed, sitemap or listing page, "
            "e.g. https://www.state.gov/rss-feed/press-releases/feed/",
        )
    return url.split("#", 1)[0]


def default_name(url: str) -> str:
    """A short name from the URL: the host without "www.", e.g. "state.gov"."""
    host = (urlsplit(url).hostname or "source").lower()
    host = host.removeprefix("www.")
    name = re.sub(r"[^a-z0-9._-]+", "-", host).strip("-.") or "source"
    return name[:64]


def _unique(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    n = 2
    while f"{name}-{n}" in taken:
        n += 1
    return f"{name}-{n}"


# ---- per-URL fetch state ------------------------------------------------------------


@dataclass
class PageState:
    """What was last seen at one URL: enough for a conditional GET and change detection."""

    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    statement_id: str | None = None
    fingerprint: str | None = None
    lastmod: str | None = None  # the sitemap's <lastmod> when the page was indexed
    checked: str | None = None
    error: str | None = None
    answer: str | None = None  # a source's last check: "read", "changed", "not modified", "failed"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageState:
        known = set(cls.__dataclass_fields__)
        return cls(
            **{k: (str(v) if v is not None else None) for k, v in data.items() if k in known}
        )


@dataclass
class FeedState:
    """The links a feed or sitemap listed last time (reused when it answers 304)."""

    links: list[tuple[str, str | None]] = field(default_factory=list)
    sitemaps: list[tuple[str, str | None]] = field(default_factory=list)


class FetchState:
    """`<home>/fetch-state.json`, loaded once per update and saved after each batch."""

    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self.path = self.home / STATE_FILE
        self.pages: dict[str, PageState] = {}
        self.feeds: dict[str, FeedState] = {}
        self.recovered = False  # True when a damaged file was moved aside
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.pages = {u: PageState.from_dict(p) for u, p in data.get("pages", {}).items()}
            self.feeds = {
                u: FeedState(
                    links=[(str(a), b) for a, b in f.get("links", [])],
                    sitemaps=[(str(a), b) for a, b in f.get("sitemaps", [])],
                )
                for u, f in data.get("feeds", {}).items()
            }
        except FileNotFoundError:
            return
        except (ValueError, TypeError, AttributeError):
            with contextlib.suppress(OSError):
                set_aside(self.path)
            self.pages, self.feeds, self.recovered = {}, {}, True

    def page(self, url: str) -> PageState | None:
        return self.pages.get(url)

    def save(self) -> None:
        atomic_write_json(
            self.path,
            {
                "version": 1,
                "pages": {u: asdict(p) for u, p in self.pages.items()},
                "feeds": {u: asdict(f) for u, f in self.feeds.items()},
            },
        )

    def forget_feed(self, url: str) -> None:
        self.feeds.pop(url, None)
        self.pages.pop(url, None)
