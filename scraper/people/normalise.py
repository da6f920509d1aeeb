"""The words of a printed name: cleaned, compared, classified, put back together.

Pages print one person as "С.В.Лавров", "с. в. лавров", "SECRETARY BLINKEN:" or
"Sheikh Tamim bin Hamad Al Thani (as translated)". Everything that reads names
(the person parser, titles, turn labels, the alias table) compares and classifies
their words the same way, through the functions here: `key` makes the lookup key
(case, accents, dots and spacing do not matter), `word` the vocabulary form of a
token, and the `is_*` tests say what a token is (an initial, a particle such as
"bin" or "von", a word of a name, a post or body word).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from statements.scraper.people.vocabulary import (
    BODY_ACRONYMS,
    HONORIFICS,
    ORGANISATION_WORDS,
    PARTICLES,
    POSITIONS,
    RANK_ABBREVIATIONS,
)

#: Soft hyphens, zero-width spaces and joiners, word joiners, byte-order marks.
INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
#: Any run of spaces, including no-break and thin spaces.
SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")

_PAREN = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")
_INITIAL_GLUE = re.compile(r"(?<![^\W\d_])([^\W\d_])\.(?=[^\W\d_])")
_INITIAL = re.compile(r"^[^\W\d_]{1,2}\.$|^[^\W\d_]$")
_PATRONYMIC = re.compile(r"(?:вич|вна|ична|инична|ич|оглы|кызы)$")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_APOS = re.compile(r"[’ʼ`]")
_CONTRACTION = re.compile(r"['’](?:m|s|re|ll|ve|d)$", re.I)
_ROMAN = re.compile(r"^(?:II|III|IV|VI|VII|VIII)$")
_SUFFIX = re.compile(r"^(?:Jr|Sr|II|III|IV)\.?,?$")


def clean(raw: str) -> str:
    """Whitespace, invisible characters, label colon and bracketed qualifiers removed."""
    s = INVISIBLE.sub("", raw)
    s = SPACES.sub(" ", s).strip()
    s = s.rstrip(":").strip()
    s = _PAREN.sub("", s).strip()
    return s.strip(" ,;:-–—")


@lru_cache(maxsize=65536)
def key(name: str) -> str:
    """Lookup key: case, accents, dots and spacing do not matter ("С.В.Лавров")."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _APOS.sub("'", s).casefold()
    s = re.sub(r"[.\s,]+", " ", s)
    return s.strip()


def word(token: str) -> str:
    """A token as the vocabularies hold it: case-folded, without dots or edge punctuation."""
    return token.casefold().replace(".", "").strip(",;:'’")


def space_initials(s: str) -> str:
    """ "С.В.Лавров" -> "С. В. Лавров": a space after each initial's dot."""
    return _INITIAL_GLUE.sub(r"\1. ", s)


def has_cyrillic(s: str) -> bool:
    return bool(_CYRILLIC.search(s))


def is_patronymic(token: str) -> bool:
    """ "Викторович", "Александровна": the middle part of a full Russian name."""
    return bool(_PATRONYMIC.search(token.lower()))


def is_initial(token: str) -> bool:
    return bool(_INITIAL.match(token)) and token[:1].isupper()


def is_particle(token: str) -> bool:
    return word(token) in PARTICLES.words


def is_name_suffix(token: str) -> bool:
    """ "Jr.", "Sr", "III": the generation after a name."""
    return bool(_SUFFIX.match(token))


def titlecase(token: str) -> str:
    """ "BLINKEN" -> "Blinken", "JEAN-PIERRE" -> "Jean-Pierre", "MCKEON" -> "Mckeon"."""
    parts = []
    for p in token.split("-"):
        p = p[:1].upper() + p[1:].lower()
        if p.startswith("Mc") and len(p) > 2:
            p = "Mc" + p[2:].capitalize()  # "MCCABE" -> "McCabe"
        parts.append(p)
    return "-".join(parts)


def decap(s: str) -> str:
    """Title-case tokens written in capitals (labels, "ЛАВРОВ Сергей"); keep initials."""
    out = []
    for tok in s.split(" "):
        letters = [c for c in tok if c.isalpha()]
        if (
            len(letters) > 1
            and all(c.isupper() for c in letters)
            and "".join(letters).lower() not in BODY_ACRONYMS.words
        ):
            tok = titlecase(tok)
        out.append(tok)
    return " ".join(out)


def is_acronym(token: str) -> bool:
    """ "APNSA", "ISIS", "NSC": capitals inside a mixed-case phrase are bodies or posts."""
    t = token.strip(",.")
    return (
        len(t) >= 2
        and t.isupper()
        and t.isalpha()
        and not _ROMAN.match(t)
        and not (_CYRILLIC.search(t))
    )


def is_title_word(token: str) -> bool:
    """A post, body word, honorific, dotted rank or acronym: not part of a person's name."""
    w = word(token)
    return (
        w in POSITIONS.words
        or w in ORGANISATION_WORDS.words
        or w in HONORIFICS.words
        or (token.endswith(".") and w in RANK_ABBREVIATIONS.words)
        or (w in BODY_ACRONYMS.words and (token.isupper() or "." in token))
        or is_acronym(token)
    )


def is_namey(token: str) -> bool:
    """A token that can be part of a personal name."""
    if is_particle(token) or is_initial(token):
        return True
    t = token.strip(",")
    if not t or not t[0].isupper() or _CONTRACTION.search(t):
        return False  # "I’m", "Biden’s"
    return all(c.isalpha() or c in "-'’." for c in t)


def format_name(tokens: list[str]) -> str:
    """Join name tokens, every one kept: a middle initial tells people apart ("George
    H. W. Bush", "George W. Bush"); variants of one person fold through the alias table."""
    s = " ".join(tokens)
    s = space_initials(s)
    return SPACES.sub(" ", s).strip(" ,")


def russian_order(tokens: list[str]) -> list[str]:
    """ "Лавров Сергей Викторович" -> "Сергей Лавров"; "Сергей Викторович Лавров" too."""
    if len(tokens) == 3 and is_patronymic(tokens[2]):
        return [tokens[1], tokens[0]]
    if len(tokens) == 3 and is_patronymic(tokens[1]):
        return [tokens[0], tokens[2]]
    return tokens
