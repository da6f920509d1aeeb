"""Fetch limits that hold against slow, hanging and hostile servers (all on 127.0.0.1).

- a deadline per response, checked on every read: a server dripping 8 bytes a
  second is stopped at the deadline, not after 64 KiB;
- a failure budget per host: a port that accepts and never answers costs
  `max_host_failures` timeouts in a run, and later links to it are skipped at once;
- a deadline per run (`update --max-time`);
- no request to a loopback, private or link-local address unless the source is
  on one. "A non-local source" is simulated honestly: its host name resolves (by
  the resolver the Fetcher is given, as DNS would) to a public address, and its
  pages reach us through an HTTP proxy on 127.0.0.1, so no packet leaves this
  machine; the redirect to `http://127.0.0.1:PORT/admin` is then refused before
  any request is made (the admin server logs none).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from reliability_helpers import run_child
from site_server import serve

from statements.scraper.errors import FetchError
from statements.scraper.network.addresses import address_kind
from statements.scraper.network.fetch import Fetcher


@contextmanager
def raw_server(behaviour: str) -> Iterator[tuple[str, list[float]]]:
    """A TCP server on 127.0.0.1: "drip" answers headers, then 8 bytes a second of
    body for ever; "hang" accepts and never answers. Yields (base URL, accept times)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.2)
    stop = threading.Event()
    accepted: list[float] = []
    held: list[socket.socket] = []

    def serve_one(conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            if behaviour == "drip":
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
                )
                while not stop.is_set():
                    conn.sendall(b"<p>drip</p>"[:8])
                    time.sleep(1)
            else:
                stop.wait()
        except OSError:
            pass
        finally:
            conn.close()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(time.monotonic())
            held.append(conn)
            threading.Thread(target=serve_one, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", accepted
    finally:
        stop.set()
        sock.close()
        thread.join(timeout=5)


def fetcher(**opts: object) -> Fetcher:
    base = {"delay": 0, "retries": 3, "respect_robots": False, "sleep": lambda _s: None}
    return Fetcher(**{**base, **opts}, trust_env=False)  # type: ignore[arg-type]


def test_a_dripping_server_is_stopped_at_the_deadline() -> None:
    with raw_server("drip") as (base, _accepted), fetcher(max_time=2.0, read_timeout=30) as f:
        began = time.monotonic()
        with pytest.raises(FetchError) as info:
            f.fetch(base + "/slow")
        took = time.monotonic() - began
    assert "took longer than 2 s" in str(info.value)
    assert took < 4.0, took  # one second of drip past the deadline at most


def test_a_hanging_host_costs_its_failure_budget_then_is_skipped() -> None:
    with raw_server("hang") as (base, accepted), fetcher(read_timeout=0.5) as f:
        began = time.monotonic()
        with pytest.raises(FetchError) as first:
            f.fetch(base + "/a")
        with pytest.raises(FetchError) as second:
            f.fetch(base + "/b")
        took = time.monotonic() - began
    assert len(accepted) == 2  # 2 timeouts (the budget), not 4 tries, then nothing
    assert "failed 2 times in this run" in str(second.value)
    assert "skipped" in str(first.value) or "timed out" in str(first.value)
    assert took < 5.0, took


def test_a_run_deadline_bounds_a_hanging_request() -> None:
    with raw_server("hang") as (base, _accepted), fetcher(read_timeout=30, retries=0) as f:
        f.deadline = time.monotonic() + 1.0
        began = time.monotonic()
        with pytest.raises(FetchError):
            f.fetch(base + "/a")
        assert time.monotonic() - began < 3.0
        with pytest.raises(FetchError) as info:  # past the deadline: not even tried
            f.fetch(base + "/b")
    assert "time limit" in str(info.value)


def test_update_max_time_ends_the_run_and_defers_the_rest(tmp_path: Path) -> None:
    page = (Path(__file__).parent / "fetch_site" / "kremlin_news_42376.html").read_bytes()
    home = tmp_path / "home"
    with serve() as site:
        for n in range(6):
            site.page(f"/slow/{n}", page.replace(b"42376", f"4237{n}".encode()), delay=1.0)
        items = "".join(
            f"<item><title>{n}</title><link>{site.url(f'/slow/{n}')}</link></item>"
            for n in range(6)
        )
        site.page(
            "/feed.xml",
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}'
            "</channel></rss>",
            content_type="application/rss+xml",
        )
        assert (
            run_child("sources", "add", site.url("/feed.xml"), "--home", str(home)).returncode == 0
        )
        began = time.monotonic()
        done = run_child(
            "update",
            "--delay",
            "0",
            "--retries",
            "0",
            "--max-time",
            "2.5",
            "--format",
            "json",
            "--home",
            str(home),
        )
        took = time.monotonic() - began
    import json

    report = json.loads(done.stdout)
    assert report["totals"]["deferred"] >= 2, done.stderr
    assert "links left for the next run (the run reached its time limit" in done.stderr
    assert took < 2.5 + 6, took  # start-up and indexing of what was fetched included


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.5.6.7", "loopback"),
        ("::1", "loopback"),
        ("0.0.0.0", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("172.16.5.4", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("93.184.216.34", "public"),
        ("2606:4700::1111", "public"),
    ],
)
def test_address_kinds(address: str, kind: str) -> None:
    assert address_kind(address) == kind


