"""robots.txt (RFC 9309), read once per host per run, and its Crawl-delay.

A missing file (4xx) allows everything; one that cannot be read (5xx, a network
failure) disallows everything on that host for this run, as the RFC asks; one
over 512 KiB is read as allowing everything (the RFC asks crawlers to read at
least 500 KiB). Redirects are not followed for robots.txt.
"""

from __future__ import annotations

import urllib.robotparser
from collections.abc import Callable

from statements.scraper.errors import FetchError
from statements.scraper.network.addresses import host_key
from statements.scraper.network.response import REDIRECT_STATUSES, TooLargeError, Unreachable

ROBOTS_AGENT = "statements"  # the token robots.txt groups are matched against
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB

#: GET `url` with at most `max_bytes` of body and `retries` retries: (status, headers, body)
Get = Callable[[str, int, int], tuple[int, dict[str, str], bytes]]


class Robots:
    """The robots.txt rules of every host a run visits, fetched with `get` on first use."""

    def __init__(self, get: Get, *, max_crawl_delay: float) -> None:
        self._get = get
        self.max_crawl_delay = max_crawl_delay
        self._rules: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._errors: dict[str, tuple[str, str]] = {}  # host -> (problem, fix)
        self.crawl_delay: dict[str, float] = {}  # host -> its Crawl-delay, capped

    def check(self, url: str) -> None:
        """Raise `FetchError` when the host's robots.txt disallows `url` (or is unreadable)."""
        key = host_key(url)
        if key not in self._rules:
            self._load(key)
        rp = self._rules[key]
        if rp is None:
            problem, fix = self._errors[key]
            raise FetchError(f"{url}: {problem}", fix)
        if not rp.can_fetch(ROBOTS_AGENT, url):
            raise FetchError(
                f"{url}: disallowed by {key}/robots.txt; not fetched",
                "the site asks crawlers to stay away from this page: use a page or feed "
                "it allows, or save the page yourself and `statements add` the file",
            )

    def _load(self, key: str) -> None:
        robots_url = key + "/robots.txt"
        rp = urllib.robotparser.RobotFileParser(robots_url)
        try:
            status, _headers, content = self._get(robots_url, ROBOTS_MAX_BYTES, 1)
        except TooLargeError:  # RFC 9309 asks for at least 500 KiB; beyond: allow all
            rp.parse([])
            self._rules[key] = rp
            return
        except Unreachable as exc:  # the host itself: say that, not "robots.txt"
            self._rules[key] = None
            self._errors[key] = (exc.problem, exc.fix)
            return
        except FetchError as exc:
            self._rules[key] = None
            self._errors[key] = (
                f"{robots_url} could not be read ({exc.message}); by the robots.txt rules "
                "nothing on this host may be fetched for now",
                "try again later",
            )
            return
        if status in REDIRECT_STATUSES or 400 <= status < 500:
            # Unavailable (RFC 9309 2.3.1.3): crawl freely. Redirects are not
            # followed for robots.txt; treating them as absent is the lenient reading.
            rp.parse([])
        elif 200 <= status < 300:
            rp.parse(content.decode("utf-8", "replace").splitlines())
            crawl = rp.crawl_delay(ROBOTS_AGENT)
            if crawl:
                self.crawl_delay[key] = min(float(crawl), self.max_crawl_delay)
        else:
            self._rules[key] = None
            self._errors[key] = (
                f"robots.txt answered HTTP {status}; by the robots.txt rules nothing on "
                "this host may be fetched for now",
                "try again later",
            )
            return
        self._rules[key] = rp
