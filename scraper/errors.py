"""One base exception for everything the user can cause, each with a fix.

Every layer raises a subclass of `StatementsError`; the single boundary of the
command line (`boundary` in `search/app.py`, which every command is registered
through) prints `Error: <message>` on stderr and exits with `exit_code`. A
message names the problem *and* what to do about it.
"""

from __future__ import annotations


class StatementsError(Exception):
    """Base class: a problem the user can fix; never shown as a traceback."""

    exit_code: int = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(StatementsError):
    """Bad arguments or option values (exit 2)."""

    exit_code = 2


class RecordError(StatementsError):
    """A record (e.g. a JSONL line) lacks required fields or has a malformed value."""


class ExtractError(StatementsError):
    """A page could not be turned into a statement (empty, binary, undecodable...)."""


class FetchError(StatementsError):
    """A URL could not be fetched (network, HTTP status, size cap, robots.txt...)."""
