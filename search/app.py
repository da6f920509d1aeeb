"""The Typer application and the one error boundary every command goes through.

Library code raises `StatementsError` subclasses; `command()` registers a
function with the app and turns those into one `Error: ...` line on stderr
and an exit code (httpie keeps its exit codes in an IntEnum too). A traceback
is shown only with `--debug`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from typer.core import TyperGroup

from statements.scraper.errors import StatementsError

if TYPE_CHECKING:
    from typer._click import Context

    from statements.index.library import Library

DEFAULT_WAIT = 10.0  # seconds a writer waits for another one (`--wait`)

F = TypeVar("F", bound=Callable[..., Any])


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


# Click's UsageError, from whichever Click this Typer uses (BadParameter derives from it).
_ClickUsageError: type[Exception] = typer.BadParameter.__base__  # type: ignore[assignment]


class _OneLineUsage(TyperGroup):
    """Usage errors (bad option values, unknown options or commands, missing
    arguments) as one `Error: ...` line and exit 2, instead of Click's three-line
    usage block; `statements` alone still prints the help."""

    def make_context(self, *args: Any, **kwargs: Any) -> Context:
        with _one_line_usage():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Context) -> Any:
        with _one_line_usage():
            return super().invoke(ctx)


@contextlib.contextmanager
def _one_line_usage() -> Iterator[None]:
    try:
        yield
    except _ClickUsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            raise
        ctx = getattr(exc, "ctx", None)
        where = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        raise fail(exc.format_message() + where, ExitStatus.USAGE) from None  # type: ignore[attr-defined]


app = typer.Typer(
    cls=_OneLineUsage,
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
    trust_home: bool = typer.Option(
        False,
        "--trust-home",
        help="Open a data folder owned by another user or writable by others "
        "(or set STATEMENTS_TRUST_HOME=1).",
    ),
) -> None:
    """Search official statements: who said what, and when."""
    from statements.index.home import trust_homes

    if debug:
        _state["debug"] = True
    trust_homes(trust_home)


def fail(message: str, code: int = ExitStatus.ERROR) -> typer.Exit:
    """Print one error line on stderr and return the Exit to raise.

    Messages can quote page-supplied text (a title, a URL from a feed, a file name
    from a folder): escape sequences in them are dropped, and the line stays one line.
    """
    from statements.search.output import safe

    typer.echo(f"Error: {safe(message, keep_newlines=False)}", err=True)
    return typer.Exit(code)


def boundary(func: F) -> F:
    """Wrap a command so every error ends as one `Error:` line and an exit code."""

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
            from statements.index.home import os_problem

            problem = os_problem(exc)  # a full disk or a read-only folder, not a bug
            if problem is not None:
                raise fail(str(problem), problem.exit_code) from None
            raise fail(
                f"internal error: {type(exc).__name__}: {exc} "
                "(rerun with --debug and report the traceback)"
            ) from None

    return wrapper  # type: ignore[return-value]


def command(*args: Any, group: typer.Typer | None = None, **kwargs: Any) -> Callable[[F], F]:
    """Register a command (on `app`, or on a sub-command `group`) inside the error boundary."""

    def decorate(func: F) -> F:
        (group or app).command(*args, **kwargs)(boundary(func))
        return func

    return decorate


def open_library(home: Path | None, wait: float = DEFAULT_WAIT) -> Library:
    """The data home's library (imported here, when a command runs: whoosh is heavy)."""
    from statements.index.library import Library

    return Library(home, wait=wait)
