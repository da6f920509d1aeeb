"""A query that starts with `-` is a query, not an option.

`statements search "-nuclear"` reaches the program as the word `-nuclear`,
which Click reads as the option `-n` with the value `uclear`. Commands that
take a QUERY use `QueryCommand`: before Click parses the arguments, a word
that starts with a single `-` and is not one of the command's options (nor a
short option with its value attached, as in `-n5` or `-fjson`) is moved
behind `--`, where Click takes it as the positional QUERY. Long options
(`--bogus`) are left alone, so a mistyped option is still reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, cast

from typer.core import TyperCommand

if TYPE_CHECKING:
    # Typer's own copy of Click (typer.core types its commands with these too)
    from typer._click import Context, Parameter
    from typer.core import TyperOption


class QueryCommand(TyperCommand):
    """A Typer command whose positional QUERY may start with `-`."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, query_first(self.params, args, ctx))


def query_first(
    params: Sequence[Parameter], args: list[str], ctx: Context | None = None
) -> list[str]:
    """`args` with the query's words (those that are not options or option values)
    joined into one QUERY behind `--`: `search nuclear -weapons` is the query
    "nuclear -weapons", as `search "nuclear -weapons"` is.

    An option that takes a value and is followed by another of the command's
    options (`--home --format json`) is a usage error: Click would take
    `--format` as the folder and the rest of the line would silently mean
    something else."""
    options = {
        name: cast("TyperOption", p)
        for p in params
        if p.param_type_name == "option"
        for name in (*p.opts, *p.secondary_opts)
    }
    kept: list[str] = []
    words: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            words.extend(args[i + 1 :])
            break
        option = options.get(word.split("=", 1)[0] if word.startswith("--") else word)
        if word.startswith("--") or option is not None:
            kept.append(word)  # an unknown --option stays, for Click to report
            if "=" not in word and _takes_value(option) and i + 1 < len(args):
                value = args[i + 1]
                if value in options or value.split("=", 1)[0] in options:
                    import typer

                    raise typer.BadParameter(
                        f"needs a value, got the option {value!r}", ctx=ctx, param=option
                    )
                kept.append(value)
                i += 1
        elif (
            word.startswith("-")
            and word != "-"
            and _attached_value(options.get(word[:2]), word[2:])
        ):
            kept.append(word)  # -n5, -fjson
        else:
            words.append(word)
        i += 1
    return [*kept, "--", " ".join(words)] if words else kept


def _takes_value(option: TyperOption | None) -> bool:
    return option is not None and not option.is_flag and not option.count


def _attached_value(option: TyperOption | None, value: str) -> bool:
    """True when `value` can be a value of the short `option` (the `5` of `-n5`).

    Judged by the option's declared type (Click's converter, or in Typer 0.29 the
    annotation): a number must parse as one and a choice must be one of its
    values; other types take any value, as Click does.
    """
    if not _takes_value(option) or not value:
        return False
    click_type = getattr(option, "type", None)  # Typer up to 0.28: a Click parameter type
    if hasattr(click_type, "convert"):
        try:
            click_type.convert(value, option, None)  # type: ignore[union-attr]
        except Exception:  # Click's BadParameter
            return False
        return True
    kind = getattr(getattr(option, "type_descriptor", None), "annotation", str)  # Typer 0.29
    if isinstance(kind, type) and issubclass(kind, Enum):
        return value in {str(m.value) for m in kind}
    if kind in (int, float):
        try:
            kind(value)
        except ValueError:
            return False
    return True
