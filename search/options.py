"""Typer options shared by the commands that take search filters (trace, watch add).

One definition per filter, so that a filter reads and helps the same way in
every command that has it.
"""

from __future__ import annotations

from typing import Any

import typer


def speaker(help: str = "Only documents by this speaker (repeatable; aliases work).") -> Any:
    return typer.Option([], "--speaker", metavar="NAME", help=help)


def since() -> Any:
    return typer.Option(
        None, "--since", metavar="DATE", help="From this date: YYYY, YYYY-MM or YYYY-MM-DD."
    )


def until() -> Any:
    return typer.Option(
        None, "--until", metavar="DATE", help="Up to this date: YYYY, YYYY-MM or YYYY-MM-DD."
    )


def source() -> Any:
    return typer.Option(
        [], "--source", metavar="SOURCE", help="Only from this publisher (repeatable)."
    )


def doc_type() -> Any:
    return typer.Option([], "--type", metavar="TYPE", help="Only this document type (repeatable).")


def lang() -> Any:
    return typer.Option(
        [], "--lang", metavar="LANG", help="Only this language, e.g. en, ru (repeatable)."
    )
