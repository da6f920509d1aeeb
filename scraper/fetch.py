"""Polite, bounded HTTP fetching: the only module that talks to the network.

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
what to do about it; callers report it per URL and carry on.
"""

from __future__ import annotations

import email.utils
import ipaddress
import os
import socket
import time
import urllib.robotparser
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from statements.scraper.errors import FetchError

if TYPE_CHECKING:
    import httpx

__all__ = [
    "USER_AGENT",
    "FetchError",
    "Fetcher",
    "HTTPStatusError",
    "Response",
    "TooLargeError",
    "fetch",
    "gunzip_capped",
]

# What a site operator reading the User-Agent learns about this crawler. The
# project has no public home page to point at, so the agent names itself and,
# when the user sets STATEMENTS_CONTACT (an e-mail or URL), how to reach them.
CONTACT = os.environ.get("STATEMENTS_CONTACT", "").strip()
ROBOTS_AGENT = "statements"  # the token robots.txt groups are matched against


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("statements")
    except Exception:  # not installed (running from a checkout)
        return "0.1.0"


USER_AGENT = f"statements/{_version()} (official-statements search tool" + (
    f"; +{CONTACT})" if CONTACT else ")"
)

MB = 1024 * 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
CHUNK = 64 * 1024
STEP = 1024 * 1024  # largest decompressed piece held at once beyond what was kept


class TooLargeError(FetchError):
    """The body (after decompression) is over the size cap."""


class HTTPStatusError(FetchError):
    """The server answered with an error status (404, 500 after retries, ...)."""

    def __init__(self, message: str, hint: str | None = None, *, url: str, status: int) -> None:
        super().__init__(message, hint)
        self.url = url
        self.status = status


@dataclass(frozen=True)
class Response:
    """A fetched page: decoded body plus what is needed for the next conditional GET.

    `status` is 304 (and `content` empty) when the caller's ETag or
    Last-Modified still matches. `url` is the final URL after redirects.
    `headers` has lower-case names; Content-Encoding is removed because
    `content` is already decompressed.
    """

    url: str
    status: int
    content: bytes
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    redirects: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _TooLarge(Exception):
    pass


class _Decoder:
    """Incremental Content-Encoding decoder whose output never exceeds a cap.

    `zlib`'s `max_length` bounds each step's output, so even a chunk that
    would inflate a thousandfold is expanded only up to the cap.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.parts: list[bytes] = []
        enc = encoding.strip().lower()
        if enc in ("", "identity"):
            self._z = None
        elif enc in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self._z = zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib stream (auto header)
        else:
            raise ValueError(enc)

    def feed(self, data: bytes) -> None:
        if self._z is None:
            self._add(data)
            return
        while data:
            room = min(self.limit - self.size + 1, STEP)
            out = self._z.decompress(data, room)
            self._add(out)
            data = self._z.unconsumed_tail
            if self._z.eof:
                break

    def finish(self) -> bytes:
        if self._z is not None:
            self._add(self._z.flush(self.limit - self.size + 1))
        return b"".join(self.parts)

    def _add(self, out: bytes) -> None:
        self.size += len(out)
        if self.size > self.limit:
            raise _TooLarge
        if out:
            self.parts.append(out)


def gunzip_capped(data: bytes, max_bytes: int, *, url: str = "") -> bytes:
    """Decompress a gzip file (a `sitemap.xml.gz`) without letting it exceed `max_bytes`."""
    dec = _Decoder("gzip", max_bytes)
    try:
        dec.feed(data)
        return dec.finish()
    except _TooLarge:
        raise TooLargeError(
            f"{url or 'gzip data'}: decompresses to more than {_size(max_bytes)} "
            "(possibly a decompression bomb); skipped",
            "raise the size cap (update --max-size) only if you trust this site",
        ) from None
    except zlib.error as exc:
        raise FetchError(f"{url or 'gzip data'}: damaged gzip data ({exc})") from None


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / 1024:.0f} KB"


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


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
        self.resolve = resolve or _resolve
        self.deadline: float | None = None  # time.monotonic() by which a run must end
        self._failures: dict[str, list[str]] = {}  # host -> problems (timeouts, refusals)
        self._addresses: dict[tuple[str, int], list[str]] = {}
        self.requests = 0  # HTTP requests sent (robots.txt and retries included)
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._robots_error: dict[str, tuple[str, str]] = {}  # host -> (problem, fix)
        self._last: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}  # robots.txt Crawl-delay per host
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

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
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
        current = _check_url(url)
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
            self._check_robots(current)
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
                    current = _check_url(target)
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
            raise _status_error(current, status)
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
        problems = self._failures.get(_host_key(url), [])
        if self.max_host_failures and len(problems) >= self.max_host_failures:
            raise FetchError(
                f"{url}: skipped: {_host_key(url)} failed {len(problems)} times in this "
                f"run ({problems[-1]})",
                "try again later",
            )

    def _host_failed(self, url: str, problem: str) -> None:
        self._failures.setdefault(_host_key(url), []).append(problem)

    # ---- robots.txt --------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        if not self.respect_robots:
            return
        key = _host_key(url)
        if key not in self._robots:
            self._load_robots(key)
        rp = self._robots[key]
        if rp is None:
            problem, fix = self._robots_error[key]
            raise FetchError(f"{url}: {problem}", fix)
        if not rp.can_fetch(ROBOTS_AGENT, url):
            raise FetchError(
                f"{url}: disallowed by {key}/robots.txt; not fetched",
                "the site asks crawlers to stay away from this page: use a page or feed "
                "it allows, or save the page yourself and `statements add` the file",
            )

    def _load_robots(self, key: str) -> None:
        robots_url = key + "/robots.txt"
        rp = urllib.robotparser.RobotFileParser(robots_url)
        try:
            status, _headers, content = self._get_with_retries(
                robots_url, {}, max_bytes=ROBOTS_MAX_BYTES, retries=1
            )
        except TooLargeError:  # RFC 9309 asks for at least 500 KiB; beyond: allow all
            rp.parse([])
            self._robots[key] = rp
            return
        except _Unreachable as exc:  # the host itself: say that, not "robots.txt"
            self._robots[key] = None
            self._robots_error[key] = (exc.problem, exc.fix)
            return
        except FetchError as exc:
            self._robots[key] = None
            self._robots_error[key] = (
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
                self._host_delay[key] = min(float(crawl), self.max_crawl_delay)
        else:
            self._robots[key] = None
            self._robots_error[key] = (
                f"robots.txt answered HTTP {status}; by the robots.txt rules nothing on "
                "this host may be fetched for now",
                "try again later",
            )
            return
        self._robots[key] = rp

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
                error = _network_error(url, exc)
                if isinstance(exc, (httpx.TimeoutException, httpx.ConnectError)):
                    self._host_failed(url, error.problem)  # type: ignore[attr-defined]
                    self._check_host(url)  # over the budget: no more tries on this host
                if last:
                    raise error from None
                self.sleep(self._backoff(attempt))
                continue
            except UnicodeError as exc:  # IDNA: a host name with empty or bad labels
                raise _Unreachable(
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
        key = _host_key(url)
        delay = max(self.delay, self._host_delay.get(key, 0.0))
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
                raise _too_large(url, limit, declared=int(declared))
            encoding = headers.pop("content-encoding", "")
            try:
                decoder = _Decoder(encoding, limit)
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
                        raise _TooLarge
                    decoder.feed(chunk)
                    if time.monotonic() - started > max_time:
                        raise FetchError(
                            f"{url}: the download took longer than {max_time:g} s; stopped",
                            "the server is very slow; try again later",
                        )
                content = decoder.finish()
            except _TooLarge:
                raise _too_large(url, limit, compressed=bool(encoding)) from None
            except zlib.error as exc:
                raise FetchError(
                    f"{url}: the {encoding} compressed body is damaged ({exc})",
                    "try again later; if it persists the site is broken",
                ) from None
            headers.pop("content-length", None)
            return status, headers, content


def _resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to (an address itself for an IP literal)."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def address_kind(address: str) -> str:
    """public, loopback, private, link-local or reserved (0.0.0.0 counts as loopback:
    connecting to it reaches this machine)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback or ip.is_unspecified:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_global:
        return "public"
    if ip.is_private:
        return "private"
    return "reserved"


