"""Two Whoosh modules a search never runs, kept out of its start-up (bench/startup.py).

- `whoosh.lang.morph_en` compiles some thousand English inflection rules into
  regular expressions when it is imported (about 9 ms CPU), and whoosh.query
  imports it for one query class, `Variations`, that statements never builds.
  `defer_morph_en()` puts a stand-in in its place whose attributes load the real
  module on first use, so anything that does use it gets the real thing.
- `whoosh.multiproc`, the multiprocessing writer (about 6 ms with multiprocessing),
  is only imported by Whoosh when a writer with worker processes is made; but its
  pickles must go through the restricted unpickler (index/unpickle.py).
  `after_import()` runs a callback when a module is first imported, so that
  patch is made then, instead of importing the module up front to patch it.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from importlib.machinery import ModuleSpec, PathFinder
from typing import Any

MORPH_EN = "whoosh.lang.morph_en"

_hooks: dict[str, list[Callable[[types.ModuleType], None]]] = {}


class _AfterImport:
    """A meta path finder for the modules in `_hooks`: the usual spec, with a loader
    whose `exec_module` runs the callbacks once the module's code has run."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if name not in _hooks:
            return None
        spec = PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        run_code = spec.loader.exec_module  # type: ignore[attr-defined]

        def exec_module(module: types.ModuleType) -> None:
            run_code(module)
            for callback in _hooks.pop(name, ()):
                callback(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]  # this spec's own loader
        return spec


_finder = _AfterImport()


def after_import(name: str, callback: Callable[[types.ModuleType], None]) -> None:
    """Call `callback(module)` now if `name` is imported, else right after its import."""
    module = sys.modules.get(name)
    if module is not None:
        callback(module)
        return
    _hooks.setdefault(name, []).append(callback)
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)


def defer_morph_en() -> None:
    """Stand in for whoosh.lang.morph_en until something reads from it (idempotent)."""
    if MORPH_EN in sys.modules:
        return
    stand_in = types.ModuleType(MORPH_EN, "Loads whoosh.lang.morph_en on first use.")

    def real() -> types.ModuleType:
        module = sys.modules.get(MORPH_EN)
        if module is None or module is stand_in:
            import whoosh.lang

            spec = PathFinder.find_spec(MORPH_EN, whoosh.lang.__path__)
            if spec is None or spec.loader is None:
                raise ImportError(f"no module named {MORPH_EN}")
            module = types.ModuleType(MORPH_EN)
            module.__spec__, module.__file__ = spec, spec.origin
            module.__loader__ = spec.loader
            sys.modules[MORPH_EN] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                sys.modules[MORPH_EN] = stand_in
                raise
        return module

    def variations(word: str) -> Any:
        return real().variations(word)

    def __getattr__(attr: str) -> Any:
        if attr.startswith("__"):  # tools that walk sys.modules (inspect) ask for these
            raise AttributeError(attr)
        return getattr(real(), attr)

    stand_in.variations = variations  # type: ignore[attr-defined]  # what whoosh.query takes
    stand_in.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules[MORPH_EN] = stand_in
