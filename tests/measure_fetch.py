"""Figures for docs/sources.md, measured against a local server (not a test; run it).

    .venv/bin/python tests/measure_fetch.py

Serves the pages of tests/fetch_site on 127.0.0.1 and reports: memory and time
to refuse a 1 GB gzip bomb at the default 20 MB cap, conditional and full GETs
per second, and the requests of a first and a second `statements update` (run
as a real subprocess on a temporary data home).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from site_server import serve

from statements.scraper.network.fetch import Fetcher
from statements.scraper.network.response import TooLargeError

PAGES = Path(__file__).parent / "fetch_site"
IDS = ["42376", "56928", "29039", "53035", "34106"]
STATEMENTS = Path(sys.executable).parent / "statements"


def main() -> None:
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(z.compress(bytes(1 << 20)) for _ in range(1024)) + z.flush()
    page = (PAGES / "kremlin_news_42376.html").read_bytes()
    with serve() as site, Fetcher(delay=0, retries=0) as f:
        site.page("/bomb", bomb, raw_gzip=True)
        site.page("/p", page, etag=True)
        etag = f.fetch(site.url("/p")).etag
        tracemalloc.start()
        t = time.perf_counter()
        try:
            f.fetch(site.url("/bomb"))
        except TooLargeError:
            pass
        took = time.perf_counter() - t
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"gzip bomb: {len(bomb) / 1024:.0f} KB compressed, 1024 MB decompressed; refused "
            f"at the 20 MB cap in {took:.2f} s, peak allocations {peak / 2**20:.1f} MB"
        )
        n = 200
        t = time.perf_counter()
        for _ in range(n):
            f.fetch(site.url("/p"), etag=etag)
        print(f"{n} conditional GETs answered 304: {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        for _ in range(n):
            f.fetch(site.url("/p"))
        print(f"{n} full GETs of a {len(page) / 1024:.0f} KB page: {time.perf_counter() - t:.2f} s")

    with serve() as site, tempfile.TemporaryDirectory() as home:
        for pid in IDS:
            site.page(
                f"/events/president/news/{pid}",
                (PAGES / f"kremlin_news_{pid}.html").read_bytes(),
                etag=True,
            )
        items = "".join(
            f"<item><link>{site.url('/events/president/news/' + p)}</link></item>" for p in IDS
        )
        site.page(
            "/feed.xml",
            f'<rss version="2.0"><channel>{items}</channel></rss>',
            content_type="application/rss+xml",
            etag=True,
        )
        env = {**os.environ, "STATEMENTS_HOME": home}
        subprocess.run(
            [STATEMENTS, "sources", "add", site.url("/feed.xml")],
            env=env,
            check=True,
            capture_output=True,
        )
        for run in ("first", "second"):
            t = time.perf_counter()
            out = subprocess.run(
                [STATEMENTS, "update", "--delay", "0", "--quiet", "--format", "json"],
                env=env,
                capture_output=True,
                text=True,
            )
            took = time.perf_counter() - t
            data = json.loads(out.stdout)
            print(
                f"{run} update: {data['totals']} requests={data['requests']} "
                f"exit={out.returncode} {took:.2f} s"
            )

    corpus = Path(__file__).resolve().parents[2] / "shared/corpus/kremlin-en-html/pages"
    if corpus.is_dir():
        update_corpus(sorted(corpus.glob("*.html")))


def update_corpus(files: list[Path]) -> None:
    """All real en.kremlin.ru pages of the shared corpus through one feed, updated twice."""
    with serve() as site, tempfile.TemporaryDirectory() as home:
        paths = []
        for f in files:
            path = "/events/president/news/" + f.stem.rsplit("_", 1)[-1]
            site.page(path, f.read_bytes(), etag=True)
            paths.append(path)
        items = "".join(f"<item><link>{site.url(p)}</link></item>" for p in paths)
        site.page(
            "/feed.xml",
            f'<rss version="2.0"><channel>{items}</channel></rss>',
            content_type="application/rss+xml",
            etag=True,
        )
        env = {**os.environ, "STATEMENTS_HOME": home}
        subprocess.run(
            [STATEMENTS, "sources", "add", site.url("/feed.xml")],
            env=env,
            check=True,
            capture_output=True,
        )
        for run in ("first", "second"):
            t = time.perf_counter()
            out = subprocess.run(
                [STATEMENTS, "update", "--delay", "0", "--quiet", "--format", "json"],
                env=env,
                capture_output=True,
                text=True,
            )
            took = time.perf_counter() - t
            data = json.loads(out.stdout)
            print(
                f"corpus ({len(files)} pages) {run} update: {data['totals']} "
                f"requests={data['requests']} exit={out.returncode} {took:.2f} s"
            )
            for e in data["sources"][0]["errors"]:
                print("   ", e["error"][:160])


if __name__ == "__main__":
    main()
