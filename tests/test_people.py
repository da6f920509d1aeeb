"""The people package's data and its seams: word lists as data, the alias table the
index installs (the scraper never looks for the user's files), site profiles listed."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run

from statements.index.names import install_aliases
from statements.scraper.people import offices, vocabulary
from statements.scraper.people.aliases import (
    default_aliases,
    installed_aliases,
    load_aliases,
    set_default_aliases,
)
from statements.scraper.people.person import canonical_name

ROOT = Path(__file__).resolve().parent.parent
PAGE = Path(__file__).parent / "pages" / "globalsecurity-lavrov-2025-11-25.txt"


@pytest.fixture(autouse=True)
def _no_user_tables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A data home of this test's own, no alias file named; nothing installed before or after."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.delenv("STATEMENTS_ALIASES", raising=False)
    monkeypatch.setenv("STATEMENTS_HOME", str(home))
    set_default_aliases(None)
    offices.set_holder_files()
    yield home
    set_default_aliases(None)
    offices.set_holder_files()


def test_every_word_list_in_the_data_file_is_read() -> None:
    data = json.loads(vocabulary.VOCABULARIES_FILE.read_text(encoding="utf-8"))
    read = {v.name for v in vars(vocabulary).values() if isinstance(v, vocabulary.Vocabulary)}
    assert read | {"_about", "role labels"} == set(data)
    assert all(v.words for v in vars(vocabulary).values() if isinstance(v, vocabulary.Vocabulary))
    # a list split into languages is read whole
    assert {"minister", "министр", "ministra", "bundeskanzler"} <= vocabulary.POSITIONS.words
    assert vocabulary.ROLE_LABELS["вопрос"] == "question"
    assert vocabulary.ROLE_LABELS["голос из зала"] == "remark"


def test_the_scraper_reads_no_user_file_until_the_index_installs_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    user = tmp_path / "mine.tsv"
    user.write_text("Natalya Menshchikova\tН.Меньщикова\n", encoding="utf-8")
    monkeypatch.setenv("STATEMENTS_ALIASES", str(user))
    assert canonical_name("Н.Меньщикова") == "Н. Меньщикова"  # the shipped table alone
    assert installed_aliases() is None
    table = install_aliases()
    assert installed_aliases() is table is default_aliases()
    assert canonical_name("Н.Меньщикова") == "Natalya Menshchikova"
    assert install_aliases() is table  # once per process


def test_a_table_installed_by_a_caller_is_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    extra = tmp_path / "extra.tsv"
    extra.write_text("Olaf Scholz\tKanzler Scholz\n", encoding="utf-8")
    mine = load_aliases(extra)
    set_default_aliases(mine)
    monkeypatch.setenv("STATEMENTS_ALIASES", str(tmp_path / "missing.tsv"))
    assert install_aliases() is mine  # the missing user file is never read
    assert canonical_name("Kanzler Scholz") == "Olaf Scholz"


def test_office_holders_of_the_data_home_come_with_the_aliases(_no_user_tables: Path) -> None:
    (_no_user_tables / "aliases.tsv").write_text("Jake Sullivan\tJ. Sullivan\n", "utf-8")
    (_no_user_tables / "office_holders.tsv").write_text(
        "xx\tpresident\tAda Example\t2001-01-01\t2009-01-01\n", "utf-8"
    )
    assert offices.holder("president", dt.date(2005, 1, 1), "xx") is None
    install_aliases()
    assert offices.holder("president", dt.date(2005, 1, 1), "xx") == "Ada Example"
    assert offices.holder("president", dt.date(2005, 1, 1), "us") == "George W. Bush"


def test_statements_extract_folds_names_with_the_users_aliases(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    user = tmp_path / "mine.tsv"
    user.write_text("S. V. Lavrov (MFA)\tSergey Lavrov\n", encoding="utf-8")
    monkeypatch.setenv("STATEMENTS_ALIASES", str(user))
    result = run("extract", str(PAGE), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["speakers"] == ["S. V. Lavrov (MFA)"]


def test_the_scraper_does_not_know_the_data_home() -> None:
    for path in (ROOT / "scraper").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "STATEMENTS_HOME" not in text, path
        assert "platformdirs" not in text, path


def test_every_site_module_is_listed_and_the_package_imports_nothing() -> None:
    from statements.scraper.sites.registry import PROFILES

    sites = ROOT / "scraper" / "sites"
    init = ast.parse((sites / "__init__.py").read_text(encoding="utf-8"))
    assert not [n for n in ast.walk(init) if isinstance(n, ast.Import | ast.ImportFrom)]
    defined = {
        p.stem for p in sites.glob("*.py") if "\nPROFILE = " in p.read_text(encoding="utf-8")
    }
    for stem in defined:
        module = importlib.import_module(f"statements.scraper.sites.{stem}")
        assert module.PROFILE in PROFILES, f"{stem}.PROFILE is not listed in sites/registry.py"
    assert len(PROFILES) == len(defined)
