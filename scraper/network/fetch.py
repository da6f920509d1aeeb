"""Polite, bounded HTTP fetching: the only module that sends requests.

A site operator should accept what this crawler does, and the real web must
not be able to hurt it. So a `Fetcher`:

- says who it is (User-Agent `statements/<version> (+<project url>)`);
- honours robots.txt (RFC 9309: cached per host; a missing file allows all,
  an unreachable one disallows all for this run) and its Crawl-delay;
- waits a per-host delay between requests to one host;
- has connect and read timeouts and a wall-clock deadline per response,
  checked on every read from the socket (a server dripping 8 bytes a second
  is stopped at the deadline), and optionally a deadline for the whole run;
- skips a host for the rest of the run after `max_host_failures` timeouts or
  failed connections (a port that accepts and never answers costs that many
  timeouts, not four per link);
- never requests a loopback, private or link-local address unless the source
  itself is on such an address (a public feed cannot point it at
  `http://127.0.0.1/admin`), checked on every redirect hop;
- retries 429 and 5xx answers and network errors with exponential backoff,
  honouring Retry-After (capped, so a hostile server cannot park it for a day);
- caps the response size while streaming, counted on the *decompressed*
  bytes, so a gzip bomb is cut at the cap instead of filling memory;
- follows a bounded number of redirects itself, detecting loops and checking
  robots.txt for every hop;
- sends conditional requests (If-None-Match / If-Modified-Since) and returns
  status 304 when the page has not changed.

Every failure is a `FetchError` whose message names the URL, the problem and
what to do about it; callers report it per URL and carry on. Beside this
module: `response` (the answer and the errors), `addresses` (where a request
may go), `robots` (robots.txt) and `inflate` (decompression under the cap).
"""

from __future__ import annotations

import email.utils
import os
import time
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from statements.scraper.errors import FetchError
from statements.scraper.network.addresses import address_kind, check_url, host_key, resolve_host
from statements.scraper.network.inflate import BodyTooLarge, Decoder
from statements.scraper.network.response import (
    MB,
    REDIRECT_STATUSES,
    RETRY_STATUSES,
    HTTPStatusError,
    Response,
    Unreachable,
    network_error,
    status_error,
    too_large,
)
from statements.scraper.network.robots import Robots

if TYPE_CHECKING:
    import httpx

# What a site operator reading the User-Agent learns about this crawler. The
# project has no public home page to point at, so the agent names itself and,
# when the user sets STATEMENTS_CONTACT (an e-mail or URL), how to reach them.
CONTACT = os.environ.get("STATEMENTS_CONTACT", "").strip()


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("statements")
    except Exception:  # not installed (running from a checkout)
        return "0.1.0"


USER_AGENT = f"statements/{_version()} (official-statements search tool" + (
    f"; +{CONTACT})" if CONTACT else ")"
)


def _parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


