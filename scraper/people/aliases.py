"""The alias table: every spelling of a person folds into one canonical name.

Cyrillic and transliteration variants, short forms and typos ("С.В.Лавров",
"Sergei Lavrov", "Blinken") cannot be derived from the words alone, so they are
rows of a TSV file, `canonical name<TAB>alias`: the table that ships in
`scraper/data/aliases.tsv`, then any files the caller names (later rows win).

The scraper does not know where a user keeps their own files: that is the data
home's business (`index.home.user_alias_files`). Whoever knows installs the
table once with `set_default_aliases(load_aliases(*their_files))`; until then,
`default_aliases()` is the shipped table alone.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from statements.scraper.people.normalise import SPACES, key, space_initials
from statements.scraper.people.tables import read_rows

SHIPPED_ALIASES = Path(__file__).parent.parent / "data" / "aliases.tsv"


class AliasTable:
    """Maps any spelling of a person (key-normalised) to one canonical name."""

    def __init__(self) -> None:
        self._map: dict[str, str] = {}
        self._aliases: dict[str, list[str]] = {}
        self.sources: list[Path] = []

    def add(self, canonical: str, alias: str) -> None:
        canonical = SPACES.sub(" ", canonical).strip()
        old = self._map.get(key(alias))
        if old is not None and old != canonical and alias in self._aliases.get(old, []):
            self._aliases[old].remove(alias)  # a later row moved the alias to someone else
        self._map[key(alias)] = canonical
        self._map.setdefault(key(canonical), canonical)
        rows = self._aliases.setdefault(canonical, [])
        if key(alias) != key(canonical) and alias not in rows:
            rows.append(alias)

    def aliases_of(self, canonical: str) -> list[str]:
        """The spellings the table folds into `canonical`, in file order."""
        return list(self._aliases.get(canonical, []))

    def lookup(self, name: str) -> str | None:
        return self._map.get(key(space_initials(name)))

    def __len__(self) -> int:
        return len(self._map)

    def read(self, path: Path) -> None:
        """Add the rows of a TSV file; raises UsageError naming the bad line."""
        for canonical, alias in read_rows(
            path,
            2,
            what="alias file",
            fix="fix the path in STATEMENTS_ALIASES or remove the variable",
            fields="'canonical name<TAB>alias'",
            parts="the two names",
        ):
            self.add(canonical, alias)
        self.sources.append(path)


def load_aliases(*files: Path) -> AliasTable:
    """The shipped table, then each of `files` in order (later rows win)."""
    table = AliasTable()
    table.read(SHIPPED_ALIASES)
    for path in files:
        table.read(Path(path))
    return table


@lru_cache(maxsize=1)
def _shipped() -> AliasTable:
    return load_aliases()


_installed: list[AliasTable] = []  # the table a caller installed, if any


def default_aliases() -> AliasTable:
    """The table used when none is passed: the installed one, else the shipped one."""
    return _installed[0] if _installed else _shipped()


def installed_aliases() -> AliasTable | None:
    """The table a caller installed with `set_default_aliases`, or None."""
    return _installed[0] if _installed else None


def set_default_aliases(table: AliasTable | None) -> None:
    """Install the process-wide table (e.g. the shipped one plus a user's files), or with
    None go back to the shipped table alone."""
    _installed[:] = [table] if table is not None else []
