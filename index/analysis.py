"""Text analysis: the words a text is indexed by, and the stems a query meets them by.

The text fields index every word exactly as written (lowercased, stop words
and one-letter words included, nothing stemmed), so a phrase matches the
exact words in their order: `"will not"`, `"not acceptable"`, `"is not"`.
Stemming happens at query time: a plain word is expanded to the indexed
words with the same stem (`sanctions` -> sanction, sanctioned, sanctions),
scored as one term (index.ranking), as Lucene's SynonymQuery scores them.
`=word` or `--exact` skips the expansion.

Words: runs of letters and digits, joined by `.` (`u.s`) or an apostrophe
(`don't`); curly apostrophes count as straight ones, and a possessive `'s`
is dropped (`Lavrov's` -> `lavrov`), as Lucene's English analyzer does.

The stemmer follows the field's language: English or Russian (both
Snowball). Snowball's Russian stemmer is not idempotent ("лавров" ->
"лавр", but "лаврова" -> "лавров"), so it is applied until the stem stops
changing; then every form of a surname meets at one stem.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

RU = "ru"
WORD = re.compile(r"\w+(?:[.'’]\w+)*", re.UNICODE)
_POSSESSIVE = ("'s", "’s")


def is_russian(language: str | None) -> bool:
    return bool(language) and language.lower().split("-")[0] == RU  # type: ignore[union-attr]


def normal(word: str) -> str:
    """The indexed form of one matched word: lowercased, apostrophes straight, no `'s`."""
    word = word.lower()
    if "’" in word:
        word = word.replace("’", "'")
    if word.endswith("'s") and len(word) > 2:
        word = word[:-2]
    return word


def words(text: str) -> list[str]:
    """The indexed words of `text`, in order (`normal` only where an apostrophe is:
    the copy key of every body is taken from these, so the common case is kept short)."""
    out = []
    for w in WORD.findall(text):
        w = w.lower()
        out.append(normal(w) if "'" in w or "’" in w else w)
    return out


@lru_cache(maxsize=200_000)
def stem_en(word: str) -> str:
    """English Snowball ("Porter2"), Whoosh's own copy: better than the original
    Porter on all four test collections (nDCG@10 +0.000 to +0.009, docs/search.md)."""
    return _en_stemmer()(word)


@lru_cache(maxsize=1)
def _en_stemmer() -> Any:
    from whoosh.lang.snowball.english import EnglishStemmer

    return EnglishStemmer().stem


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


def stemmer(lang: str) -> Callable[[str], str]:
    """The stemming function of a field language ("en" or "ru")."""
    return stem_ru if lang == RU else stem_en


def stem_prefix(stem: str) -> str:
    """A prefix shared by every word that stems to `stem`.

    Stemmers strip suffixes, and Snowball turns a final y into i ("happi") or
    "-bility" into "-bl", so a stem minus its last letter starts every word it
    comes from (but for Snowball's handful of irregular forms, `dying` -> `die`,
    which are then found as typed only); the words of a stem are found by one prefix range of the
    term dictionary, each candidate stemmed to check. A stem of one or two
    letters (`eu`, `uk`) is its own prefix: one letter would scan a
    twenty-sixth of the dictionary.
    """
    return stem[:-1] if len(stem) > 2 else stem


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English and Russian stop words (Whoosh's list and the Snowball/NLTK lists it
    ships): left out of a plain-word query that has other words. They are still
    indexed, for phrases and for queries of stop words only. The longer English
    list scored better on all four test collections than Whoosh's 34 words
    (nDCG@10 +0.004 to +0.013; docs/search.md)."""
    from whoosh.analysis import STOP_WORDS
    from whoosh.lang import stopwords_for_language

    return (
        frozenset(STOP_WORDS)
        | frozenset(stopwords_for_language("en"))
        | frozenset(stopwords_for_language(RU))
    )


def copy_key(text: str) -> tuple[str, int]:
    """A key shared by republished copies of one statement, and the body's word count.

    The key is a hash of the body's lowercased words, so case, punctuation,
    whitespace and typography differences between publishers vanish; a
    republisher's banner is stripped by the extractor before the key is taken.
    """
    import hashlib

    found = words(text)
    joined = " ".join(found)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:24], len(found)
