"""Ids and URLs never become file paths: everything stays inside the data home.

Ids come from pages and record files, URLs from feeds and users; a capture store that
named files after them could be steered outside the home ("../../etc/passwd", an
absolute path), past a file-name limit (a 10,000-character id), into a device name on
Windows ("con", "nul") or cut short by a NUL byte. The real CLI adds records with such
ids and pages fetched (from a server on 127.0.0.1) at such URLs; then every file must
lie inside the home with a short, program-chosen name, nothing may appear beside the
home, and each hostile id must still be shown, searched, reindexed and removed as the
very same id.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

import pytest
from reliability_helpers import RECORDS, cli
from site_server import no_proxies, serve

from statements.scraper.record import Statement

HOSTILE_IDS = [
    "../../etc/passwd",
    "../../../../../../../../tmp/escaped",
    "/etc/passwd",
    "/tmp/absolute",
    "..",
    ".",
    "~",
    "$HOME",
    "con",
    "NUL",
    "aux.txt",
    "COM1",
    "a\\..\\..\\windows",
    "a/b/c",
    "x" * 10_000,
    "nul\x00byte",
    "new\nline",
    "%2e%2e%2fetc%2fpasswd",
    "..\u2215..\u2215etc",
    "\u202eevil",
    "trailing.",
    " ",
    "C:\\Windows\\System32",
]
# names the program itself chooses (generations, SQLite files, locks, caches)
ALLOWED = re.compile(
    r"^(CURRENT|write\.lock|update\.lock|sources\.json|fetch-state\.json|gen-\d{6}|"
    r"captures\.sqlite(-wal|-shm|-journal)?|records\.sqlite(-wal|-shm|-journal)?|"
    r"whoosh|turns|aliases\.sha256|facets-[\w.-]+|_?MAIN_[\w.]+|\.[\w.-]+\.tmp)$"
)


def records_with(ids: list[str]) -> list[Statement]:
    lines = RECORDS.read_text(encoding="utf-8").splitlines()
    return [
        Statement.from_dict(json.loads(line)).with_(id=rid)
        for line, rid in zip(lines, ids, strict=False)
    ]


def assert_contained(root: Path, home: Path, inputs: set[str]) -> None:
    """Only the home (and the test's own inputs) exist under root; every path in the
    home resolves inside it and has a name the program chose."""
    assert {p.name for p in root.iterdir()} <= {home.name, *inputs}
    resolved_home = home.resolve()
    for path in home.rglob("*"):
        assert path.resolve().is_relative_to(resolved_home), path
        assert not path.is_symlink(), path
        assert ALLOWED.match(path.name), path.name
        assert len(path.name) <= 64, path.name


def test_hostile_ids_stay_values_not_paths(tmp_path: Path) -> None:
    home = tmp_path / "home"
    records = records_with(HOSTILE_IDS)
    assert len(records) == len(HOSTILE_IDS)
    jsonl = tmp_path / "hostile.jsonl"
    # complete records keep their (hostile) ids: `add` takes them exactly as given
    jsonl.write_text(
        "".join(json.dumps({**r.to_dict(), "complete": True}) + "\n" for r in records),
        encoding="utf-8",
    )

    result = cli("add", str(jsonl), "--home", str(home))
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert result.stderr.splitlines()[-1] == (  # type: ignore[attr-defined]
        f"{len(records)} added, 0 updated, 0 unchanged, 0 failed"
    )
    assert_contained(tmp_path, home, {"hostile.jsonl"})
    assert not Path("/tmp/escaped").exists() and not Path("/tmp/absolute").exists()

    for record in records:
        shown = cli("show", record.id, "--format", "json", "--home", str(home))
        assert shown.exit_code == 0, (record.id[:40], shown.stderr)  # type: ignore[attr-defined]
        assert json.loads(shown.stdout)["id"] == record.id  # type: ignore[attr-defined]

    listed = cli("search", "*", "--all-copies", "--format", "jsonl", "--home", str(home))
    ids = [json.loads(line)["id"] for line in listed.stdout.splitlines()]  # type: ignore[attr-defined]
    assert sorted(ids) == sorted(HOSTILE_IDS)

    result = cli("reindex", "--home", str(home))
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert result.stderr.splitlines()[-1] == (  # type: ignore[attr-defined]
        f"reindexed {len(records)} documents, 0 failed"
    )
    assert_contained(tmp_path, home, {"hostile.jsonl"})

    for rid in HOSTILE_IDS:
        removed = cli("remove", rid, "--home", str(home))
        assert removed.exit_code == 0, (rid[:40], removed.stderr)  # type: ignore[attr-defined]
    stats = cli("stats", "--format", "json", "--home", str(home))
    assert json.loads(stats.stdout)["documents"] == 0  # type: ignore[attr-defined]
    assert_contained(tmp_path, home, {"hostile.jsonl"})


HOSTILE_PATHS = [
    "/..%2f..%2f..%2fetc%2fpasswd",
    "/a/%2e%2e/%2e%2e/%2e%2e/tmp/escaped-url",
    "/con",
    "/nul.html",
    "/" + "long-segment-" * 400,
    "/page?name=../../etc/passwd&x=%00",
    "/%E2%80%AEevil.html",
    "/a%5c..%5c..%5cwindows",
]


@pytest.fixture
def _local_only(monkeypatch: pytest.MonkeyPatch) -> None:
    no_proxies(monkeypatch)


@pytest.mark.usefixtures("_local_only")
def test_hostile_urls_stay_values_not_paths(tmp_path: Path) -> None:
    """Pages fetched at hostile URLs (`statements add URL` and `update` from a feed)."""
    home = tmp_path / "home"
    page = (Path(__file__).parent / "fetch_site" / "kremlin_news_42376.html").read_bytes()
    with serve() as site:
        urls = []
        for n, path in enumerate(HOSTILE_PATHS):
            # a distinct canonical link per page, so each one is its own document
            body = page.replace(b"42376", f"9{n:04d}".encode())
            site.page(path, body)
            urls.append(site.url(path))
        result = cli("add", *urls[:4], "--home", str(home))
        assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
        items = "".join(f"<item><title>t</title><link>{escape(u)}</link></item>" for u in urls[4:])
        site.page(
            "/feed.xml",
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}'
            "</channel></rss>",
            content_type="application/rss+xml",
        )
        assert cli("sources", "add", site.url("/feed.xml"), "--home", str(home)).exit_code == 0  # type: ignore[attr-defined]
        result = cli(
            "update", "--delay", "0", "--retries", "0", "--format", "json", "--home", str(home)
        )
        assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
        assert json.loads(result.stdout)["totals"]["new"] == len(HOSTILE_PATHS) - 4  # type: ignore[attr-defined]
    stats = cli("stats", "--format", "json", "--home", str(home))
    assert json.loads(stats.stdout)["documents"] == len(HOSTILE_PATHS)  # type: ignore[attr-defined]
    assert_contained(tmp_path, home, set())
    assert not Path("/tmp/escaped-url").exists()


@pytest.mark.parametrize("name", ["../../x", "/abs", "a/b", "con\x00", "x" * 200, ".hidden", ""])
def test_hostile_source_names_are_refused_in_one_line(tmp_path: Path, name: str) -> None:
    home = tmp_path / "home"
    result = cli(
        "sources", "add", "http://127.0.0.1:9/feed.xml", "--name", name, "--home", str(home)
    )
    assert result.exit_code == 2, result.stderr  # type: ignore[attr-defined]
    assert len(result.stderr.splitlines()) == 1  # type: ignore[attr-defined]
    if home.exists():
        assert_contained(tmp_path, home, set())
