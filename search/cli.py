"""Entry point of the `statements` command: the app with every command registered.

Each group of commands lives in its own module (`cmd_*.py`); importing them
here registers them with the app. Heavy libraries (whoosh, trafilatura) are
imported inside the commands so that `statements --help` stays fast.
"""

from __future__ import annotations

try:
    from search import (  # noqa: F401  (registers the commands)
        cmd_export,
        cmd_extract,
        cmd_index,
        cmd_sources,
        cmd_speakers,
        cmd_trace,
        cmd_watch,
    )
    from search.app import app
except KeyboardInterrupt:  # Ctrl-C while the command is still starting: no traceback
    raise SystemExit(130) from None

__all__ = ["app"]

if __name__ == "__main__":  # pragma: no cover
    app()