def _check_url(url: str) -> str:
    """The URL without its fragment, or a FetchError saying what is wrong with it."""
    import httpx

    url = url.strip()
    shown = repr(url) if len(url) <= 200 else repr(url[:200] + "...")
    fix = "give a full address such as https://www.example.org/news/statement"
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https"):
        raise FetchError(f"{shown} is not an http(s) URL", fix)
    if any(ord(ch) <= 32 or ord(ch) == 127 for ch in url):
        raise FetchError(f"{shown} contains spaces or control characters", fix)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError as exc:
        raise FetchError(f"{shown} is not a valid URL ({exc})", fix) from None
    if not parts.hostname:
        raise FetchError(f"{shown} has no host name", fix)
    url = url.split("#", 1)[0]
    try:
        httpx.URL(url).raw_host  # noqa: B018  (IDNA-encodes the host: bad labels raise)
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise FetchError(f"{shown} is not a valid URL ({exc})", fix) from None
    return url


def _too_large(
    url: str, limit: int, *, declared: int | None = None, compressed: bool = False
) -> TooLargeError:
    if declared:
        problem = f"the response declares {_size(declared)}, over the {_size(limit)} size cap"
    elif not compressed:
        problem = f"the response is over the {_size(limit)} size cap"
    else:
        problem = (
            f"the response is over the {_size(limit)} size cap once decompressed "
            "(possibly a decompression bomb)"
        )
    return TooLargeError(
        f"{url}: {problem}; skipped",
        "raise the size cap (update --max-size) only if you trust this site",
    )


_STATUS_FIX = {
    401: "the page needs a login; save it from your browser and `statements add` the file",
    403: "the site refuses the crawler; save the page from your browser and add the file",
    404: "no page at this address: check it, or remove it from the source",
    410: "the page was removed by the site; remove it from the source",
    429: "the site says we ask too often; try again later",
}


def _status_error(url: str, status: int) -> HTTPStatusError:
    import http

    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "error"
    if status >= 500:
        fix = "the server failed (after retries); try again later"
    else:
        fix = _STATUS_FIX.get(status, "check the address in a browser")
    return HTTPStatusError(f"{url}: HTTP {status} {phrase}", fix, url=url, status=status)


class _Unreachable(FetchError):
    """A network failure: the host could not be reached or stopped answering."""

    def __init__(self, url: str, problem: str, fix: str) -> None:
        super().__init__(f"{url}: {problem}", fix)
        self.problem = problem
        self.fix = fix


def _network_error(url: str, exc: Any) -> FetchError:
    import httpx

    if isinstance(exc, httpx.ConnectTimeout):
        problem, fix = "connecting timed out", "check your connection or try again later"
    elif isinstance(exc, httpx.TimeoutException):
        problem, fix = "the server stopped answering (read timed out)", "try again later"
    elif isinstance(exc, httpx.ConnectError):
        problem = f"could not connect ({exc or 'connection refused'})"
        fix = "check the address and your network connection"
    else:
        problem, fix = f"network error ({type(exc).__name__}: {exc})", "try again later"
    return _Unreachable(url, problem, fix)


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
