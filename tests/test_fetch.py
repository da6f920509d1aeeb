"""scraper.network.fetch against a real HTTP server on 127.0.0.1 (tests/site_server.py).

Limits are made tiny through `Fetcher` parameters (zero per-host delay, short
timeouts, a recording `sleep`) so the suite stays fast; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import email.utils
import gzip
import re
import socket
import time
import zlib
from pathlib import Path

import pytest
from site_server import Route, no_proxies, recorder, serve

from statements.scraper.errors import FetchError
from statements.scraper.network.fetch import USER_AGENT, Fetcher, fetch
from statements.scraper.network.inflate import gunzip_capped
from statements.scraper.network.response import HTTPStatusError, TooLargeError

PAGES = Path(__file__).parent / "fetch_site"
PAGE = (PAGES / "kremlin_news_42376.html").read_bytes()


@pytest.fixture(autouse=True)
def _local_only(monkeypatch: pytest.MonkeyPatch) -> None:
    no_proxies(monkeypatch)


def make_fetcher(**kw: object) -> Fetcher:
    opts: dict[str, object] = {
        "delay": 0.0,
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "retries": 0,
        "backoff": 0.0,
    }
    opts.update(kw)
    return Fetcher(**opts)  # type: ignore[arg-type]


def gzip_bomb(size: int) -> bytes:
    """`size` zero bytes gzip-compressed (about 1000:1), built without holding `size` bytes."""
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = [z.compress(block) for _ in range(size // len(block))]
    parts.append(z.flush())
    return b"".join(parts)


def test_fetches_a_real_page_with_identifying_user_agent() -> None:
    with serve() as site, make_fetcher() as f:
        url = site.page("/events/president/news/42376", PAGE, etag=True)
        resp = f.fetch(url)
        assert resp.status == 200
        assert resp.content == PAGE
        assert resp.url == url
        assert resp.content_type == "text/html; charset=utf-8"
        assert resp.etag and resp.etag.startswith('"')
        assert b"Ariel Sharon" in resp.content
        ua = site.log[-1].headers["user-agent"]
        assert ua == USER_AGENT
        assert ua.startswith("statements/") and "search tool" in ua


def test_conditional_get_returns_304_with_etag_and_last_modified() -> None:
    lm = "Tue, 05 Feb 2002 10:00:00 GMT"
    with serve() as site, make_fetcher() as f:
        a = site.page("/a", PAGE, etag=True)
        b = site.page("/b", PAGE, last_modified=lm)
        first = f.fetch(a)
        again = f.fetch(a, etag=first.etag)
        assert again.status == 304 and again.not_modified
        assert again.content == b""
        assert again.etag == first.etag
        assert site.log[-1].headers["if-none-match"] == first.etag
        first_b = f.fetch(b)
        assert first_b.last_modified == lm
        again_b = f.fetch(b, last_modified=first_b.last_modified)
        assert again_b.status == 304 and again_b.last_modified == lm
        # a changed page is a 200 again with a new ETag
        site.page("/a", PAGE + b"<p>correction</p>", etag=True)
        changed = f.fetch(a, etag=first.etag)
        assert changed.status == 200 and changed.etag != first.etag


def test_gzip_content_encoding_is_decoded() -> None:
    with serve() as site, make_fetcher() as f:
        url = site.page("/gz", PAGE, gzip=True)
        resp = f.fetch(url)
        assert resp.content == PAGE
        assert "content-encoding" not in resp.headers
        assert "gzip" in site.log[-1].headers["accept-encoding"]


@pytest.mark.parametrize(
    ("status", "fix"), [(404, "no page at this address"), (410, "removed"), (403, "refuses")]
)
def test_client_errors_name_url_status_and_fix(status: int, fix: str) -> None:
    with serve() as site, make_fetcher(retries=2) as f:
        url = site.page("/gone", b"no", status=status)
        with pytest.raises(HTTPStatusError) as err:
            f.fetch(url)
        assert err.value.status == status
        assert err.value.url == url
        assert url in str(err.value) and f"HTTP {status}" in str(err.value)
        assert fix in str(err.value)
        assert site.hits("/gone") == 1  # 4xx other than 429 is not retried


def test_server_error_is_retried_with_backoff_then_reported() -> None:
    waits, sleep = recorder()
    with serve() as site, make_fetcher(retries=2, backoff=0.5, sleep=sleep) as f:
        url = site.page("/boom", b"oops", status=500)
        with pytest.raises(HTTPStatusError, match=r"HTTP 500 Internal Server Error") as err:
            f.fetch(url)
        assert "try again later" in str(err.value)
        assert site.hits("/boom") == 3
        assert waits == [0.5, 1.0]


def test_server_error_then_success_recovers() -> None:
    _waits, sleep = recorder()
    with serve() as site, make_fetcher(retries=3, backoff=0.01, sleep=sleep) as f:
        site.routes["/flaky"] = Route(status=503, then=[Route(body=PAGE)])
        assert f.fetch(site.url("/flaky")).content == PAGE
        assert site.hits("/flaky") == 2


def test_retry_after_on_429_is_honoured_and_capped() -> None:
    waits, sleep = recorder()
    with serve() as site, make_fetcher(retries=2, backoff=0.01, sleep=sleep) as f:
        site.routes["/busy"] = Route(
            status=429, headers={"Retry-After": "3"}, then=[Route(body=PAGE)]
        )
        assert f.fetch(site.url("/busy")).content == PAGE
        assert waits == [3.0]
    waits, sleep = recorder()
    with serve() as site, make_fetcher(retries=2, max_retry_after=0.5, sleep=sleep) as f:
        site.routes["/busy"] = Route(
            status=429, headers={"Retry-After": "86400"}, then=[Route(body=PAGE)]
        )
        assert f.fetch(site.url("/busy")).content == PAGE
        assert waits == [0.5]  # a server cannot park the crawler for a day


def test_retry_after_as_http_date() -> None:
    waits, sleep = recorder()
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    with serve() as site, make_fetcher(retries=1, sleep=sleep) as f:
        site.routes["/busy"] = Route(
            status=503, headers={"Retry-After": when}, then=[Route(body=PAGE)]
        )
        assert f.fetch(site.url("/busy")).status == 200
        assert len(waits) == 1 and 20 < waits[0] <= 31


def test_429_that_persists_is_reported() -> None:
    with serve() as site, make_fetcher(retries=1, sleep=lambda s: None) as f:
        url = site.page("/busy", b"", status=429, headers={"Retry-After": "1"})
        with pytest.raises(HTTPStatusError, match="HTTP 429") as err:
            f.fetch(url)
        assert "too often" in str(err.value)


def test_read_timeout_is_reported() -> None:
    with serve() as site, make_fetcher(read_timeout=0.2) as f:
        url = site.page("/slow", PAGE, delay=1.0)
        with pytest.raises(FetchError, match="timed out") as err:
            f.fetch(url)
        assert url in str(err.value)


def test_connection_refused_is_reported() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens here now
    with make_fetcher(respect_robots=False) as f, pytest.raises(FetchError, match="connect"):
        f.fetch(f"http://127.0.0.1:{port}/x")


def test_oversize_body_is_refused_by_declared_length_and_while_streaming() -> None:
    big = PAGE * 10
    with serve() as site, make_fetcher(max_bytes=len(PAGE)) as f:
        declared = site.page("/big", big)
        streamed = site.page("/big-chunked", big, chunked=True)
        with pytest.raises(TooLargeError, match="over the 24 KB size cap") as err:
            f.fetch(declared)
        assert "declares" in str(err.value)
        with pytest.raises(TooLargeError, match="over the 24 KB size cap") as err2:
            f.fetch(streamed)
        assert streamed in str(err2.value)
        assert f.fetch(site.page("/ok", PAGE)).content == PAGE  # exactly the cap is fine


def test_gzip_bomb_is_cut_at_the_size_cap() -> None:
    bomb = gzip_bomb(64 * 1024 * 1024)  # 64 MB of zeros in about 64 KB
    assert len(bomb) < 200_000
    with serve() as site, make_fetcher(max_bytes=1024 * 1024) as f:
        url = site.page("/bomb", bomb, raw_gzip=True)
        with pytest.raises(TooLargeError, match="decompression bomb") as err:
            f.fetch(url)
        assert url in str(err.value)


def test_gunzip_capped_for_sitemap_files() -> None:
    assert gunzip_capped(gzip.compress(PAGE), len(PAGE)) == PAGE
    with pytest.raises(TooLargeError):
        gunzip_capped(gzip_bomb(8 * 1024 * 1024), 1024 * 1024)
    with pytest.raises(FetchError, match="damaged"):
        gunzip_capped(b"\x1f\x8b not really gzip", 1024)


def test_redirects_are_followed_and_recorded() -> None:
    with serve() as site, make_fetcher() as f:
        site.page("/old", b"", status=301, headers={"Location": "/mid"})
        site.page("/mid", b"", status=302, headers={"Location": site.url("/new")})
        final = site.page("/new", PAGE, etag=True)
        resp = f.fetch(site.url("/old"))
        assert resp.url == final
        assert resp.redirects == (site.url("/old"), site.url("/mid"))
        assert resp.content == PAGE


def test_redirect_loop_is_detected() -> None:
    with serve() as site, make_fetcher(max_redirects=10) as f:
        site.page("/loop-a", b"", status=302, headers={"Location": "/loop-b"})
        site.page("/loop-b", b"", status=302, headers={"Location": "/loop-a"})
        with pytest.raises(FetchError, match="redirect loop") as err:
            f.fetch(site.url("/loop-a"))
        assert "/loop-a -> " in str(err.value) and "/loop-b" in str(err.value)
        assert site.hits("/loop-a") == 1 and site.hits("/loop-b") == 1


def test_too_many_redirects() -> None:
    with serve() as site, make_fetcher(max_redirects=3) as f:
        for i in range(10):
            site.page(f"/r{i}", b"", status=302, headers={"Location": f"/r{i + 1}"})
        with pytest.raises(FetchError, match="more than 3 redirects"):
            f.fetch(site.url("/r0"))
        assert site.hits("/r4") == 0


def test_robots_disallow_is_respected_and_cached() -> None:
    robots = b"User-agent: *\nDisallow: /private/\n\nUser-agent: statements\nDisallow: /mine/\n"
    with serve() as site, make_fetcher() as f:
        site.page("/robots.txt", robots, content_type="text/plain")
        site.page("/private/page", PAGE)
        site.page("/mine/page", PAGE)
        ok = site.page("/public/page", PAGE)
        assert f.fetch(ok).status == 200
        with pytest.raises(FetchError, match=r"disallowed by .*/robots\.txt") as err:
            f.fetch(site.url("/mine/page"))
        assert site.url("/mine/page") in str(err.value)
        assert site.hits("/mine/page") == 0
        # the group for our own token wins over '*': /private/ is allowed to us
        assert f.fetch(site.url("/private/page")).status == 200
        assert site.hits("/robots.txt") == 1


def test_robots_checked_on_every_redirect_hop() -> None:
    with serve() as site, make_fetcher() as f:
        site.page("/robots.txt", b"User-agent: *\nDisallow: /secret\n", content_type="text/plain")
        site.page("/go", b"", status=302, headers={"Location": "/secret"})
        site.page("/secret", PAGE)
        with pytest.raises(FetchError, match="disallowed"):
            f.fetch(site.url("/go"))
        assert site.hits("/secret") == 0


def test_missing_robots_allows_and_failing_robots_disallows() -> None:
    with serve() as site, make_fetcher() as f:
        url = site.page("/page", PAGE)
        assert f.fetch(url).status == 200  # /robots.txt is a 404 here
        assert site.hits("/robots.txt", status=404) == 1
    with serve() as site, make_fetcher() as f:
        url = site.page("/page", PAGE)
        site.page("/robots.txt", b"", status=503)
        with pytest.raises(FetchError, match=r"robots.txt answered HTTP 503.*try again later"):
            f.fetch(url)
        assert site.hits("/page") == 0


def test_per_host_delay_is_waited_between_requests() -> None:
    waits, sleep = recorder()
    with serve() as site, make_fetcher(delay=5.0, sleep=sleep, respect_robots=False) as f:
        url = site.page("/p", PAGE)
        f.fetch(url)
        assert waits == []
        f.fetch(url)
        assert len(waits) == 1 and 0 < waits[0] <= 5.0


def test_crawl_delay_from_robots_is_used() -> None:
    waits, sleep = recorder()
    with serve() as site, make_fetcher(sleep=sleep, max_crawl_delay=7.0) as f:
        site.page("/robots.txt", b"User-agent: *\nCrawl-delay: 60\n", content_type="text/plain")
        url = site.page("/p", PAGE)
        f.fetch(url)
        f.fetch(url)
        assert waits and 0 < max(waits) <= 7.0  # delay 0 given: the wait is the capped Crawl-delay


@pytest.mark.parametrize("bad", ["ftp://example.org/x", "not a url", "file:///etc/passwd", ""])
def test_non_http_urls_are_refused(bad: str) -> None:
    with pytest.raises(FetchError, match="not an http"):
        fetch(bad, client=make_fetcher())


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        ("http://127.0.0.1:99999/", "Port out of range"),
        ("http://[::1/", "Invalid IPv6 URL"),
        ("http://127.0.0.1/a page", "spaces or control characters"),
        ("http://\x1b[31m.example.org/", "spaces or control characters"),
        ("http://a..b/x", "host name is not valid"),
    ],
)
def test_malformed_urls_are_one_clear_error(bad: str, problem: str) -> None:
    with pytest.raises(FetchError, match=re.escape(problem)) as err:
        fetch(bad, client=make_fetcher())
    assert "\x1b" not in str(err.value)  # never a raw escape sequence in a message


def test_module_fetch_uses_given_client() -> None:
    with serve() as site, make_fetcher() as f:
        url = site.page("/x", PAGE, etag=True)
        first = fetch(url, client=f)
        assert fetch(url, etag=first.etag, client=f).status == 304
        assert f.requests == 3  # robots.txt + two GETs
