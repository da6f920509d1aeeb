"""Query budgets: a hostile or careless query ends quickly with an answer or one clear
line, never a freeze and never "damage" (issue 12's table; the 20,000-document
figures are in docs/reliability.md)."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from reliability_helpers import cli, make_inputs, run_child


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("budget")
    args, _expected = make_inputs(folder / "in", records=60)
    done = run_child("add", *args, "--home", str(folder / "home"))
    assert done.returncode == 0, done.stderr
    return str(folder / "home")


def one_line(result: object, code: int, *parts: str) -> str:
    err = result.stderr  # type: ignore[attr-defined]
    assert result.exit_code == code, err  # type: ignore[attr-defined]
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    assert "damaged" not in err and "internal error" not in err, err
    for part in parts:
        assert part in lines[0], err
    return lines[0]


@pytest.mark.parametrize(
    "query", ["*e* *a*", " ".join(f"*{c}*" for c in string.ascii_lowercase), "s* t* a*"]
)
def test_too_broad_patterns_are_refused_naming_the_pattern(
    home: str, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """89 documents hold too few words for 1024; the cap is lowered to 100 to show it."""
    from statements.index import budget

    monkeypatch.setattr(budget, "MAX_TERMS", 100)
    line = one_line(cli("search", query, "--home", home), 2, "matches more than 100")
    assert any(f"'{p}'" in line for p in query.split())


def test_a_narrow_pattern_and_a_long_or_are_searched(home: str) -> None:
    for query in ("secur*", "*cur*", " OR ".join([f"w{n}" for n in range(990)] + ["security"])):
        result = cli("search", query, "--format", "json", "--home", home)
        assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
        assert json.loads(result.stdout)["total"] > 0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("query", "depth"),
    [
        ("(" * 300 + "security" + ")" * 300, 300),
        ("NOT " * 5000 + "security", 5000),
        ("x " + "-(" * 3000 + "security", 6000),
        ("(" * 70 + "security", 70),
    ],
)
def test_too_deep_nesting_is_a_usage_error(home: str, query: str, depth: int) -> None:
    one_line(cli("search", query, "--home", home), 2, f"nests {depth} levels deep")


def test_nesting_within_the_limit_is_searched(home: str) -> None:
    query = "(" * 60 + "security" + ")" * 60
    result = cli("search", query, "--format", "json", "--home", home)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    plain = cli("search", "security", "--format", "json", "--home", home)
    assert json.loads(result.stdout)["total"] == json.loads(plain.stdout)["total"]  # type: ignore[attr-defined]


def test_a_search_past_its_time_budget_is_stopped_with_one_line(
    home: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATEMENTS_SEARCH_SECONDS", "0.001")
    one_line(
        cli("search", "security OR peace", "--facet", "speaker", "--home", home),
        1,
        "stopped after 0.001 s",
    )
    monkeypatch.setenv("STATEMENTS_SEARCH_SECONDS", "10")
    assert cli("search", "security", "--home", home).exit_code == 0  # type: ignore[attr-defined]


def test_the_budget_leaves_no_timer_behind(home: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import signal
    import time

    monkeypatch.setenv("STATEMENTS_SEARCH_SECONDS", "0.2")
    assert cli("search", "security", "--home", home).exit_code == 0  # type: ignore[attr-defined]
    time.sleep(0.3)  # a timer left running would fire here
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert Path(home).is_dir()
