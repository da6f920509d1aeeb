"""Shared fixtures and helpers: the trimmed real pages kept in tests/pages, the one
way to run the `statements` command in-process, and a data home holding the records."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from click.testing import Result

TESTS = Path(__file__).parent
PAGES = TESTS / "pages"
SHARED = TESTS.parent.parent / "shared"
RECORDS = TESTS / "data" / "records.jsonl"


@pytest.fixture
def pages_dir() -> Path:
    return PAGES


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """`statements ARGS...` in this process (Typer's CliRunner): exit code, stdout, stderr."""
    from typer.testing import CliRunner

    from statements.search.cli import app

    return CliRunner().invoke(app, list(args), env=env)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A data home holding tests/data/records.jsonl, added through the command line
    (once per test module)."""
    path = tmp_path_factory.mktemp("records-home")
    result = run("add", str(RECORDS), "--home", str(path))
    assert result.exit_code == 0, result.stderr
    return str(path)
