"""Speaker names as the index stores them: canonical, then lowercased.

The canonical form comes from `scraper.speakers.canonical_name` (aliases,
transliterations, "Lavrov" -> "Sergey Lavrov"); until that module is present
a name is used as written. Lowercasing makes filters case-insensitive.
"""

from __future__ import annotations

from functools import lru_cache

from index.schema import norm_key


@lru_cache(maxsize=50_000)
def canonical(name: str, language: str | None = None) -> str:
    """The canonical display form of a speaker name (the name itself if unknown)."""
    try:
        from scraper.speakers import canonical_name
    except ImportError:
        return " ".join(name.split())
    try:
        resolved = canonical_name(name, language)
    except TypeError:  # an older signature without the language
        resolved = canonical_name(name)
    return resolved or " ".join(name.split())


def speaker_key(name: str, language: str | None = None) -> str:
    """The indexed key of a speaker: canonical name, lowercased."""
    return norm_key(canonical(name, language))
