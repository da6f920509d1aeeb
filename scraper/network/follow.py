"""The network side of following a source: what a feed, sitemap or page answers now.

`statements update` keeps what it saw last time (`index.sources.FetchState`)
and asks this module what changed since, as cheaply as HTTP allows: a
conditional GET (ETag, Last-Modified) answered 304 costs no body, and a body
whose SHA-256 equals the last one needs no extraction. Every request goes
through one `Fetcher`, on behalf of the followed source (which decides where
its links may lead), and none starts after the run's deadline.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from statements.scraper.network.discover import Discovery, parse_source
from statements.scraper.network.fetch import Fetcher
from statements.scraper.network.response import Response


def content_hash(data: bytes) -> str:
    """The SHA-256 of a body: equal hashes, equal bytes, nothing to extract again."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Validators:
    """What a conditional GET sends back: the answer's ETag and Last-Modified."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FeedAnswer:
    """A source document read again: `found` is None when it answered 304."""

    response: Response
    found: Discovery | None

    @property
    def not_modified(self) -> bool:
        return self.found is None


class Follower:
    """The requests of one update run, each on behalf of the source being read."""

    def __init__(self, fetcher: Fetcher, max_time: float | None = None) -> None:
        self.fetcher = fetcher
        if max_time is not None:
            fetcher.deadline = time.monotonic() + max_time
        self.source_url = ""

    @property
    def requests(self) -> int:
        return self.fetcher.requests

    def out_of_time(self) -> bool:
        deadline = self.fetcher.deadline
        return deadline is not None and time.monotonic() >= deadline

    def fetch(self, url: str, seen: Validators | None = None) -> Response:
        """GET `url`, conditionally when `seen` gives what the last answer carried."""
        seen = seen or Validators()
        return self.fetcher.fetch(
            url, source=self.source_url, etag=seen.etag, last_modified=seen.last_modified
        )

    def read_source(self, url: str, seen: Validators | None, known: bool) -> FeedAnswer:
        """A feed, sitemap or listing page, conditionally. A 304 is taken only when the
        links it listed last time are `known`; otherwise it is asked again in full."""
        response = self.fetch(url, seen)
        if response.not_modified and known:
            return FeedAnswer(response, None)
        if response.not_modified:  # the links were lost: ask again unconditionally
            response = self.fetch(url)
        found = parse_source(response.content, url=response.url, content_type=response.content_type)
        return FeedAnswer(response, found)
