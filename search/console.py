"""The `statements` console script: start only what the command asked for needs.

Most of a `statements search` process is start-up, not searching (README,
"Where the milliseconds go"). Three costs here are not the command's own:

- Every command module, and Typer's conversion of every command's options to
  Click: a faceted search spends about 11 ms less CPU without the six modules
  it does not use (25 runs interleaved). `main()` imports only the module that
  defines the command named on the command line; help, completion and
  anything it does not recognise load them all, as `search.cli` does.
- Python's cyclic garbage collector. Start-up makes tens of thousands of
  objects (modules, classes, functions, the facet table) that all live to the
  end, and the collector, run every 700 new ones, kept walking them: about 11 ms
  CPU of a faceted search, for a few hundred objects freed. A young generation
  of 100,000 lets a search finish before its first collection; longer commands
  still collect, in fewer and larger passes (peak memory of a 2,000-document
  `add` unchanged, 166 MB).
- Tearing the interpreter down collects every object the run made several
  times over: about 20 ms. `gc.freeze()` once the command is done moves them
  out of the collector's sight; they are freed with the process as before, and
  exit handlers, flushes and closes all still run.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys

# The module that registers each top-level command (a test checks it against the app).
MODULES = {
    "add": "statements.search.cmd_add",
    "remove": "statements.search.cmd_add",
    "reindex": "statements.search.cmd_add",
    "search": "statements.search.cmd_search",
    "show": "statements.search.cmd_show",
    "stats": "statements.search.cmd_show",
    "export": "statements.search.cmd_export",
    "extract": "statements.search.cmd_extract",
    "update": "statements.search.cmd_sources",
    "sources": "statements.search.cmd_sources",
    "speakers": "statements.search.cmd_speakers",
    "trace": "statements.search.cmd_trace",
    "watch": "statements.search.cmd_watch",
}


def load(name: str | None = None) -> None:
    """Register the command `name` with the app, or every command when name is None."""
    wanted = {MODULES[name]} if name in MODULES else set(MODULES.values())
    for module in sorted(wanted):
        importlib.import_module(module)


def command_name(args: list[str]) -> str | None:
    """The command named in `args`: the first word that is not an option (the global
    options, --debug and --trust-home, take no value). None for completion requests."""
    if os.environ.get("_STATEMENTS_COMPLETE"):
        return None
    return next((a for a in args if not a.startswith("-")), None)


def main() -> None:
    _young, *older = gc.get_threshold()
    gc.set_threshold(100_000, *older)
    try:
        load(command_name(sys.argv[1:]))
        from statements.search.app import app
    except KeyboardInterrupt:  # Ctrl-C while the command is still starting: no traceback
        raise SystemExit(130) from None
    try:
        app()
    finally:
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    main()
