"""What a fetch gives back, and the errors it ends in.

A `Response` is a fetched page with what the next conditional GET needs. Every
failure is a `FetchError` whose message names the URL, the problem and what to
do about it: an error status (`HTTPStatusError`), a body over the size cap
(`TooLargeError`) or a host that could not be reached (`Unreachable`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from statements.scraper.errors import FetchError

if TYPE_CHECKING:
    import httpx

MB = 1024 * 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


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


class Unreachable(FetchError):
    """A network failure: the host could not be reached or stopped answering."""

    def __init__(self, url: str, problem: str, fix: str) -> None:
        super().__init__(f"{url}: {problem}", fix)
        self.problem = problem
        self.fix = fix


def size_text(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / 1024:.0f} KB"


def too_large(
    url: str, limit: int, *, declared: int | None = None, compressed: bool = False
) -> TooLargeError:
    if declared:
        declared_size, cap = size_text(declared), size_text(limit)
        problem = f"the response declares {declared_size}, over the {cap} size cap"
    elif not compressed:
        problem = f"the response is over the {size_text(limit)} size cap"
    else:
        problem = (
            f"the response is over the {size_text(limit)} size cap once decompressed "
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


def status_error(url: str, status: int) -> HTTPStatusError:
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


def network_error(url: str, exc: httpx.TransportError) -> Unreachable:
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
    return Unreachable(url, problem, fix)
