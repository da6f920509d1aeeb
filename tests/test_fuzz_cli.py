"""Random queries and option values through the real CLI, and hostile text on the screen.

- Any query string is searched or explained: exit 0, or a one-line usage error (exit 2);
  never a traceback.
- Random option values: usage errors exit 2 with one `Error: ...` line on stderr,
  runtime errors exit 1 with one line, a traceback only with --debug.
- Control characters and escape sequences in titles, speakers, text, sources, URLs and
  ids (as a hostile page could carry) never reach stdout raw in table, text or CSV
  output, nor stderr.

The index is real (tests/data/records.jsonl plus hostile records made here); hypothesis
runs with a fixed seed-free profile (derandomize, no database) so runs are repeatable.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import run as cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_helpers import RECORDS, run_child

from statements.scraper.record import Statement, Turn, make_id
from statements.search import tables

FUZZ = settings(
    max_examples=int(os.environ.get("STATEMENTS_FUZZ_EXAMPLES", "60")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# C0 controls but newline and tab, DEL, C1 controls, bidi overrides and isolates
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HOSTILE = [
    "\x1b]0;pwned\x07",  # set the terminal title
    "\x1b[2J",  # clear the screen
    "\x1b[1;31m",  # colour
    "\x9b31m",  # C1 CSI
    "\x1bP1$r\x1b\\",  # DCS
    "\x1b]8;;http://evil.example/\x07link\x1b]8;;\x07",  # hyperlink
    "\r\x08\x08overwrite",
    "\u202egnp.exe",  # right-to-left override
    "\x07\x00\x7f",
]


def run(*args: str) -> object:
    return cli(*args, env={"NO_COLOR": "1"})


def one_line(result: object, code: int) -> str:
    err = result.stderr  # type: ignore[attr-defined]
    assert result.exit_code == code, (result.exit_code, err)  # type: ignore[attr-defined]
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    assert "Traceback" not in err
    return lines[0]


def check_outcome(result: object) -> None:
    """Exit 0 with output, or exit 1/2 with exactly one error line; never a traceback."""
    code = result.exit_code  # type: ignore[attr-defined]
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(  # type: ignore[attr-defined]
        result.exception  # type: ignore[attr-defined]
    )
    assert "Traceback" not in result.stderr  # type: ignore[attr-defined]
    if code != 0:
        assert code in (1, 2), code
        one_line(result, code)
        assert "internal error" not in result.stderr  # type: ignore[attr-defined]


QUERY_ALPHABET = st.sampled_from(
    [
        *"abcdefgxyz \"()*?-+:~^[]{}/\\'",
        *("AND", "OR", "NOT", "TO", "title:", "speaker:", "date:", "..", "2019"),
        *("Лавров", "security", "\x00", "\x1b", "\u202e", "é", "ß"),
    ]
)


@FUZZ
@given(query=st.lists(QUERY_ALPHABET, max_size=12).map("".join) | st.text(max_size=40))
def test_any_query_is_searched_or_explained(home: str, query: str) -> None:
    result = run("search", query, "--format", "json", "--home", home)
    check_outcome(result)
    if result.exit_code == 0:  # type: ignore[attr-defined]
        data = json.loads(result.stdout)  # type: ignore[attr-defined]
        assert data["total"] >= len(data["hits"])
    else:
        assert result.exit_code == 2  # type: ignore[attr-defined]


OPTION_VALUES = {
    "--since": st.text(max_size=12) | st.sampled_from(["2019", "2019-13", "2019-02-30", "0"]),
    "--until": st.text(max_size=12) | st.sampled_from(["2020-01", "99999", "-1", ""]),
    "--limit": st.text(max_size=6) | st.integers(-5, 20_000).map(str),
    "--page": st.text(max_size=6) | st.integers(-5, 10**12).map(str),
    "--sort": st.text(max_size=8) | st.sampled_from(["newest", "oldest", "relevance"]),
    "--facet": st.text(max_size=8) | st.sampled_from(["speaker", "year", "said-by", "month"]),
    "--format": st.text(max_size=6) | st.sampled_from(["json", "table", "csv", "jsonl"]),
    "--speaker": st.text(max_size=20),
    "--said-by": st.text(max_size=20),
    "--source": st.text(max_size=12),
    "--type": st.text(max_size=12),
    "--lang": st.text(max_size=5),
}


@FUZZ
@given(
    options=st.lists(
        st.sampled_from(sorted(OPTION_VALUES)).flatmap(
            lambda name: OPTION_VALUES[name].map(lambda value: (name, value))
        ),
        min_size=1,
        max_size=4,
    ),
    query=st.sampled_from(["security", "", "*", "Lavrov OR Blinken"]),
)
def test_random_option_values_exit_0_1_or_2_with_one_line(
    home: str, options: list[tuple[str, str]], query: str
) -> None:
    args = ["search", query]
    for name, value in options:
        args += [name, value]
    result = run(*args, "--home", home)
    check_outcome(result)


@pytest.mark.parametrize(
    "args",
    [
        ["search", "x", "--limit", "abc"],
        ["search", "x", "--limit", "0"],
        ["search", "x", "--page", "0"],
        ["search", "x", "--facet", "colour"],
        ["search", "x", "--sort", "sideways"],
        ["search", "x", "--format", "xml"],
        ["search", "x", "--since", "2019-13"],
        ["search", "x", "--no-such-option"],
        ["show"],
        ["add"],
        ["add", "x", "--wait", "-1"],
        ["remove"],
        ["no-such-command"],
        ["sources", "list", "--format", "xml"],
        ["sources", "add"],
        ["update", "--max-links", "0"],
        ["--no-such-global-option", "stats"],
    ],
)
def test_usage_errors_exit_2_with_one_line(home: str, args: list[str]) -> None:
    result = run(*args, "--home", home) if args[0] != "--no-such-global-option" else run(*args)
    line = one_line(result, 2)
    assert "Usage:" not in line
    assert result.stdout == ""  # type: ignore[attr-defined]


def test_no_arguments_still_prints_help() -> None:
    result = run()
    assert "Usage:" in result.stdout + result.stderr  # type: ignore[attr-defined]
    assert "search" in result.stdout + result.stderr  # type: ignore[attr-defined]


def test_runtime_errors_exit_1_with_one_line(home: str, tmp_path: Path) -> None:
    one_line(run("show", "no-such-id", "--home", home), 1)
    one_line(run("remove", "no-such-id", "--home", home), 1)
    one_line(run("sources", "remove", "nothing", "--home", home), 2)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    one_line(run("add", str(RECORDS), "--home", str(not_a_folder / "sub")), 1)


def test_traceback_only_with_debug(home: str, tmp_path: Path) -> None:
    """A damaged index: one line normally, the traceback with --debug (real process)."""
    damaged = tmp_path / "home"
    shutil.copytree(home, damaged)
    live = damaged / (damaged / "CURRENT").read_text().strip()
    for trm in (live / "whoosh").glob("*.trm"):
        trm.write_bytes(b"")
    plain = run_child("search", "security", "--home", str(damaged))
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert len(plain.stderr.splitlines()) == 1 and "statements reindex" in plain.stderr
    debug = run_child("--debug", "search", "security", "--home", str(damaged))
    assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stderr


# ---- terminal safety -----------------------------------------------------------------


def hostile_records() -> list[Statement]:
    """Real records (tests/data) with escape sequences planted in every displayed field."""
    base = [
        Statement.from_dict(json.loads(line))
        for line in RECORDS.read_text(encoding="utf-8").splitlines()[: len(HOSTILE)]
    ]
    out = []
    for n, (record, evil) in enumerate(zip(base, HOSTILE, strict=True)):
        turns = (
            Turn(speaker=f"Sergey{evil} Lavrov", text=f"security {evil} words", label="MR X:"),
        )
        out.append(
            record.with_(
                id=f"evil-{n}{evil}",
                title=f"Security {evil} title",
                text=f"{record.text}\n\nsecurity {evil} matters",
                speakers=(f"Bad{evil}Guy", *record.speakers),
                source=f"src{evil}",
                url=f"https://example.org/{n}/{evil}",
                location=f"Place{evil}",
                turns=turns,
            )
        )
    return out


@pytest.fixture(scope="module")
def evil_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[Statement]]:
    path = tmp_path_factory.mktemp("evil-home")
    records = hostile_records()
    jsonl = path / "evil.jsonl"
    # complete records: indexed exactly as given (hostile ids and fields included)
    jsonl.write_text(
        "".join(json.dumps({**r.to_dict(), "complete": True}) + "\n" for r in records),
        encoding="utf-8",
    )
    result = run("add", str(jsonl), "--home", str(path / "home"))
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    return str(path / "home"), records


def clean(text: str, what: object) -> None:
    found = RAW.findall(text)
    assert not found, (what, found[:5])


@pytest.mark.parametrize(
    "args",
    [
        ["search", "security"],
        ["search", "security", "--all-copies"],
        ["search", "*", "--facet", "speaker", "--facet", "source", "--facet", "said-by"],
        ["search", "security", "--format", "csv"],
        ["search", "securty"],  # "did you mean" goes to stderr
        ["stats"],
    ],
)
def test_hostile_text_never_reaches_the_terminal_raw(
    evil_home: tuple[str, list[Statement]], args: list[str]
) -> None:
    home, _records = evil_home
    result = run(*args, "--home", home)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    clean(result.stdout, args)  # type: ignore[attr-defined]
    clean(result.stderr, args)  # type: ignore[attr-defined]


def test_show_text_and_turns_are_clean(evil_home: tuple[str, list[Statement]]) -> None:
    home, records = evil_home
    for record in records:
        for extra in ([], ["--turns"]):
            result = run("show", record.id, *extra, "--home", home)
            assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
            clean(result.stdout + result.stderr, (record.id, extra))  # type: ignore[attr-defined]
            assert "Lavrov" in result.stdout or not extra  # type: ignore[attr-defined]


def test_errors_naming_hostile_input_are_clean(
    evil_home: tuple[str, list[Statement]], tmp_path: Path
) -> None:
    """File names in a folder being added, ids and URLs are quoted in error lines."""
    home, _records = evil_home
    folder = tmp_path / "downloads"
    folder.mkdir()
    for n, evil in enumerate(HOSTILE):
        name = f"page{n}{evil}.html".replace("\x00", "").replace("/", "")
        (folder / name).write_bytes(b"\x00\x01 not a page")
    result = run("add", str(folder), "--home", home)
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == len(HOSTILE) + 1  # type: ignore[attr-defined]
    clean(result.stdout + result.stderr, "add folder")  # type: ignore[attr-defined]
    for evil in HOSTILE:
        for args in (
            ["show", f"x{evil}"],
            ["add", f"missing{evil}.html"],
            ["add", f"http://127.0.0.1:9/{evil}"],
        ):
            result = run(*args, "--home", home)
            assert result.exit_code == 1
            clean(result.stdout + result.stderr, args)  # type: ignore[attr-defined]


def test_colour_table_carries_only_our_own_escapes(
    evil_home: tuple[str, list[Statement]],
) -> None:
    """On a colour terminal the only escape sequences are the highlight ones we add."""
    from statements.index.library import Library
    from statements.index.models import SearchRequest

    home, _records = evil_home
    with Library(Path(home)) as lib:
        result = lib.search(SearchRequest(query="security", facets=("speaker",), limit=50))
    text = tables.render_table(result, colour=True)
    ours = (tables.BOLD_YELLOW, tables.DIM, tables.RESET)
    for seq in ours:
        text = text.replace(seq, "")
    assert tables.BOLD_YELLOW in tables.render_table(result, colour=True)
    clean(text, "colour table")


# ---- hostile record files -------------------------------------------------------------

LEAF = (
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats() | st.text(max_size=12)
)
VALUE = st.recursive(
    LEAF,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=5,
)
FIELDS = [
    "id",
    "url",
    "date",
    "speakers",
    "turns",
    "source",
    "type",
    "language",
    "section",
    "location",
]


@FUZZ
@given(
    lines=st.lists(
        st.dictionaries(st.sampled_from(FIELDS), VALUE, max_size=5).map(
            lambda d: {"title": "A hostile record", "text": "Words of a statement here.", **d}
        ),
        min_size=1,
        max_size=4,
    )
)
def test_hostile_jsonl_lines_cost_only_themselves(tmp_path_factory, lines: list[dict]) -> None:  # type: ignore[no-untyped-def]
    """Each line of a .jsonl file is added or reported in one line; a bad line never
    aborts the batch: the real record after it is still added."""
    folder = tmp_path_factory.mktemp("jsonl")
    good = RECORDS.read_text(encoding="utf-8").splitlines()[0]
    jsonl = folder / "mixed.jsonl"
    jsonl.write_text("\n".join([*(json.dumps(d) for d in lines), good]) + "\n", encoding="utf-8")
    result = run("add", str(jsonl), "--home", str(folder / "home"))
    err = result.stderr  # type: ignore[attr-defined]
    assert result.exit_code in (0, 1) and "Traceback" not in err and "internal error" not in err
    *errors, summary = err.splitlines()
    added, _updated, _unchanged, failed = (int(w) for w in re.findall(r"\d+", summary))
    assert added >= 1 and failed == len(errors) == (result.exit_code == 1) * len(errors)  # type: ignore[attr-defined]
    assert all(line.startswith(f"Error: {jsonl}:") for line in errors), errors
    shown = run("show", make_id(json.loads(good)["url"]), "--home", str(folder / "home"))
    assert shown.exit_code == 0  # type: ignore[attr-defined]


def test_extract_text_output_is_clean(tmp_path: Path) -> None:
    """`statements extract --format text` prints page text: escapes in the page's title,
    heading and body (raw bytes and character references) never reach the terminal."""
    page = (Path(__file__).parent / "pages" / "unknown-site-mirror.html").read_bytes()
    evil = b"&#x1b;]0;pwned&#x07;\x1b[2J&#x9b;31m&#x202e;"
    hostile = page.replace(b"Rwanda National Day", b"Rwanda " + evil + b"National Day")
    hostile = hostile.replace(b" the ", b" the " + evil + b" ", 5)
    path = tmp_path / "hostile.html"
    path.write_bytes(hostile)
    result = run("extract", str(path), "--format", "text")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert "Rwanda" in result.stdout  # type: ignore[attr-defined]
    clean(result.stdout + result.stderr, "extract --format text")  # type: ignore[attr-defined]


# ---- random command lines ---------------------------------------------------------------

COMMANDS = [["search"], ["show"], ["stats"], ["remove"], ["sources", "list"], ["sources", "remove"]]
OPTIONS = [
    "--format", "-f", "--limit", "-n", "--page", "--facet", "--sort", "--since", "--until",
    "--speaker", "--said-by", "--source", "--type", "--lang", "--all-copies", "--turns",
    "--wait", "--debug", "--help", "--", "-", "--home",
]  # fmt: skip
WORD = st.sampled_from(OPTIONS) | st.text(max_size=10) | st.sampled_from(["json", "0", "-1", "*"])


@FUZZ
@given(command=st.sampled_from(COMMANDS), words=st.lists(WORD, max_size=6))
def test_random_command_lines(
    home: str, tmp_path_factory, command: list[str], words: list[str]
) -> None:  # type: ignore[no-untyped-def]
    """Any command line: help or output (exit 0), or one error line (exit 1 or 2).
    A stray --home in the words points at a scratch folder, never at a real one."""
    scratch = str(tmp_path_factory.getbasetemp() / "scratch-home")
    words = [scratch if w == "--home" else w for w in words]
    result = run(*command, *words, "--home", home)
    if "--help" in words and result.exit_code == 0:  # type: ignore[attr-defined]
        return
    check_outcome(result)


def test_an_oversized_jsonl_record_costs_only_its_line(tmp_path: Path) -> None:
    """A record over the page size cap (16 MB) is refused for its line, never held
    whole; the records around it are added."""
    from statements.scraper.encoding import MAX_BYTES

    good = [
        {"id": f"ok-{n}", "title": f"Statement {n}", "text": "Peace and security. " * 20}
        for n in range(2)
    ]
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(good[0]) + "\n")
        fh.write('{"id": "huge", "title": "Huge", "text": "' + "a" * (MAX_BYTES + 10) + '"}\n')
        fh.write(json.dumps(good[1]) + "\n")
    home = tmp_path / "home"
    result = cli("add", str(path), "--home", str(home))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: {path}:2: the record is longer than 16 MB, the size cap of one statement; "
        "skipped (split the text, or give the page itself)"
    ]
    assert result.stderr.splitlines()[-1] == "2 added, 0 updated, 0 unchanged, 1 failed"
