"""The Typer application and the one error boundary every command goes through.

Library code raises `StatementsError` subclasses; `command()` registers a
function with the app and turns those into one `Error: ...` line on stderr
and an exit code (httpie keeps its exit codes in an IntEnum too). A traceback
is shown only with `--debug`.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import IntEnum
from typing import Any, TypeVar

import typer

from scraper.errors import StatementsError

F = TypeVar("F", bound=Callable[..., Any])


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


app = typer.Typer(
    name="statements",
    help=(
        "Search official statements: who said what, and when.\n\n"
        "Example: statements add pages/ && statements search 'indivisible security' "
        "--facet speaker --facet year"
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_state = {"debug": bool(os.environ.get("STATEMENTS_DEBUG"))}


@app.callback()
def _main(
    debug: bool = typer.Option(
        False, "--debug", help="Show a traceback on errors (for bug reports)."
    ),
) -> None:
    """Search official statements: who said what, and when."""
    if debug:
        _state["debug"] = True


def fail(message: str, code: int = ExitStatus.ERROR) -> typer.Exit:
    """Print one error line on stderr and return the Exit to raise."""
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code)


def command(*args: Any, **kwargs: Any) -> Callable[[F], F]:
    """Register a command wrapped in the error boundary."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*a: Any, **k: Any) -> Any:
            try:
                return func(*a, **k)
            except typer.Exit:
                raise
            except StatementsError as exc:
                if _state["debug"]:
                    raise
                raise fail(str(exc), exc.exit_code) from None
            except KeyboardInterrupt:
                raise fail("interrupted", ExitStatus.INTERRUPTED) from None
            except BrokenPipeError:
                # `statements search ... | head`: the reader went away; not an error.
                try:
                    sys.stdout = open(os.devnull, "w")  # noqa: SIM115
                except OSError:
                    pass
                raise typer.Exit(ExitStatus.OK) from None
            except Exception as exc:
                if _state["debug"]:
                    raise
                raise fail(
                    f"internal error: {type(exc).__name__}: {exc} "
                    "(rerun with --debug and report the traceback)"
                ) from None

        app.command(*args, **kwargs)(wrapper)
        return func

    return decorate
