"""`statements update`: bring the index up to date with the sources a user follows.

For each source: read it (conditional GET, `scraper.network.follow`), find its
statement links (`scraper.network.discover`), and for each link decide as cheaply as
possible whether anything changed:

1. a sitemap `<lastmod>` equal to the one recorded when the page was indexed:
   unchanged, no request at all;
2. a conditional GET answered 304: unchanged, no body downloaded;
3. a body whose SHA-256 equals the last one: unchanged, not extracted;
4. an extracted statement whose fingerprint equals the last one: unchanged
   (pages whose chrome changes, e.g. a "most read" box, do not re-index);
5. otherwise it is indexed through `Library.add`, with the raw capture
   (`index.ingest.from_response`, as `statements add URL` does).

This module keeps the bookkeeping (the registry, what each URL answered last
time); the requests themselves are `scraper.network.follow`'s.

The fetch state is saved only after the library accepted a batch, so a run
killed half-way redoes the unsaved part next time and never marks a page as
done that is not in the index. Every failure (fetch, extraction, indexing of
one item) is recorded for its URL and the run carries on. Progress goes to a
callback; library code never prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from statements.index.lock import update_lock
from statements.index.sources import (
    FeedState,
    FetchState,
    PageState,
    Source,
    SourceRegistry,
)
from statements.scraper.errors import StatementsError

if TYPE_CHECKING:
    from statements.index.library import Library
    from statements.index.store import Capture
    from statements.scraper.network.discover import Link
    from statements.scraper.network.fetch import Fetcher
    from statements.scraper.network.follow import Follower, Validators
    from statements.scraper.network.response import Response
    from statements.scraper.record import Statement

Progress = Callable[[str], None]

DEFAULT_MAX_LINKS = 1000
DEFAULT_MAX_SITEMAPS = 50
BATCH = 20


@dataclass
class SourceSummary:
    """What one source's update did. `unchanged` includes `not_modified` (304 answers)."""

    name: str
    url: str
    links: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    not_modified: int = 0
    downloaded: int = 0
    deferred: int = 0  # links left for the next run by the --max-links cap
    error: str | None = None  # the source itself could not be read
    errors: list[tuple[str, str]] = field(default_factory=list)  # (url, message)

    @property
    def ok(self) -> bool:
        return self.error is None and self.failed == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "url": self.url,
            "links": self.links,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "not_modified": self.not_modified,
            "downloaded": self.downloaded,
            "deferred": self.deferred,
            "error": self.error,
            "errors": [{"url": u, "error": e} for u, e in self.errors],
        }


@dataclass
class UpdateReport:
    sources: list[SourceSummary]
    requests: int = 0

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.sources)

    def total(self, key: str) -> int:
        return sum(int(getattr(s, key)) for s in self.sources)

    def to_dict(self) -> dict[str, Any]:
        keys = ("new", "changed", "unchanged", "failed", "not_modified", "downloaded", "deferred")
        return {
            "sources": [s.to_dict() for s in self.sources],
            "totals": {k: self.total(k) for k in keys},
            "requests": self.requests,
        }


@dataclass
class _Pending:
    link_url: str
    lastmod: str | None
    response: Response
    statement: Statement
    capture: Capture
    content_hash: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _seen(old: PageState | None) -> Validators | None:
    """What a conditional GET of a URL sends: what its last answer carried."""
    from statements.scraper.network.follow import Validators

    return Validators(old.etag, old.last_modified) if old else None


def update(
    home: Path,
    names: list[str] | None = None,
    *,
    fetcher: Fetcher | None = None,
    library: Library | None = None,
    progress: Progress | None = None,
    max_links: int = DEFAULT_MAX_LINKS,
    max_sitemaps: int = DEFAULT_MAX_SITEMAPS,
    batch: int = BATCH,
    max_time: float | None = None,
) -> UpdateReport:
    """Update the index at `home` from the named sources (all when `names` is empty).

    Raises `UsageError` for an unknown source name; everything that goes wrong
    with one source or one URL is reported in its `SourceSummary` instead.
    `max_time` bounds the whole run in seconds: no request starts after it, none
    runs past it, and the links not reached wait for the next run (`deferred`).
    """
    from statements.scraper.network.fetch import Fetcher
    from statements.scraper.network.follow import Follower

    home = Path(home)
    sources = SourceRegistry(home).select(names)
    say: Progress = progress or (lambda _msg: None)
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher()
    follower = Follower(fetcher, max_time)
    own_library = library is None
    with update_lock(home):
        if library is None:
            from statements.index.library import Library

            library = Library(home)
        state = FetchState(home)
        if state.recovered:
            say("the fetch state was damaged and was set aside; everything is checked again")
        start = follower.requests
        run = _Run(state, follower, library, say, max_links, max_sitemaps, max(1, batch))
        try:
            summaries = [run.source(s) for s in sources]
        finally:
            if own_fetcher:
                fetcher.close()
            if own_library:
                library.close()
        return UpdateReport(summaries, requests=follower.requests - start)