PUBLIC = "93.184.216.34"  # what the test's resolver says news.example is (never contacted)


@contextmanager
def proxy(routes: dict[str, tuple[int, dict[str, str], bytes]]) -> Iterator[tuple[str, list[str]]]:
    """An HTTP proxy on 127.0.0.1 that answers for http://news.example/ itself."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def do_GET(self) -> None:
            asked.append(self.path)
            parts = urlsplit(self.path)
            status, headers, body = routes.get(parts.path, (404, {}, b"not here"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


def resolver(host: str, port: int) -> list[str]:
    if host == "news.example":
        return [PUBLIC]
    from statements.scraper.network.addresses import resolve_host

    return resolve_host(host, port)


def test_a_public_source_cannot_lead_the_fetcher_to_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A feed on a public host lists an item that redirects to an admin page on
    127.0.0.1: `update` refuses that hop before any request and indexes nothing from
    it; an item on the public host itself is indexed (so the path through the proxy
    works). The same admin page is fetched when the source itself is local."""
    from statements.index.update import update

    page = (Path(__file__).parent / "fetch_site" / "kremlin_news_42376.html").read_bytes()
    with serve() as site:
        site.page("/admin", page)
        admin = site.url("/admin")
        feed = (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            b"<item><title>a</title><link>http://news.example/item</link></item>"
            b"<item><title>b</title><link>http://news.example/ok</link></item>"
            b"</channel></rss>"
        )
        routes = {
            "/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed),
            "/item": (302, {"Location": admin}, b""),
            "/ok": (200, {"Content-Type": "text/html"}, page.replace(b"42376", b"42399")),
        }
        with proxy(routes) as (proxy_url, asked):
            monkeypatch.setenv("HTTP_PROXY", proxy_url)
            monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
            for name in ("http_proxy", "no_proxy", "ALL_PROXY", "all_proxy"):
                monkeypatch.delenv(name, raising=False)
            home = tmp_path / "home"
            from statements.index.sources import SourceRegistry

            SourceRegistry(home).add("http://news.example/feed.xml", "news")
            with Fetcher(delay=0, retries=0, resolve=resolver) as f:
                report = update(home, fetcher=f)
        assert site.hits("/admin") == 0  # refused before any request
        assert "http://news.example/item" in asked  # the hop that redirected
        summary = report.sources[0]
        assert summary.new == 1 and summary.failed == 1, summary
        ((url, message),) = summary.errors
        assert url == "http://news.example/item"
        assert f"{admin} (redirected from http://news.example/item)" in message
        assert "is a loopback address (127.0.0.1); not fetched" in message
        # a source on this machine may link to this machine
        with Fetcher(delay=0, retries=0) as f:
            assert f.fetch(admin, source=site.url("/feed.xml")).status == 200
            with pytest.raises(FetchError):
                f.fetch(admin, source="http://news.example/feed.xml")
    assert site.hits("/admin") == 1


def test_update_lines_carry_no_c1_controls_or_bidi_overrides(tmp_path: Path) -> None:
    """A feed's links with U+009B (C1 CSI) and U+202E (right-to-left override) reach
    `update`'s progress and error lines stripped; its JSON escapes them."""
    import json

    home = tmp_path / "home"
    with serve() as site:
        evil = "/x\u009b31m\u202etxt.exe"
        items = f"<item><title>t</title><link>{site.url(evil)}</link></item>"
        site.page(
            "/feed.xml",
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}'
            "</channel></rss>",
            content_type="application/rss+xml",
        )
        assert (
            run_child("sources", "add", site.url("/feed.xml"), "--home", str(home)).returncode == 0
        )
        done = run_child(
            "update", "--delay", "0", "--retries", "0", "--format", "json", "--home", str(home)
        )
    assert done.returncode == 1  # the link fails (404)
    assert "failed" in done.stderr
    for ch in ("\u009b", "\u202e", "\x1b"):
        assert ch not in done.stderr and ch not in done.stdout
    assert "\\u009b" in done.stdout or "%C2%9B" in done.stdout
    json.loads(done.stdout)
