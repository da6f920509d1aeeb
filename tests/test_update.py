"""`statements sources` and `statements update` end to end: real CLI, real index, real server.

A site on 127.0.0.1 serves five real en.kremlin.ru pages (tests/fetch_site,
see its SOURCES.md) plus feeds, sitemaps and a listing page generated here.
Every run uses `--delay 0`, short timeouts and no retries so the tests stay
fast; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest
from conftest import run
from site_server import Site, no_proxies, serve

from statements.index.library import Library
from statements.index.sources import STATE_FILE, SourceRegistry
from statements.index.update import update
from statements.scraper.network.fetch import Fetcher

PAGES = Path(__file__).parent / "fetch_site"
IDS = ["42376", "56928", "29039", "53035", "34106"]
FAST = ["--delay", "0", "--timeout", "0.5", "--retries", "0"]


@pytest.fixture(autouse=True)
def _local_only(monkeypatch: pytest.MonkeyPatch) -> None:
    no_proxies(monkeypatch)


def page_bytes(pid: str) -> bytes:
    return (PAGES / f"kremlin_news_{pid}.html").read_bytes()


def news(pid: str) -> str:
    return f"/events/president/news/{pid}"


def rss(site: Site, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>item {p}</title><link>{site.url(p)}</link></item>" for p in paths
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>President of Russia</title><link>{site.base}</link>{items}</channel></rss>"
    ).encode()


def publish(site: Site, ids: list[str]) -> None:
    for pid in ids:
        site.page(news(pid), page_bytes(pid), etag=True)


def set_feed(site: Site, paths: list[str]) -> str:
    return site.page("/feed.xml", rss(site, paths), content_type="application/rss+xml", etag=True)


def cli(home: Path, *args: str) -> tuple[int, dict, str]:
    result = run(*args, "--home", str(home))
    data = json.loads(result.stdout) if "--format" in args and result.stdout.strip() else {}
    return result.exit_code, data, result.stderr


def run_update(home: Path, *extra: str) -> tuple[int, dict, str]:
    return cli(home, "update", *extra, *FAST, "--format", "json")


def source_summary(data: dict, name: str) -> dict:
    return next(s for s in data["sources"] if s["name"] == name)


def documents(home: Path) -> int:
    with Library(home) as lib:
        return int(lib.stats()["documents"])


@pytest.fixture
def site():
    with serve() as s:
        s.page("/robots.txt", b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        yield s


def test_first_update_indexes_second_fetches_nothing_new(site: Site, tmp_path: Path) -> None:
    publish(site, IDS[:4])
    feed = set_feed(site, [news(p) for p in IDS[:4]])
    code, _, err = cli(tmp_path, "sources", "add", feed, "--name", "kremlin")
    assert code == 0 and "Following 'kremlin'" in err

    code, data, err = run_update(tmp_path)
    assert code == 0, err
    s = source_summary(data, "kremlin")
    assert (s["new"], s["changed"], s["unchanged"], s["failed"]) == (4, 0, 0, 0)
    assert documents(tmp_path) == 4
    assert "kremlin: 4 new, 0 changed, 0 unchanged, 0 failed" in err
    with Library(tmp_path) as lib:
        assert lib.get(f"u{_id(site.url(news('42376')))}").title.startswith(
            "President Vladimir Putin spoke by telephone"
        )

    downloads = sum(site.hits(news(p), 200) for p in IDS[:4])
    code, data, _ = run_update(tmp_path)
    assert code == 0
    s = source_summary(data, "kremlin")
    assert (s["new"], s["changed"], s["unchanged"], s["failed"]) == (0, 0, 4, 0)
    assert s["not_modified"] == 4 and s["downloaded"] == 0
    assert sum(site.hits(news(p), 200) for p in IDS[:4]) == downloads  # nothing downloaded
    assert site.hits("/feed.xml", 304) == 1
    assert documents(tmp_path) == 4


def _id(url: str) -> str:
    from statements.scraper.record import make_id

    return make_id(url)[1:]


def test_changed_page_is_reindexed_exactly_once_and_new_item_is_picked_up(
    site: Site, tmp_path: Path
) -> None:
    publish(site, IDS)
    feed = set_feed(site, [news(p) for p in IDS[:3]])
    cli(tmp_path, "sources", "add", feed, "--name", "kremlin")
    assert run_update(tmp_path)[0] == 0
    assert documents(tmp_path) == 3

    body = page_bytes("42376").replace(
        b'itemprop="articleBody"> <p>',
        b'itemprop="articleBody"> <p>Correction issued on the next day. </p><p>',
    )
    site.page(news("42376"), body, etag=True)
    code, data, _ = run_update(tmp_path)
    s = source_summary(data, "kremlin")
    assert (code, s["new"], s["changed"], s["unchanged"]) == (0, 0, 1, 2)
    with Library(tmp_path) as lib:
        assert "Correction issued" in lib.get(f"u{_id(site.url(news('42376')))}").text
    code, data, _ = run_update(tmp_path)
    assert source_summary(data, "kremlin")["changed"] == 0

    # a page whose bytes change but whose statement does not (chrome only): unchanged
    site.page(news("29039"), page_bytes("29039") + b"<!-- served at 10:42 -->", etag=True)
    code, data, _ = run_update(tmp_path)
    s = source_summary(data, "kremlin")
    assert (s["changed"], s["unchanged"], s["downloaded"]) == (0, 3, 1)

    set_feed(site, [news(p) for p in IDS[:4]])
    code, data, _ = run_update(tmp_path)
    s = source_summary(data, "kremlin")
    assert (code, s["new"], s["changed"], s["unchanged"]) == (0, 1, 0, 3)
    assert documents(tmp_path) == 4


def test_failures_are_reported_and_skipped_with_nothing_else_lost(
    site: Site, tmp_path: Path
) -> None:
    publish(site, IDS[:2])
    site.page("/gone", b"", status=404)
    site.page("/broken", b"", status=500)
    site.page("/slow", page_bytes("29039"), delay=2.0)
    site.page("/huge", page_bytes("53035") * 40)  # about 1 MB
    site.page("/loop-a", b"", status=302, headers={"Location": "/loop-b"})
    site.page("/loop-b", b"", status=302, headers={"Location": "/loop-a"})
    site.page("/private/news/1", page_bytes("34106"))
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(z.compress(bytes(1 << 20)) for _ in range(32)) + z.flush()
    site.page("/bomb", bomb, raw_gzip=True)
    bad = ["/gone", "/broken", "/slow", "/huge", "/loop-a", "/private/news/1", "/bomb"]
    bad.append("/has space")  # a malformed link in the feed: refused before any request
    site.page("/empty", b"<html><head><title>Empty</title></head><body></body></html>")
    bad.append("/empty")  # fetched fine, but holds no statement: the extractor says so
    feed = set_feed(site, [news(IDS[0]), *bad, news(IDS[1])])
    cli(tmp_path, "sources", "add", feed, "--name", "kremlin")

    code, data, err = run_update(tmp_path, "--max-size", "0.5")
    assert code == 1
    s = source_summary(data, "kremlin")
    assert (s["new"], s["failed"]) == (2, 9)
    messages = {e["url"].removeprefix(site.base): e["error"] for e in s["errors"]}
    assert "HTTP 404" in messages["/gone"]
    assert "HTTP 500" in messages["/broken"]
    assert "timed out" in messages["/slow"]
    assert "cap" in messages["/huge"]
    assert "redirect loop" in messages["/loop-a"]
    assert "robots.txt" in messages["/private/news/1"]
    assert "decompression bomb" in messages["/bomb"]
    assert "spaces or control characters" in messages["/has space"]
    assert "/empty" in messages["/empty"]
    assert site.hits("/private/news/1") == 0
    for path in bad:  # each failure is one "Error:" line naming its URL on stderr
        assert any(
            line.startswith("Error: kremlin:") and site.url(path) in line
            for line in err.splitlines()
        ), path
    assert documents(tmp_path) == 2

    code, data, _ = run_update(tmp_path, "--max-size", "0.5")
    s = source_summary(data, "kremlin")
    assert (code, s["new"], s["unchanged"], s["failed"]) == (1, 0, 2, 9)
    assert documents(tmp_path) == 2


def test_entity_bomb_feed_is_rejected_and_other_sources_still_update(
    site: Site, tmp_path: Path
) -> None:
    publish(site, IDS[:1])
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    site.page(
        "/bomb.xml",
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{lol}]>'
        "<rss><channel><item><title>&l9;</title></item></channel></rss>",
        content_type="application/rss+xml",
    )
    cli(tmp_path, "sources", "add", site.url("/bomb.xml"), "--name", "bomb")
    cli(tmp_path, "sources", "add", set_feed(site, [news(IDS[0])]), "--name", "kremlin")
    code, data, err = run_update(tmp_path)
    assert code == 1
    assert "entity bomb" in source_summary(data, "bomb")["error"]
    assert "Error: bomb:" in err and "entity bomb" in err
    assert source_summary(data, "kremlin")["new"] == 1


def test_sitemap_index_and_lastmod_skip_requests(site: Site, tmp_path: Path) -> None:
    publish(site, IDS)

    def urlset(ids: list[str]) -> str:
        rows = "".join(
            f"<url><loc>{site.url(news(p))}</loc><lastmod>2020-05-0{i + 1}</lastmod></url>"
            for i, p in enumerate(ids)
        )
        return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'

    site.page("/sitemap-1.xml", urlset(IDS[:3]), content_type="application/xml")
    site.page("/sitemap-2.xml", urlset(IDS[3:]), content_type="application/xml")
    index = site.page(
        "/sitemap.xml",
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.url('/sitemap-1.xml')}</loc></sitemap>"
        "<sitemap><loc>/sitemap-2.xml</loc></sitemap></sitemapindex>",
        content_type="application/xml",
    )
    cli(tmp_path, "sources", "add", index)
    code, data, _ = run_update(tmp_path)
    assert code == 0
    assert source_summary(data, "127.0.0.1")["new"] == 5
    before = sum(site.hits(news(p)) for p in IDS)
    code, data, _ = run_update(tmp_path)
    s = source_summary(data, "127.0.0.1")
    assert (s["new"], s["unchanged"]) == (0, 5)
    assert sum(site.hits(news(p)) for p in IDS) == before  # same <lastmod>: not even asked


def test_max_links_defers_the_rest_to_the_next_run(site: Site, tmp_path: Path) -> None:
    publish(site, IDS)
    rows = "".join(
        f"<url><loc>{site.url(news(p))}</loc><lastmod>2020-05-01</lastmod></url>" for p in IDS
    )
    cli(tmp_path, "sources", "add", site.page("/sitemap.xml", f"<urlset>{rows}</urlset>"))
    result = run("update", *FAST, "--max-links", "2", "--home", str(tmp_path))
    assert result.exit_code == 0
    header, _rule, row = result.stdout.splitlines()
    assert header.split()[-2:] == ["next", "run"] and row.split() == [
        "127.0.0.1",
        "2",
        "0",
        "0",
        "0",
        "0",
        "3",
    ]
    assert "3 links left for the next run" in result.stderr
    seen = []
    for _ in range(2):
        code, data, _ = run_update(tmp_path, "--max-links", "2")
        s = data["sources"][0]
        seen.append((code, s["new"], s["unchanged"], s["deferred"]))
    assert seen == [(0, 2, 2, 1), (0, 1, 4, 0)]
    assert documents(tmp_path) == 5
    assert sum(site.hits(news(p)) for p in IDS) == 5  # each page downloaded once


def test_listing_page_source(site: Site, tmp_path: Path) -> None:
    publish(site, IDS[:3])
    links = "".join(f'<h3><a href="{news(p)}">item</a></h3>' for p in IDS[:3])
    listing = site.page(
        "/events/president/news",
        f'<html><body><nav><a href="/">Home</a><a href="/contacts">Contacts</a></nav>'
        f'{links}<a href="/events/president/news/page/2">Next</a></body></html>',
    )
    cli(tmp_path, "sources", "add", listing, "--name", "list")
    code, data, _ = run_update(tmp_path)
    s = source_summary(data, "list")
    assert (code, s["links"], s["new"]) == (0, 3, 3)


def test_update_library_api_with_progress(site: Site, tmp_path: Path) -> None:
    publish(site, IDS[:2])
    SourceRegistry(tmp_path).add(set_feed(site, [news(p) for p in IDS[:2]]), "k")
    lines: list[str] = []
    with Fetcher(delay=0, retries=0) as fetcher:
        report = update(tmp_path, fetcher=fetcher, progress=lines.append)
    assert report.ok and report.total("new") == 2
    assert report.requests == 4  # robots.txt, the feed, two pages
    assert lines[0] == f"k: reading {site.url('/feed.xml')}"
    assert any(line.startswith("k: [1/2] new:") for line in lines)
    assert (tmp_path / STATE_FILE).exists()


def test_damaged_fetch_state_is_set_aside_and_update_still_works(
    site: Site, tmp_path: Path
) -> None:
    publish(site, IDS[:2])
    cli(tmp_path, "sources", "add", set_feed(site, [news(p) for p in IDS[:2]]))
    assert run_update(tmp_path)[0] == 0
    (tmp_path / STATE_FILE).write_text('{"pages": {"x": [', encoding="utf-8")
    code, data, err = run_update(tmp_path)
    assert code == 0 and "set aside" in err
    s = data["sources"][0]
    assert (s["new"], s["unchanged"]) == (0, 2)  # the index itself knew them
    assert (tmp_path / (STATE_FILE + ".damaged")).exists()
    assert documents(tmp_path) == 2


def test_sources_add_list_remove(tmp_path: Path) -> None:
    code, _, err = cli(
        tmp_path, "sources", "add", "https://www.state.gov/rss-feed/press-releases/feed/"
    )
    assert code == 0 and "Following 'state.gov'" in err
    code, _, _ = cli(tmp_path, "sources", "add", "https://www.state.gov/press-releases/")
    code, rows, _ = cli(tmp_path, "sources", "list", "--format", "json")
    assert [r["name"] for r in rows] == ["state.gov", "state.gov-2"]
    assert rows[0]["checked"] is None
    result = run("sources", "list", "--home", str(tmp_path))
    assert "state.gov-2" in result.stdout and "never" in result.stdout

    code, _, err = cli(tmp_path, "sources", "add", "https://www.state.gov/press-releases/")
    assert (
        code == 2
        and err
        == "Error: https://www.state.gov/press-releases/ is already "
        "followed as 'state.gov-2' (use `statements update state.gov-2` to fetch it)\n"
    )
    code, _, err = cli(tmp_path, "sources", "add", "ftp://x.org/feed")
    assert code == 2 and err.startswith("Error: 'ftp://x.org/feed' is not an http(s) URL")
    code, _, err = cli(tmp_path, "sources", "add", "https://x.org/f", "--name", "../etc")
    assert code == 2 and "bad source name" in err

    code, _, err = cli(tmp_path, "sources", "remove", "state.gov")
    assert code == 0 and "Stopped following 'state.gov'" in err
    code, _, err = cli(tmp_path, "sources", "remove", "nope")
    assert code == 2 and err == "Error: no source named 'nope' (known sources: state.gov-2)\n"
    code, _, err = cli(tmp_path, "update", "nope")
    assert code == 2 and "no source named 'nope'" in err
    code, rows, _ = cli(tmp_path, "sources", "list", "--format", "json")
    assert [r["name"] for r in rows] == ["state.gov-2"]


def test_damaged_sources_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "sources.json").write_text("not json", encoding="utf-8")
    code, _, err = cli(tmp_path, "sources", "list")
    assert code == 1 and "is damaged" in err and err.count("\n") == 1