class Fetcher:
    """Holds the polite-fetch state: the HTTP client, robots.txt cache, per-host clock.

    Use one `Fetcher` for a whole run (an `update`) so robots.txt is read once
    per host and the per-host delay spans requests. All limits are parameters
    so tests can make them tiny; defaults suit the real web.
    """

    def __init__(
        self,
        *,
        user_agent: str = USER_AGENT,
        delay: float = 1.0,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
        max_time: float = 120.0,
        max_bytes: int = 20 * MB,
        max_redirects: int = 5,
        retries: int = 3,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        max_retry_after: float = 120.0,
        respect_robots: bool = True,
        max_crawl_delay: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        trust_env: bool = True,
        max_host_failures: int = 2,
        resolve: Callable[[str, int], list[str]] | None = None,
    ) -> None:
        self.user_agent = user_agent
        self.delay = delay
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_time = max_time
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.respect_robots = respect_robots
        self.max_crawl_delay = max_crawl_delay
        self.sleep = sleep
        self.trust_env = trust_env
        self.max_host_failures = max_host_failures
        self.resolve = resolve or resolve_host
        self.deadline: float | None = None  # time.monotonic() by which a run must end
        self._failures: dict[str, list[str]] = {}  # host -> problems (timeouts, refusals)
        self._addresses: dict[tuple[str, int], list[str]] = {}
        self.requests = 0  # HTTP requests sent (robots.txt and retries included)
        self._robots = Robots(
            lambda url, max_bytes, retries: self._get_with_retries(
                url, {}, max_bytes=max_bytes, retries=retries
            ),
            max_crawl_delay=max_crawl_delay,
        )
        self._last: dict[str, float] = {}
        self._client: httpx.Client | None = None

    # ---- lifecycle ---------------------------------------------------------------

    def _http(self) -> httpx.Client:
        if self._client is None:
            import httpx

            self._client = httpx.Client(
                follow_redirects=False,
                timeout=httpx.Timeout(
                    self.read_timeout, connect=self.connect_timeout, pool=self.connect_timeout
                ),
                headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
                trust_env=self.trust_env,  # HTTP(S)_PROXY, NO_PROXY, SSL_CERT_FILE
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- public ------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        source: str | None = None,
    ) -> Response:
        """GET `url` politely; 304 when `etag`/`last_modified` still match.

        `source` is the feed or page that led here (default: `url` itself): only
        when it is on a loopback, private or link-local address may `url` and its
        redirects be on one of the same kind.

        Raises `FetchError` (an `HTTPStatusError` for error statuses) naming the
        URL, the problem and the fix.
        """
        current = check_url(url)
        local = self._local_kinds(source or current)
        conditional: dict[str, str] = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        chain: list[str] = [current]
        while True:
            self._check_address(current, local, first=chain[0])
            self._check_host(current)
            if self.respect_robots:
                self._robots.check(current)
            status, headers, content = self._get_with_retries(current, conditional)
            if status in REDIRECT_STATUSES:
                location = headers.get("location")
                if not location:
                    raise HTTPStatusError(
                        f"{current}: HTTP {status} redirect without a Location header",
                        "the site is misconfigured; try the address in a browser",
                        url=current,
                        status=status,
                    )
                target = urljoin(current, location.strip())
                if target in chain:
                    loop = " -> ".join([*chain[chain.index(target) :], target])
                    raise FetchError(
                        f"{url}: redirect loop ({loop})",
                        "the site redirects in a circle; check the address in a browser",
                    )
                if len(chain) > self.max_redirects:
                    raise FetchError(
                        f"{url}: more than {self.max_redirects} redirects (last: {chain[-1]})",
                        "use the final address of the page instead",
                    )
                try:
                    current = check_url(target)
                except FetchError as exc:
                    raise FetchError(f"{url}: redirected to an unusable address: {exc}") from None
                chain.append(current)
                continue
            break
        et = headers.get("etag")
        lm = headers.get("last-modified")
        if status == 304:
            return Response(
                url=current,
                status=304,
                content=b"",
                content_type=headers.get("content-type"),
                headers=headers,
                etag=et or etag,
                last_modified=lm or last_modified,
                redirects=tuple(chain[:-1]),
            )
        if not 200 <= status < 300:
            raise status_error(current, status)
        return Response(
            url=current,
            status=status,
            content=content,
            content_type=headers.get("content-type"),
            headers=headers,
            etag=et,
            last_modified=lm,
            redirects=tuple(chain[:-1]),
        )

    # ---- where requests may go -----------------------------------------------------

    def _addresses_of(self, url: str) -> list[str]:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        key = (host, port)
        if key not in self._addresses:
            try:
                self._addresses[key] = self.resolve(host, port)
            except (OSError, UnicodeError):
                self._addresses[key] = []  # unresolvable: the request itself says so
        return self._addresses[key]

    def _local_kinds(self, source: str) -> set[str]:
        """The kinds of non-public address the source is on (none for a public one)."""
        try:
            return {k for k in map(address_kind, self._addresses_of(source)) if k != "public"}
        except ValueError:
            return set()

    def _check_address(self, url: str, allowed: set[str], *, first: str) -> None:
        for address in self._addresses_of(url):
            kind = address_kind(address)
            if kind != "public" and kind not in allowed:
                via = "" if url == first else f" (redirected from {first})"
                raise FetchError(
                    f"{url}{via}: {urlsplit(url).hostname} is a {kind} address "
                    f"({address}); not fetched, since the source is not on one",
                    "pages of your own machine or network are fetched only from a "
                    "source there; to index this page, `statements add` it yourself",
                )

    def _check_host(self, url: str) -> None:
        problems = self._failures.get(host_key(url), [])
        if self.max_host_failures and len(problems) >= self.max_host_failures:
            raise FetchError(
                f"{url}: skipped: {host_key(url)} failed {len(problems)} times in this "
                f"run ({problems[-1]})",
                "try again later",
            )

    def _host_failed(self, url: str, problem: str) -> None:
        self._failures.setdefault(host_key(url), []).append(problem)

    # ---- one URL, with retries -----------------------------------------------------

    def _get_with_retries(
        self,
        url: str,
        extra_headers: dict[str, str],
        *,
        max_bytes: int | None = None,
        retries: int | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        import httpx

        attempts = (self.retries if retries is None else retries) + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                status, headers, content = self._get_once(url, extra_headers, max_bytes)
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                error = network_error(url, exc)
                if isinstance(exc, (httpx.TimeoutException, httpx.ConnectError)):
                    self._host_failed(url, error.problem)
                    self._check_host(url)  # over the budget: no more tries on this host
                if last:
                    raise error from None
                self.sleep(self._backoff(attempt))
                continue
            except UnicodeError as exc:  # IDNA: a host name with empty or bad labels
                raise Unreachable(
                    url, f"the host name is not valid ({exc})", "check the address for typos"
                ) from None
            except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
                raise FetchError(
                    f"{url}: the request failed ({type(exc).__name__}: {exc})",
                    "check the address; if it persists the site sends malformed answers",
                ) from None
            if status in RETRY_STATUSES and not last:
                wait = _parse_retry_after(headers.get("retry-after"))
                if wait is None:
                    wait = self._backoff(attempt)
                self.sleep(min(wait, self.max_retry_after))
                continue
            return status, headers, content
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        return float(min(self.backoff * (2**attempt), self.max_backoff))

    def _wait_turn(self, url: str) -> None:
        key = host_key(url)
        delay = max(self.delay, self._robots.crawl_delay.get(key, 0.0))
        last = self._last.get(key)
        if last is not None and delay > 0:
            wait = last + delay - time.monotonic()
            if wait > 0:
                self.sleep(wait)
        self._last[key] = time.monotonic()

    def _get_once(
        self, url: str, extra_headers: dict[str, str], max_bytes: int | None
    ) -> tuple[int, dict[str, str], bytes]:
        import httpx

        limit = self.max_bytes if max_bytes is None else max_bytes
        self._wait_turn(url)
        started = time.monotonic()
        max_time = self.max_time
        if self.deadline is not None:
            max_time = min(max_time, self.deadline - started)
            if max_time <= 0:
                raise FetchError(
                    f"{url}: not fetched: the run reached its time limit (update --max-time)",
                    "the next run goes on from here",
                )
        self.requests += 1
        timeout = httpx.Timeout(
            min(self.read_timeout, max_time), connect=min(self.connect_timeout, max_time)
        )
        with self._http().stream("GET", url, headers=extra_headers, timeout=timeout) as resp:
            headers = {k.lower(): v for k, v in resp.headers.items()}
            status = resp.status_code
            if status in REDIRECT_STATUSES or status == 304 or status >= 400:
                return status, headers, b""  # bodies of these are never needed
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit and "content-encoding" not in headers:
                raise too_large(url, limit, declared=int(declared))
            encoding = headers.pop("content-encoding", "")
            try:
                decoder = Decoder(encoding, limit)
            except ValueError:
                raise FetchError(
                    f"{url}: the server sent an unsupported compression {encoding!r}",
                    "the site ignored our Accept-Encoding; report it to the site",
                ) from None
            raw = 0
            try:
                for chunk in resp.iter_raw():  # each read from the socket, however small
                    raw += len(chunk)
                    if raw > limit:
                        raise BodyTooLarge
                    decoder.feed(chunk)
                    if time.monotonic() - started > max_time:
                        raise FetchError(
                            f"{url}: the download took longer than {max_time:g} s; stopped",
                            "the server is very slow; try again later",
                        )
                content = decoder.finish()
            except BodyTooLarge:
                raise too_large(url, limit, compressed=bool(encoding)) from None
            except zlib.error as exc:
                raise FetchError(
                    f"{url}: the {encoding} compressed body is damaged ({exc})",
                    "try again later; if it persists the site is broken",
                ) from None
            headers.pop("content-length", None)
            return status, headers, content


_default: Fetcher | None = None


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    client: Fetcher | None = None,
) -> Response:
    """Fetch one URL with a shared default `Fetcher` (or the one given).

    See `Fetcher.fetch`. `statements add URL` and `statements extract URL` use this
    (through `index.ingest.read_url`).
    """
    global _default
    if client is None:
        if _default is None:
            _default = Fetcher()
        client = _default
    return client.fetch(url, etag=etag, last_modified=last_modified)
