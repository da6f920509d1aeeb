"""The `statements` commands over a real index: stdout JSON, exit codes, stderr lines."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run
from index_helpers import PAGES, RECORDS, added_count, added_id

ROOT = Path(__file__).resolve().parents[1]
N = added_count()  # one document per URL


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli-home")
    result = run("add", str(RECORDS), "--home", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == f"{N} added, 0 updated, 0 unchanged, 0 failed"
    return str(path)


def test_adding_the_same_records_again_adds_nothing(home: str) -> None:
    result = run("add", str(RECORDS), "--home", home)
    assert result.exit_code == 0
    assert result.stderr == f"0 added, 0 updated, {N} unchanged, 0 failed\n"
    assert result.stdout == ""


def test_search_json_is_one_object_with_hits_and_facets(home: str) -> None:
    result = run(
        "search",
        "security",
        "--facet",
        "speaker",
        "--facet",
        "year",
        "--format",
        "json",
        "--home",
        home,
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] > 10 and len(data["hits"]) == 10
    assert set(data["hits"][0]) >= {
        "id",
        "score",
        "title",
        "date",
        "speakers",
        "source",
        "url",
        "snippet",
    }
    assert "security" in data["hits"][0]["snippet"].lower()
    years = data["facets"]["year"]
    assert sum(row["count"] for row in years) == data["total"]
    assert set(data["facets"]) == {"speaker", "year"}


def test_filters_and_paging(home: str) -> None:
    first = json.loads(
        run(
            "search",
            "--speaker",
            "Blinken",
            "--since",
            "2021",
            "--until",
            "2021-12",
            "--format",
            "json",
            "--limit",
            "3",
            "--home",
            home,
        ).stdout
    )
    second = json.loads(
        run(
            "search",
            "--speaker",
            "Blinken",
            "--since",
            "2021",
            "--until",
            "2021-12",
            "--format",
            "json",
            "--limit",
            "3",
            "--page",
            "2",
            "--home",
            home,
        ).stdout
    )
    assert first["total"] == second["total"] > 3
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    for hit in first["hits"] + second["hits"]:
        assert "Antony Blinken" in hit["speakers"] and hit["date"].startswith("2021")


def test_bad_date_is_a_usage_error_with_one_line(home: str) -> None:
    result = run("search", "x", "--since", "2021-13-01", "--home", home)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --since '2021-13-01' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD\n"
    )
    assert result.stdout == ""


def test_jsonl_lists_every_document_and_csv_has_a_header(home: str) -> None:
    result = run("search", "*", "--format", "jsonl", "--all-copies", "--home", home)
    lines = result.stdout.splitlines()
    assert len(lines) == N and len({json.loads(line)["id"] for line in lines}) == N
    csv_out = run("search", "climate", "--format", "csv", "--home", home).stdout.splitlines()
    assert csv_out[0] == "id,score,date,speakers,title,source,url,snippet"
    assert len(csv_out) > 1


def test_table_has_no_colour_off_a_terminal_and_draws_year_bars(home: str) -> None:
    result = run("search", "security", "--facet", "year", "--facet", "speaker", "--home", home)
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert "█" in result.stdout and "documents match; showing 1-10" in result.stdout


def test_did_you_mean(home: str) -> None:
    result = run("search", "democarcy", "--home", home)
    assert result.exit_code == 0
    assert result.stdout.startswith("No documents match.")
    assert result.stderr == "Did you mean: democracy\n"


def test_show_json_text_and_turns(home: str) -> None:
    rid = added_id("state-245386")
    data = json.loads(run("show", rid, "--format", "json", "--home", home).stdout)
    assert data["id"] == rid and data["title"].startswith("Secretary Antony J. Blinken")
    assert data["copies"] == []
    turns = run("show", rid, "--turns", "--home", home)
    assert turns.exit_code == 0
    assert "Antony Blinken [SECRETARY BLINKEN:]:" in turns.stdout
    missing = run("show", "no-such-id", "--home", home)
    assert missing.exit_code == 1
    assert missing.stderr == (
        "Error: no document with id 'no-such-id' "
        "(find ids with `statements search QUERY --format json`)\n"
    )


def test_show_lists_the_other_locations_of_a_republished_text(home: str) -> None:
    rid = added_id("state-245393")
    data = json.loads(run("show", rid, "--format", "json", "--home", home).stdout)
    assert [c["id"] for c in data["copies"]] == [added_id("copy-state-245393")]
    assert data["copies"][0]["republished_by"] == "GlobalSecurity.org"
    text = run("show", rid, "--home", home).stdout
    assert "Other locations:\n  GlobalSecurity.org: https://www.globalsecurity.org/" in text


def test_said_by_search_and_facet(home: str) -> None:
    result = run(
        "search",
        '"United States"',
        "--said-by",
        "Blinken",
        "--facet",
        "said-by",
        "--format",
        "json",
        "--home",
        home,
    )
    data = json.loads(result.stdout)
    assert data["total"] > 0
    assert data["facets"]["said-by"][0]["value"] == "Antony Blinken"


def test_stats_json(home: str) -> None:
    data = json.loads(run("stats", "--format", "json", "--home", home).stdout)
    assert data["documents"] == N and data["sources"] == 3
    assert data["first_date"] == "2000-01-01" and data["index_bytes"] > 0


def test_remove(tmp_path: Path) -> None:
    lines = RECORDS.read_text(encoding="utf-8").splitlines()[:3]
    small = tmp_path / "three.jsonl"
    small.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run("add", str(small), "--home", str(tmp_path / "h")).exit_code == 0
    rid = added_id(json.loads(lines[0])["id"])
    result = run("remove", rid, "--home", str(tmp_path / "h"))
    assert (result.exit_code, result.stderr) == (0, f"removed {rid}\n")
    stats = json.loads(run("stats", "--format", "json", "--home", str(tmp_path / "h")).stdout)
    assert stats["documents"] == 2


def test_adding_a_folder_twice_and_editing_one_page(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    shutil.copytree(PAGES, pages)
    env = {"STATEMENTS_HOME": str(tmp_path / "home")}
    first = run("add", str(pages), env=env)
    assert (first.exit_code, first.stderr) == (0, "3 added, 0 updated, 0 unchanged, 0 failed\n")
    again = run("add", str(pages), env=env)
    assert again.stderr == "0 added, 0 updated, 3 unchanged, 0 failed\n"
    page = pages / "kremlin_news_53035.html"
    html = page.read_text(encoding="utf-8")
    assert html.count("<p>Alexei Likhachev has") == 1
    page.write_text(html.replace("<p>Alexei Likhachev has", "<p>Alexei Likhachev had"), "utf-8")
    edited = run("add", str(pages), env=env)
    assert edited.stderr == "0 added, 1 updated, 2 unchanged, 0 failed\n"
    assert (tmp_path / "home" / "CURRENT").exists()


def test_bad_inputs_are_reported_and_the_rest_is_indexed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "No text"}\nnot json\n' + RECORDS.read_text().splitlines()[0] + "\n")
    missing = tmp_path / "missing.html"
    result = run("add", str(bad), str(missing), "--home", str(tmp_path / "h"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {bad}:1: a record needs string fields 'title' and 'text'",
        f"Error: {bad}:2: not a JSON record (Expecting value: line 1 column 1 (char 0))",
        f"Error: {missing}: no such file or folder (give a page file, folder, .jsonl or URL)",
        "1 added, 0 updated, 0 unchanged, 3 failed",
    ]


def test_hostile_text_never_reaches_the_terminal_raw(tmp_path: Path) -> None:
    record = json.loads(RECORDS.read_text().splitlines()[0])
    record.update(
        id="evil",
        url=None,  # so that the record keeps its id
        title="Evil \x1b]0;pwned\x07title \x1b[2J",
        speakers=["Bad\x1b[31mGuy"],
    )
    path = tmp_path / "evil.jsonl"
    path.write_text(json.dumps(record) + "\n")
    home = str(tmp_path / "h")
    assert run("add", str(path), "--home", home).exit_code == 0
    for args in (
        ("search", "Evil"),
        ("search", "Evil", "--format", "csv"),
        ("show", "evil"),
        ("search", "*", "--facet", "speaker"),
    ):
        out = run(*args, "--home", home).stdout
        assert "\x1b" not in out and "\x07" not in out
        assert "Evil" in out or "BadGuy" in out


def test_second_writer_is_told_who_is_writing(tmp_path: Path) -> None:
    from statements.index.lock import WriteLock

    with WriteLock(tmp_path):
        result = run("add", str(RECORDS), "--home", str(tmp_path), "--wait", "0.2")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: another process (pid {os.getpid()}) is writing to the index in {tmp_path} "
        "(wait for it to finish, or pass --wait SECONDS to wait longer)\n"
    )


@pytest.mark.parametrize("command", ["add", "search", "show", "stats", "remove", "reindex"])
def test_every_command_help_has_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example: statements " in result.stdout


def test_reindex_from_the_cli(tmp_path: Path) -> None:
    home = str(tmp_path / "h")
    shutil.copytree(PAGES, tmp_path / "pages")
    assert run("add", str(tmp_path / "pages"), "--home", home).exit_code == 0
    before = json.loads(run("search", "Putin", "--format", "json", "--home", home).stdout)
    result = run("reindex", "--home", home)
    assert (result.exit_code, result.stderr) == (0, "reindexed 3 documents, 0 failed\n")
    after = json.loads(run("search", "Putin", "--format", "json", "--home", home).stdout)
    assert after == before and before["total"] > 0


def test_installed_command_end_to_end(tmp_path: Path) -> None:
    exe = ROOT / ".venv" / "bin" / "statements"
    if not exe.exists():
        pytest.skip("the project is not installed in .venv")
    env = {**os.environ, "STATEMENTS_HOME": str(tmp_path), "NO_COLOR": "1"}
    added = subprocess.run(
        [str(exe), "add", str(RECORDS)], env=env, capture_output=True, text=True, timeout=120
    )
    assert added.returncode == 0, added.stderr
    found = subprocess.run(
        [str(exe), "search", "Лавров", "--facet", "lang", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert found.returncode == 0 and found.stderr == ""
    data = json.loads(found.stdout)
    assert data["total"] > 0 and data["facets"]["lang"] == [{"value": "ru", "count": data["total"]}]
    assert sys.executable


def test_jsonl_export_pages_through_every_hit(home: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import statements.search.cmd_search

    monkeypatch.setattr(statements.search.cmd_search, "EXPORT_PAGE", 7)
    result = run("search", "*", "--format", "jsonl", "--all-copies", "--home", home)
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert len(ids) == len(set(ids)) == N
    newest = [json.loads(line)["date"] or "" for line in result.stdout.splitlines()]
    dated = [d for d in newest if d]
    assert dated == sorted(dated, reverse=True)


def test_split_turns_gives_said_by_to_records_without_turns(tmp_path: Path) -> None:
    record = json.loads(RECORDS.read_text().splitlines()[0])  # state.gov joint press availability
    assert "SECRETARY BLINKEN:" in record["text"]
    record.update(turns=[])
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record) + "\n")
    for flag, expected in (((), 0), (("--split-turns",), 1)):
        home = str(tmp_path / f"h{len(flag)}")
        assert run("add", str(path), *flag, "--home", home).exit_code == 0
        found = json.loads(
            run(
                "search", "Greenland", "--said-by", "Egede", "--format", "json", "--home", home
            ).stdout
        )
        assert found["total"] == expected


def _on_a_terminal(args: list[str], env: dict[str, str], stream: str = "stdout") -> str:
    """Run the installed command with `stream` (stdout or stderr) on a real
    pseudo-terminal and the other piped; return what reached the terminal."""
    import pty

    exe = ROOT / ".venv" / "bin" / "statements"
    main, child = pty.openpty()
    try:
        streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, stream: child}
        proc = subprocess.run([str(exe), *args], env=env, timeout=120, **streams)
        assert proc.returncode == 0, proc.stderr or proc.stdout
        os.close(child)
        child = -1
        chunks = []
        while True:
            try:
                data = os.read(main, 65536)
            except OSError:  # the terminal closed: everything was read
                break
            if not data:
                break
            chunks.append(data)
        return b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(main)
        if child >= 0:
            os.close(child)


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "statements").exists(), reason="not installed")
def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path: Path) -> None:
    record = json.loads(RECORDS.read_text().splitlines()[0])
    record.update(id="evil", title="Evil \x1b]0;pwned\x07 title", text=record["text"] + " \x1b[2J")
    path = tmp_path / "evil.jsonl"
    path.write_text(json.dumps(record) + "\n")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["STATEMENTS_HOME"] = str(tmp_path / "h")
    assert run("add", str(path), "--home", env["STATEMENTS_HOME"]).exit_code == 0
    coloured = _on_a_terminal(["search", "Greenland"], env)
    assert "\x1b[1;33mGreenland\x1b[0m" in coloured
    assert "\x1b]0;" not in coloured and "\x1b[2J" not in coloured and "\x07" not in coloured
    plain = _on_a_terminal(["search", "Greenland"], {**env, "NO_COLOR": "1"})
    assert "Greenland" in plain and "\x1b" not in plain


@pytest.mark.parametrize("command", [["search", "security"], ["stats"], ["show", "state-245386"]])
def test_a_home_without_an_index_is_one_clear_error(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "typo"
    result = run(*command, "--home", str(missing))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: the data folder {missing} does not exist (add statements first with "
        "`statements add PATH`, or point --home / STATEMENTS_HOME at your data folder)\n"
    )
    assert not missing.exists()  # reading never creates a data folder


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "statements").exists(), reason="not installed")
def test_add_draws_a_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    exe = ROOT / ".venv" / "bin" / "statements"
    lines = len([line for line in RECORDS.read_text().splitlines() if line.strip()])
    args = ["add", str(RECORDS), "--home", str(tmp_path / "tty")]
    shown = _on_a_terminal(args, dict(os.environ), stream="stderr")
    assert f"reading [{'#' * 30}] {lines}/{lines}" in shown
    assert f"indexing [{'#' * 30}] {N}/{N}" in shown  # one document per URL
    assert f"{N} added, 0 updated, 0 unchanged, 0 failed" in shown
    # off a terminal: no bar, only the summary line
    plain = subprocess.run(
        [str(exe), "add", str(RECORDS), "--home", str(tmp_path / "pipe")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert plain.stderr == f"{N} added, 0 updated, 0 unchanged, 0 failed\n"
