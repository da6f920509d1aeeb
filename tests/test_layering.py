"""The layout's promises, checked from the source with `ast` so they stay true.

- Imports point one way, search -> index -> scraper, with no cycle between modules.
- Only index/ imports whoosh, only search/ imports typer (and click, which typer ships),
  only search/tables.py imports tabulate (one module draws every table), only scraper/
  talks to the network (httpx).
- Nothing anywhere imports the folders by bare name (`import index`): they install as
  statements.scraper, statements.index and statements.search, and a bare name would be
  a second copy of each module (or another project's module).
- No file in the three packages is over 500 lines.

Imports inside `if TYPE_CHECKING:` are left out: they never run, and a type may name
the layer that uses it. Imports inside functions count: a lazy import is still an
import, and a cycle through one still ties the two modules together.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("scraper", "index", "search")
LAYER = {"scraper": 0, "index": 1, "search": 2}
# third-party names only one package (or module) may import
OWNED = {
    "whoosh": "statements.index",
    "typer": "statements.search",
    "click": "statements.search",
    "tabulate": "statements.search.tables",
    "httpx": "statements.scraper",
}
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    """Every module of the three packages, by its installed name."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(("statements", *parts))] = path
    return found


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import that runs, relative ones resolved."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            yield name, node.lineno
            for alias in node.names:  # `from statements.index import library` names a module
                if f"{name}.{alias.name}" in MODULES:
                    yield f"{name}.{alias.name}", node.lineno
        stack.extend(ast.iter_child_nodes(node))


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        deps = set()
        for name, _line in _imports(tree, module, path.name == "__init__.py"):
            # the module itself, or the nearest enclosing module we know
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != module and name not in ("statements",):
                deps.add(name)
        graph[module] = deps
    return graph


def _layer(module: str) -> int:
    return LAYER[module.split(".")[1]]


def test_the_module_list_is_complete() -> None:
    # a test that finds nothing passes everything: make sure it sees the packages
    assert "statements.index.library" in MODULES
    assert "statements.scraper.record" in MODULES
    assert "statements.search.console" in MODULES
    assert len(MODULES) > 60


def test_imports_point_one_way() -> None:
    upward = [
        f"{module} imports {dep}"
        for module, deps in _graph().items()
        for dep in sorted(deps)
        if _layer(dep) > _layer(module)
    ]
    assert upward == []


def test_no_import_cycle() -> None:
    graph = _graph()
    # Tarjan's strongly connected components: any component of 2+ modules is a cycle
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for dep in graph[node]:
            if dep not in index:
                visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in on_stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert cycles == []


def _inside(module: str, owner: str) -> bool:
    """True when `module` is the package or module `owner`, or inside it."""
    return module == owner or module.startswith(owner + ".")


def test_third_party_libraries_stay_in_their_layer() -> None:
    strays = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, line in _imports(tree, module, path.name == "__init__.py"):
            owner = OWNED.get(name.split(".")[0])
            if owner is not None and not _inside(module, owner):
                strays.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert strays == []


def test_an_owner_is_a_package_or_one_module() -> None:
    assert _inside("statements.index.search", "statements.index")
    assert _inside("statements.search.tables", "statements.search.tables")
    assert not _inside("statements.search.cmd_trace", "statements.search.tables")
    assert not _inside("statements.search.tables_extra", "statements.search.tables")
    assert not _inside("statements.indexer", "statements.index")


@pytest.mark.parametrize("folder", [*PACKAGES, "tests", "bench"])
def test_no_bare_package_imports(folder: str) -> None:
    bare = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            bare += [
                f"{path.relative_to(ROOT)}:{node.lineno} imports {name}"
                for name in names
                if name.split(".")[0] in PACKAGES
            ]
    assert bare == []


def test_no_module_is_over_500_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in MODULES.values()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_checks_catch_what_they_forbid(tmp_path: Path) -> None:
    """The walker sees function-level imports, skips TYPE_CHECKING ones, resolves
    relative imports: a check that saw none of these would pass anything."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from statements.search.app import app\n"
        "def f():\n"
        "    from statements.search.output import render_table\n"
        "from . import record\n"
    )
    found = [name for name, _ in _imports(ast.parse(source), "statements.scraper.extract", False)]
    assert "statements.search.output" in found
    assert "statements.search.app" not in found
    assert "statements.scraper.record" in found


def test_the_install_claims_one_name() -> None:
    """`python -m statements` is the command, and the folders import only under
    `statements` (run from `/`, so the checkout is not the working directory)."""
    import subprocess
    import sys

    ran = subprocess.run(
        [sys.executable, "-m", "statements", "--help"],
        cwd="/",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    assert "Usage:" in ran.stdout and "search" in ran.stdout
    for bare in PACKAGES:
        found = subprocess.run(
            [sys.executable, "-c", f"import {bare}"],
            cwd="/",
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert found.returncode != 0 and "ModuleNotFoundError" in found.stderr, bare
