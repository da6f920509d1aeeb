"""Speaker names as the index stores them: canonical, then lowercased.

The canonical form comes from `scraper.people.person.canonical_name` (aliases,
transliterations, "Lavrov" -> "Sergey Lavrov"), with the alias table this user's
files make (`install_aliases`). Lowercasing makes filters case-insensitive.

Also here: which alias table an index generation was built with (so that a
changed `aliases.tsv` can say "run `statements reindex`"), and the listing of
every speaker with its aliases and the likely duplicates (`statements speakers`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from statements.index.home import ALIAS_STAMP, user_alias_files
from statements.index.schema import norm_key

if TYPE_CHECKING:
    from statements.scraper.people.aliases import AliasTable


def install_aliases() -> AliasTable:
    """The alias table names are folded with, installed into the scraper once per process.

    The shipped table, then the user's files (`home.user_alias_files`); the user's
    `office_holders.tsv` beside the first of those files that has one goes with it.
    The scraper does not know the data home, so the index installs these before it
    extracts a page or folds a name. A table already installed (a caller's own,
    through `set_default_aliases`) is kept.
    """
    from statements.scraper.people import aliases, offices

    table = aliases.installed_aliases()
    if table is None:
        files = user_alias_files()
        table = aliases.load_aliases(*files)
        beside = [f.with_name("office_holders.tsv") for f in files]
        offices.set_holder_files(*[h for h in beside if h.is_file()][:1])
        aliases.set_default_aliases(table)
    return table


def canonical(name: str, language: str | None = None) -> str:
    """The canonical display form of a speaker name (the name itself if unknown)."""
    return _canonical(name, language, id(install_aliases()))


@lru_cache(maxsize=50_000)
def _canonical(name: str, language: str | None, _table: int) -> str:
    """`canonical`, cached per alias table (a reloaded table is a new key)."""
    from statements.scraper.people.person import canonical_name

    return canonical_name(name, language) or " ".join(name.split())


def speaker_key(name: str, language: str | None = None) -> str:
    """The indexed key of a speaker: canonical name, lowercased."""
    return norm_key(canonical(name, language))


# ---- the alias table the index was built with -------------------------------------------


def alias_fingerprint() -> str:
    """A digest of every alias file in use (shipped table, user files): what it says,
    not when it was touched, so re-saving an unchanged file needs no reindex."""
    import hashlib

    from statements.scraper.people.aliases import SHIPPED_ALIASES

    digest = hashlib.sha256()
    for path in [SHIPPED_ALIASES, *user_alias_files()]:
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    return digest.hexdigest()


def stamp_aliases(generation: Path) -> None:
    """Record in a new generation which alias table its names were folded with."""
    (generation / ALIAS_STAMP).write_text(alias_fingerprint() + "\n", encoding="utf-8")


def aliases_changed(generation: Path | None) -> bool:
    """True when the alias files differ from those the index was built with (then only
    `statements reindex` folds the stored names again). An index older than the stamp
    says nothing."""
    if generation is None:
        return False
    try:
        stamp = (generation / ALIAS_STAMP).read_text(encoding="utf-8").strip()
    except OSError:
        return False
    return stamp != alias_fingerprint()


# ---- every speaker, and the names that look like one person -----------------------------


@dataclass
class SpeakerEntry:
    """One speaker value of the index."""

    name: str
    documents: int
    said_by: int = 0  # documents where a turn of theirs matched (all documents for '*')
    aliases: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Duplicate:
    """Two speaker values that are likely one person, and the alias row that merges them."""

    keep: str
    merge: str
    reason: str  # "short form", "word order", "spelling"

    @property
    def alias_row(self) -> str:
        return f"{self.keep}\t{self.merge}"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "alias_row": self.alias_row}


def speaker_entries(counts: list[tuple[str, int]], said: dict[str, int]) -> list[SpeakerEntry]:
    """Entries for the speaker facet's (name, documents) rows, with the table's aliases."""
    table = install_aliases()
    return [
        SpeakerEntry(name, n, said.get(name, 0), table.aliases_of(name))
        for name, n in counts
        if name != "(none)"
    ]


def likely_duplicates(entries: list[SpeakerEntry]) -> list[Duplicate]:
    """Pairs of speaker values that look like one person: a short form of a longer name
    with the same surname ("Jerome Powell" / "Jerome H. Powell"), the same words in
    another order ("Hayashi Yoshimasa" / "Yoshimasa Hayashi"), or a spelling one or two
    edits away ("Eva-Marie Liimets" / "Eva-Maria Liimets"). Names whose middle initials
    differ are different people and never paired ("George H. W. Bush" / "George W.
    Bush"). The name kept is the one with more documents, then the longer one."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    from statements.scraper.people.document_names import fits, tokens

    names = [e.name for e in entries]
    docs = {e.name: e.documents for e in entries}
    keys = [" ".join(tokens(n)) for n in names]
    out: list[Duplicate] = []
    seen: set[frozenset[str]] = set()

    def pair(a: str, b: str, reason: str) -> None:
        if a == b or frozenset((a, b)) in seen:
            return
        seen.add(frozenset((a, b)))
        keep, merge = sorted((a, b), key=lambda n: (-docs[n], -len(n), n))
        out.append(Duplicate(keep, merge, reason))

    by_words: dict[tuple[str, ...], list[str]] = {}
    by_surname: dict[str, list[int]] = {}
    for i, (name, key) in enumerate(zip(names, keys, strict=True)):
        words = key.split()
        by_words.setdefault(tuple(sorted(words)), []).append(name)
        for w in {words[0], words[-1]} if words else ():
            by_surname.setdefault(w, []).append(i)
    for group in by_words.values():
        for other in group[1:]:
            same = " ".join(tokens(other)) == " ".join(tokens(group[0]))
            pair(group[0], other, "spelling" if same else "word order")
    for members in by_surname.values():
        for i in members:
            for j in members:
                if i != j and fits(names[i], names[j]):
                    pair(names[i], names[j], "short form")
    long = [k if len(k) >= 8 else "" for k in keys]
    for i, key in enumerate(long):
        if not key:
            continue
        for _match, distance, j in process.extract(
            key, long, scorer=OSA.distance, score_cutoff=2, limit=None
        ):
            if j > i and 0 < distance <= (1 if len(key) < 12 else 2):
                a, b = names[i], names[j]
                if _initials(a) == _initials(b):
                    pair(a, b, "spelling")
    return out


def _initials(name: str) -> list[str]:
    from statements.scraper.people.document_names import tokens

    return [t for t in tokens(name) if t.endswith(".")]
