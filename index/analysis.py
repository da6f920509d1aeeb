"""Text analysis: English and Russian stemming, chosen by the record's language.

Each record's title and body go to the fields of its language's analyzer
(`title`/`body` for English and everything else, `title_ru`/`body_ru` for
Russian); a query is run against both sets, so "security" finds English
documents and "Лавров" finds Russian ones ("Лаврова", "Лаврову").

Snowball's Russian stemmer is not idempotent ("лавров" -> "лавр", but
"лаврова" -> "лавров"), so the Russian stemmer is applied until the stem stops
changing; then every form of a surname meets at one stem.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

RU = "ru"
WORD = re.compile(r"\w+(?:\.\w+)*", re.UNICODE)


def is_russian(language: str | None) -> bool:
    return bool(language) and language.lower().split("-")[0] == RU  # type: ignore[union-attr]


@lru_cache(maxsize=200_000)
def stem_en(word: str) -> str:
    from whoosh.lang.porter import stem

    return stem(word)


@lru_cache(maxsize=200_000)
def stem_ru(word: str) -> str:
    stemmer = _ru_stemmer()
    for _ in range(4):
        shorter = stemmer(word)
        if shorter == word:
            break
        word = shorter
    return word


@lru_cache(maxsize=1)
def _ru_stemmer() -> Any:
    from whoosh.lang import stemmer_for_language

    return stemmer_for_language(RU)


def english_analyzer() -> Any:
    """Words, lowercased, English stop words dropped, Porter stems (cached)."""
    from index.analyzers import english

    return english()


def russian_analyzer() -> Any:
    """Words, lowercased, Russian stop words dropped, fixed-point Snowball stems."""
    from index.analyzers import russian

    return russian()


def plain_analyzer() -> Any:
    """Words lowercased, not stemmed: the vocabulary behind "Did you mean"."""
    from index.analyzers import plain

    return plain()


def words(text: str) -> list[str]:
    """Lowercased words of `text`, as the analyzers tokenize them."""
    return [m.group(0).lower() for m in WORD.finditer(text)]


def copy_key(text: str) -> tuple[str, int]:
    """A key shared by republished copies of one statement, and the body's word count.

    The key is a hash of the body's lowercased words, so case, punctuation,
    whitespace and typography differences between publishers vanish; a
    republisher's banner is stripped by the extractor before the key is taken.
    """
    import hashlib

    found = WORD.findall(text.lower())
    joined = " ".join(found)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:24], len(found)
