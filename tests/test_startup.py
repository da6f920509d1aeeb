"""Start-up discipline of the `statements` command, checked without timing anything.

Most of a search process is start-up (README, "Where the milliseconds go"), so
the search path must not import what it does not use: the scraper's page
extraction and fetching (trafilatura, lxml, httpx, babel, ...), rapidfuzz, the
other commands' modules. A search runs here in a fresh interpreter exactly as
the console script does (`search.console:main`), and its `sys.modules` is read
at the end. No test here asserts a time: speed lives in bench/startup.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from index_helpers import records_home

from statements.search.console import MODULES, command_name, load

ROOT = Path(__file__).resolve().parent.parent

# Never imported by a search: the page extraction and fetching stack, and the rest.
HEAVY = (
    "trafilatura",
    "lxml",
    "bs4",
    "htmldate",
    "courlan",
    "httpx",
    "httpcore",
    "babel",
    "charset_normalizer",
    "rapidfuzz",
    "platformdirs",
    "defusedxml",
    "dateparser",
    "pydantic",
    "rich",
    "multiprocessing",
    "whoosh.multiproc",
    "whoosh.lang.morph_en",
    "statements.scraper.extract",
    "statements.scraper.network",
    "statements.scraper.people",
    "statements.index.trace",
    "statements.index.watch",
    "statements.index.update",
    "statements.search.cmd_export",
    "statements.search.cmd_extract",
    "statements.search.cmd_sources",
    "statements.search.cmd_speakers",
    "statements.search.cmd_trace",
    "statements.search.cmd_watch",
)

# The console script, run from the checkout; prints the modules loaded at the end.
RUN = """
import atexit, json, sys
def report():  # the modules loaded; a stand-in (index/lazy.py) counts as not loaded
    loaded = [m for m, mod in sys.modules.items() if "__file__" in vars(mod) or "." not in m]
    sys.stderr.write("\\nMODULES " + json.dumps(sorted(loaded)))
atexit.register(report)
sys.argv = ["statements", *sys.argv[1:]]
from statements.search.console import main
main()
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return records_home(tmp_path_factory.mktemp("startup-home"))


def modules_after(*args: str) -> tuple[set[str], str]:
    proc = subprocess.run(
        [sys.executable, "-c", RUN, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stderr.rsplit("MODULES ", 1)[1])), proc.stdout


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_faceted_search_imports_nothing_it_does_not_use(home: Path, fmt: str) -> None:
    loaded, out = modules_after(
        "search", "security", "--facet", "speaker", "--facet", "year",
        "--format", fmt, "--home", str(home),
    )  # fmt: skip
    assert "speaker" in out or "Speakers" in out  # it did search and print
    heavy = sorted(m for m in loaded if m in HEAVY or m.split(".")[0] in HEAVY)
    assert heavy == []


def test_help_still_lists_every_command() -> None:
    _loaded, out = modules_after("--help")
    for name in MODULES:
        assert f"  {name} " in out


def test_each_command_is_registered_by_the_module_named_for_it() -> None:
    from statements.search.app import app

    load()
    found: dict[str, str] = {}
    for info in app.registered_commands:
        callback = info.callback
        assert info.name is not None and callback is not None
        found[info.name] = callback.__module__
    for group in app.registered_groups:
        instance = group.typer_instance
        assert instance is not None and instance.info.name
        module = instance.registered_commands[0].callback.__module__  # type: ignore[union-attr]
        found[str(instance.info.name)] = module
    assert found == MODULES


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["search", "x"], "search"),
        (["--debug", "add", "f.jsonl"], "add"),
        (["--trust-home", "--debug", "watch", "list"], "watch"),
        (["--help"], None),
        ([], None),
    ],
)
def test_the_command_is_found_after_the_global_options(args: list[str], name: str | None) -> None:
    assert command_name(args) == name


def _fresh(code: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_the_deferred_english_morphology_loads_when_used() -> None:
    out = _fresh(
        "import sys\n"
        "from statements.index.lazy import defer_morph_en\n"
        "defer_morph_en()\n"
        "import whoosh.query\n"
        "print('__file__' in vars(sys.modules['whoosh.lang.morph_en']))\n"
        "from whoosh.lang.morph_en import variations\n"
        "print(sorted(variations('rendering'))[:3])\n"
        "print('__file__' in vars(sys.modules['whoosh.lang.morph_en']))\n"
    )
    assert out.splitlines() == ["False", "['render', 'rendering', 'renderinged']", "True"]


def test_the_multiprocessing_writer_still_loads_through_the_restricted_unpickler() -> None:
    out = _fresh(
        "import sys\n"
        "from statements.index import unpickle\n"
        "unpickle.install()\n"
        "print('whoosh.multiproc' in sys.modules)\n"
        "import whoosh.multiproc\n"
        "print(isinstance(whoosh.multiproc.pickle, unpickle._PickleModule))\n"
    )
    assert out.splitlines() == ["False", "True"]