class _Run:
    def __init__(
        self,
        state: FetchState,
        follower: Follower,
        library: Library,
        say: Progress,
        max_links: int,
        max_sitemaps: int,
        batch: int,
    ) -> None:
        self.state = state
        self.follow = follower
        self.library = library
        self.say = say
        self.max_links = max_links
        self.max_sitemaps = max_sitemaps
        self.batch = batch

    # ---- one source ------------------------------------------------------------------

    def source(self, source: Source) -> SourceSummary:
        summary = SourceSummary(source.name, source.url)
        self.follow.source_url = source.url  # it decides where the links may lead
        if self.follow.out_of_time():
            summary.error = "not read: the run reached its time limit (--max-time)"
            self.say(f"{source.name}: {summary.error}")
            return summary
        self.say(f"{source.name}: reading {source.url}")
        try:
            links = self._links(source.url)
        except StatementsError as exc:
            summary.error = str(exc)
        except Exception as exc:  # hostile source vs a bug here: report, go on with the others
            summary.error = f"{source.url}: internal error: {type(exc).__name__}: {exc}"
        if summary.error is not None:
            self.say(f"{source.name}: failed")
            return summary
        # Pages never indexed go first, so a capped run still makes progress through a
        # big sitemap instead of re-checking the same first pages every time.
        links.sort(key=lambda link: self._indexed(link.url))
        summary.links = len(links)
        if not links:
            self.say(f"{source.name}: no statement links found at {source.url}")
        budget = self.max_links
        pending: list[_Pending] = []
        for i, link in enumerate(links, 1):
            if self._same_lastmod(link):  # free: no request
                summary.unchanged += 1
                continue
            if budget <= 0 or self.follow.out_of_time():
                summary.deferred += 1
                continue
            budget -= 1
            outcome = self._check(link, pending, summary)
            if outcome:  # failures are detailed in the summary's errors; here one word
                self.say(f"{source.name}: [{i}/{len(links)}] {outcome}: {link.url}")
            if len(pending) >= self.batch:
                self._flush(pending, summary)
        self._flush(pending, summary)
        self.state.save()
        if summary.deferred:
            why = (
                "the run reached its time limit (--max-time)"
                if self.follow.out_of_time()
                else f"at most {self.max_links} requests per source and run"
            )
            self.say(f"{source.name}: {summary.deferred} links left for the next run ({why})")
        self.say(
            f"{source.name}: {summary.new} new, {summary.changed} changed, "
            f"{summary.unchanged} unchanged, {summary.failed} failed"
        )
        return summary

    def _links(self, url: str) -> list[Link]:
        """The statement links of a source, following a sitemap index one level down."""
        from statements.scraper.network.discover import Link, unique_links

        links, sitemaps = self._read_feed(url)
        if sitemaps:
            out: list[Link] = []
            for child_url, _lastmod in sitemaps[: self.max_sitemaps]:
                try:
                    child_links, _ = self._read_feed(child_url)
                except StatementsError as exc:
                    self.say(f"  sitemap failed: {exc}")
                    continue
                out.extend(child_links)
            links = out
        return [Link(u.url, u.title, u.lastmod) for u in unique_links(links)]

    def _read_feed(self, url: str) -> tuple[list[Link], list[tuple[str, str | None]]]:
        """Read a feed/sitemap/listing conditionally; on 304 reuse the links it gave last time."""
        from statements.scraper.network.discover import Link
        from statements.scraper.network.follow import content_hash

        old = self.state.page(url)
        known = self.state.feeds.get(url)
        try:
            answer = self.follow.read_source(url, _seen(old), known=known is not None)
        except StatementsError as exc:  # `sources list` shows the failed check too
            if old is None:
                old = self.state.pages[url] = PageState()
            old.checked, old.error, old.answer = _now(), str(exc), "failed"
            self.state.save()
            raise
        if answer.found is None:
            assert old is not None and known is not None  # a 304 answers what it gave
            old.checked, old.error, old.answer = _now(), None, "not modified"
            return [Link(u, None, lm) for u, lm in known.links], list(known.sitemaps)
        resp, found = answer.response, answer.found
        digest = content_hash(resp.content)
        self.state.feeds[url] = FeedState(
            links=[(link.url, link.lastmod) for link in found.links],
            sitemaps=[(s.url, s.lastmod) for s in found.sitemaps],
        )
        self.state.pages[url] = PageState(
            etag=resp.etag,
            last_modified=resp.last_modified,
            content_hash=digest,
            checked=_now(),
            answer="changed" if old and old.content_hash != digest else "read",
        )
        return list(found.links), [(s.url, s.lastmod) for s in found.sitemaps]

    # ---- one link --------------------------------------------------------------------

    def _indexed(self, url: str) -> bool:
        old = self.state.page(url)
        return old is not None and old.statement_id is not None

    def _same_lastmod(self, link: Link) -> bool:
        """The sitemap says the page has not changed since it was indexed."""
        old = self.state.page(link.url)
        return bool(
            old
            and old.statement_id
            and link.lastmod
            and old.lastmod == link.lastmod
            and not old.error
        )

    def _check(self, link: Link, pending: list[_Pending], summary: SourceSummary) -> str:
        """Decide new/changed/unchanged for one link; queue changed ones. Returns a word."""
        from statements.index.ingest import from_response
        from statements.scraper.network.follow import content_hash

        old = self.state.page(link.url)
        indexed = old is not None and old.statement_id is not None
        try:
            resp = self.follow.fetch(link.url, _seen(old) if indexed else None)
        except StatementsError as exc:
            return self._failed(link.url, exc, summary)
        except Exception as exc:  # a fetcher bug must cost one URL, not the run
            return self._failed(link.url, f"internal error: {type(exc).__name__}: {exc}", summary)
        if resp.not_modified:
            summary.unchanged += 1
            summary.not_modified += 1
            if old:
                old.checked, old.error = _now(), None
            return ""
        summary.downloaded += 1
        digest = content_hash(resp.content)
        if indexed and old and old.content_hash == digest:
            self._remember_unchanged(old, resp, link)
            summary.unchanged += 1
            return ""
        try:
            statement, capture = from_response(resp)
        except StatementsError as exc:
            return self._failed(link.url, exc, summary)
        except Exception as exc:  # hostile page vs extractor bug: report, never stop the run
            return self._failed(link.url, f"internal error: {type(exc).__name__}: {exc}", summary)
        if indexed and old and old.fingerprint == statement.fingerprint():
            old.content_hash = digest
            self._remember_unchanged(old, resp, link)
            summary.unchanged += 1
            return ""
        assert capture is not None  # a page's capture is its bytes
        pending.append(_Pending(link.url, link.lastmod, resp, statement, capture, digest))
        return "changed" if indexed else "new"

    def _remember_unchanged(self, old: PageState, resp: Response, link: Link) -> None:
        old.etag, old.last_modified = resp.etag, resp.last_modified
        old.lastmod = link.lastmod
        old.checked, old.error = _now(), None

    def _failed(self, url: str, exc: object, summary: SourceSummary) -> str:
        message = str(exc)
        summary.failed += 1
        summary.errors.append((url, message))
        old = self.state.page(url)
        if old is None:
            self.state.pages[url] = PageState(checked=_now(), error=message)
        else:
            old.checked, old.error = _now(), message
        return "failed"

    def _flush(self, pending: list[_Pending], summary: SourceSummary) -> None:
        """Index the queued statements, then record them in the fetch state and save it.

        `Library.add` indexes a batch whole or raises (a damaged index, a full disk),
        which ends the run with the batch not recorded: the next run fetches it again.
        """
        if not pending:
            return
        result = self.library.add([(p.statement, p.capture) for p in pending])
        summary.new += result.added
        summary.changed += result.updated
        summary.unchanged += result.unchanged
        for p in pending:
            self.state.pages[p.link_url] = PageState(
                etag=p.response.etag,
                last_modified=p.response.last_modified,
                content_hash=p.content_hash,
                statement_id=p.statement.id,
                fingerprint=p.statement.fingerprint(),
                lastmod=p.lastmod,
                checked=_now(),
            )
        pending.clear()
        self.state.save()
