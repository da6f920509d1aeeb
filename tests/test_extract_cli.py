"""`statements extract` through the real CLI: records on stdout, one error line on stderr."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import run as cli
from site_server import no_proxies, serve

if TYPE_CHECKING:
    from click.testing import Result

PAGES = Path(__file__).parent / "pages"
SEED = PAGES / "globalsecurity-lavrov-2025-11-25.txt"


def run(*args: str) -> Result:
    return cli("extract", *args)


def test_extract_seed_json() -> None:
    result = run(str(SEED))
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["title"].startswith("Foreign Minister Sergey Lavrov's opening remarks")
    assert record["date"] == "2025-11-25"
    assert record["source"] == "Ministry of Foreign Affairs of the Russian Federation"
    assert record["republished_by"] == "GlobalSecurity.org"
    assert "UNITED24" not in record["text"]
    assert result.stderr == ""


def test_extract_text_format() -> None:
    result = run(str(SEED), "--format", "text")
    assert result.exit_code == 0
    assert result.stdout.startswith("Title:          Foreign Minister Sergey Lavrov")
    assert "Republished by: GlobalSecurity.org" in result.stdout
    assert "Mr Ryzhenkov," in result.stdout


def test_bad_page_is_one_error_line(tmp_path: Path) -> None:
    bad = tmp_path / "empty.html"
    bad.write_bytes(b"")
    result = run(str(bad))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: {bad}: the page is empty; give a saved page with text in it\n"


def test_missing_path(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.html"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no such file or folder:")
    assert len(result.stderr.splitlines()) == 1


def test_folder_reports_each_failure_and_carries_on(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "a-seed.txt")
    shutil.copy(PAGES / "kremlin-en-62792.html", tmp_path / "b-kremlin.html")
    (tmp_path / "c-empty.html").write_bytes(b"")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d-binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    data = (PAGES / "kremlin-en-51490.html").read_bytes()
    (tmp_path / "sub" / "e-truncated.html").write_bytes(data[:5000])
    result = run(str(tmp_path), "--format", "jsonl")
    assert result.exit_code == 1
    titles = [json.loads(line)["title"] for line in result.stdout.splitlines()]
    assert titles == [
        "Foreign Minister Sergey Lavrov's opening remarks at a joint meeting of the collegiums"
        " of the foreign ministries of Russia and Belarus, Moscow, November 25, 2025",
        "Telephone conversation with President of Ukraine Vladimir Zelensky",
    ]
    errors = result.stderr.splitlines()
    assert len(errors) == 4
    assert errors[0].startswith(f"Error: {tmp_path / 'c-empty.html'}: the page is empty")
    assert errors[1].startswith(f"Error: {tmp_path / 'sub' / 'd-binary.txt'}: not a text page")
    assert "truncated download" in errors[2]
    assert errors[3] == "extracted 2 page(s), 3 failed"


def test_extract_url_from_a_local_server(monkeypatch: pytest.MonkeyPatch) -> None:
    no_proxies(monkeypatch)
    page = (PAGES / "kremlin-en-62792.html").read_bytes()
    with serve() as site:
        url = site.page("/events/president/news/62792", page)
        result = run(url)
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    saved = json.loads(run(str(PAGES / "kremlin-en-62792.html")).stdout)
    # the page's canonical URL names the publisher, so the fetched copy is the saved one
    assert record == saved
    assert record["url"] == "http://en.kremlin.ru/events/president/news/62792"


def test_installed_command_smoke(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "statements"
    if not exe.exists():
        pytest.skip("the statements command is not installed in this environment")
    bad = tmp_path / "junk.html"
    bad.write_bytes(bytes(range(256)) * 64)
    proc = subprocess.run([str(exe), "extract", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"Error: {bad}: not a text page")
    assert len(proc.stderr.splitlines()) == 1 and "Traceback" not in proc.stderr
    ok = subprocess.run([str(exe), "extract", str(SEED)], capture_output=True, text=True)
    assert ok.returncode == 0 and json.loads(ok.stdout)["date"] == "2025-11-25"


def test_extract_url_of_a_json_item(monkeypatch: pytest.MonkeyPatch) -> None:
    """A GOV.UK content-API item fetched by URL is read as JSON; its URL is the page's."""
    no_proxies(monkeypatch)
    item = (PAGES / "govuk-speech-speech.json").read_bytes()
    with serve() as site:
        url = site.page("/api/content/speech", item, content_type="application/json")
        result = run(url, "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["url"] == (
        "https://www.gov.uk/government/speeches/andrea-leadsoms-speech-at-women-in-nuclear-uk-conference"
    )
    assert record["date"] == "2016-02-02" and record["type"] == "speech"
