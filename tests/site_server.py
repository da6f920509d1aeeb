"""A real HTTP server on 127.0.0.1 for fetch, discover and update tests.

Each test builds a small site: paths mapped to `Route`s (a body plus status,
headers, an ETag, a delay, gzip, a sequence of answers for retries). The
server honours If-None-Match / If-Modified-Since like a real one and logs every
request, so tests can check what was (and was not) asked for. Nothing here
leaves 127.0.0.1.
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Route:
    """What the server answers for one path.

    `etag=True` derives a strong ETag from the body (so changing the body
    changes it); `then` gives later answers for repeated requests (e.g. a 429
    first, then the page). `raw_gzip` sends `body` as already-compressed bytes
    with Content-Encoding: gzip (for bombs).
    """

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool | str = False
    last_modified: str | None = None
    gzip: bool = False
    raw_gzip: bool = False
    delay: float = 0.0
    chunked: bool = False
    then: list[Route] = field(default_factory=list)


@dataclass
class Hit:
    method: str
    path: str
    headers: dict[str, str]
    status: int


class Site:
    """The routes and request log of one test server."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Hit] = []
        self.base = ""
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, body: bytes | str, **kw: object) -> str:
        """Add (or replace) a page and return its full URL."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body=body, **kw)  # type: ignore[arg-type]
        return self.url(path)

    def hits(self, path: str, status: int | None = None) -> int:
        """How many requests for `path` were answered (with `status`, if given)."""
        return sum(1 for h in self.log if h.path == path and (status is None or h.status == status))

    def _next(self, path: str) -> Route | None:
        with self._lock:
            route = self.routes.get(path)
            if route is None:
                return None
            n = self._served.get(path, 0)
            self._served[path] = n + 1
            seq = [route, *route.then]
            return seq[min(n, len(seq) - 1)]


def _make_handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # headers and body go out in two writes: without this, Nagle's algorithm
            # and delayed ACKs add 40 ms to every response
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            route = site._next(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            if route is None:
                route = Route(body=b"not found", status=404, content_type="text/plain")
            if route.delay:
                time.sleep(route.delay)
            status = route.status
            out_headers = dict(route.headers)
            etag = route.etag
            if etag is True:
                etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
            if etag:
                out_headers["ETag"] = str(etag)
            if route.last_modified:
                out_headers["Last-Modified"] = route.last_modified
            body = route.body
            if status == 200 and (
                (etag and headers.get("if-none-match") == etag)
                or (
                    not etag
                    and route.last_modified
                    and headers.get("if-modified-since") == route.last_modified
                )
            ):
                status, body = 304, b""
            if route.gzip and body:
                body = gzip.compress(body)
                out_headers["Content-Encoding"] = "gzip"
            if route.raw_gzip:
                out_headers["Content-Encoding"] = "gzip"
            site.log.append(Hit("GET", self.path, headers, status))
            try:
                self.send_response(status)
                if status != 304:
                    out_headers.setdefault("Content-Type", route.content_type)
                for k, v in out_headers.items():
                    self.send_header(k, v)
                if route.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for i in range(0, len(body), 65536):
                        part = body[i : i + 65536]
                        self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                else:
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (size cap, timeout): expected in these tests

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # aborted connections are part of the tests, not server failures


@contextmanager
def serve(site: Site | None = None) -> Iterator[Site]:
    """Run `site` on 127.0.0.1 (a free port) for the duration of the block."""
    site = site or Site()
    server = _Server(("127.0.0.1", 0), _make_handler(site))
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


def no_proxies(monkeypatch: Any) -> None:
    """Keep a user's proxy settings from routing test requests for 127.0.0.1 elsewhere."""
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


def recorder() -> tuple[list[float], Callable[[float], None]]:
    """A `sleep` for `Fetcher` that records each requested wait and sleeps at most 10 ms."""
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(min(seconds, 0.01))

    return waits, sleep
