"""The TSV tables of people that ship in scraper/data/ and that users extend.

`aliases.tsv`, `office_holders.tsv` and `publisher_countries.tsv` share one shape:
UTF-8 text (a byte-order mark is ignored), one row a line, fields separated by one
tab, blank lines and `#` comments skipped. A file that cannot be read, or a row
with the wrong number of fields, is a `UsageError` naming the file and the line.
"""

from __future__ import annotations

from pathlib import Path

from statements.scraper.errors import UsageError


def read_rows(
    path: Path,
    width: int,
    *,
    what: str = "",
    fix: str = "fix or remove it",
    fields: str = "",
    parts: str = "the fields",
) -> list[list[str]]:
    """The rows of `path`, each `width` stripped, non-empty fields.

    The messages name the file as `what` ("alias file") and the expected row as
    `fields` (default "<width> tab-separated fields"); `fix` is the hint when the
    file cannot be read, `parts` what one tab character must separate.
    """
    name = f"{what} {path}" if what else str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}", fix) from None
    except UnicodeDecodeError:
        raise UsageError(f"{name} is not UTF-8 text", "save it as UTF-8") from None
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = [p.strip() for p in line.split("\t")]
        if len(row) != width or not all(row):
            raise UsageError(
                f"{path} line {n}: expected {fields or f'{width} tab-separated fields'}, "
                f"got {line!r}",
                f"separate {parts} with one tab character",
            )
        rows.append(row)
    return rows
