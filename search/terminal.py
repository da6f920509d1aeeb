"""The terminal facts every command asks for, in one object (httpie's `Environment`).

Whether stderr is a terminal (a progress bar is drawn only where someone
watches it), whether stdout takes colour, and the one way a message reaches
stderr: page-supplied text in it (titles, file names, URLs from a feed) loses
its escape sequences. Commands make one with `Terminal()` when they run, so
that it sees the streams of that run; they never call `isatty()` themselves.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

import typer

CLEAR_LINE = "\r\x1b[K"


class Terminal:
    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.progress = _isatty(self.err)
        # colour only on a terminal, and never when NO_COLOR is set (no-color.org)
        self.colour = not os.environ.get("NO_COLOR") and _isatty(self.out)
        self._drawn = False

    def say(self, message: str, *, one_line: bool = True) -> None:
        """A message on stderr, page text in it made safe (and kept on one line)."""
        from statements.search.output import safe

        self.clear()
        typer.echo(safe(message, keep_newlines=not one_line), err=True)

    def error(self, what: str, message: str) -> None:
        """`Error: <input>: <why>` for one failed input of a batch (the message may name
        the input already)."""
        self.say(f"Error: {message if message.startswith(what) else f'{what}: {message}'}")

    def show(self, label: str, done: int, total: int | None) -> None:
        """The progress bar, redrawn in place (only on a terminal)."""
        if not self.progress:
            return
        from statements.search.output import progress_bar

        self.err.write(CLEAR_LINE + progress_bar(label, done, total))
        self.err.flush()
        self._drawn = True

    def clear(self) -> None:
        """Take the progress bar away before a message or at the end."""
        if self._drawn:
            self.err.write(CLEAR_LINE)
            self._drawn = False


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False
