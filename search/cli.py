"""The app with every command registered: `from statements.search.cli import app`.

Each group of commands lives in its own module (`cmd_*.py`); importing them
registers them with the app. The console script is `search.console:main`,
which imports only the module of the command it runs. Heavy libraries
(whoosh, trafilatura) are imported inside the commands so that
`statements --help` stays fast.
"""

from __future__ import annotations

try:
    from statements.search.app import app
    from statements.search.console import load

    load()  # every command
except KeyboardInterrupt:  # Ctrl-C while the command is still starting: no traceback
    raise SystemExit(130) from None

__all__ = ["app"]

if __name__ == "__main__":  # pragma: no cover
    from statements.search.console import main

    main()
