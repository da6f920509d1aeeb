"""One printed phrase, "Title [of Org] Name [of Country]", as a canonical person.

Official pages name people in many shapes: "Foreign Minister Sergey Lavrov",
"SECRETARY BLINKEN", "С.В.Лавров", "Лавров Сергей Викторович", "Prime Minister
John Major". A facet on speakers is only useful if all of these fold into one
name, so everything here ends in `canonical_name`: titles and honorifics are
stripped by vocabulary (`people.vocabulary`, not special cases), and the alias
table (`people.aliases`) folds Cyrillic and transliteration variants.

English titles put the position before the name ("Title [of Org] Name", or
"Title Name of Country"); the parser finds the last position/connector word
and keeps the name after it, so new positions only need a word in a list.
Voices that are nobody in particular ("Q", "Реплика", "Senior Administration
Official") and offices ("Office of the Spokesperson") are no person at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from statements.scraper.people.aliases import AliasTable, default_aliases
from statements.scraper.people.normalise import (
    clean,
    decap,
    format_name,
    has_cyrillic,
    is_acronym,
    is_initial,
    is_name_suffix,
    is_namey,
    is_particle,
    is_patronymic,
    is_title_word,
    key,
    russian_order,
    space_initials,
    titlecase,
    word,
)
from statements.scraper.people.vocabulary import (
    CONNECTORS,
    HEAD_POSITIONS,
    HONORIFICS,
    NOT_NAMES,
    PEERAGE,
    PERSON_TITLES,
    POSITIONS,
    POST_NOMINALS,
    ROLE_LABELS,
    SURNAME_POSTS,
    TITLE_VERBS,
)

_ANONYMOUS = re.compile(
    r"^(?:a\s+)?(?:senior|administration|state\s+department|u\s?s\s+)[\w\s-]*?\bofficials?\b"
    r"|^\w*\s*aide$|^(?:male|female|unidentified)\b|\bcrew member\b|^audience\b",
    re.I,
)
_OFFICE = re.compile(
    r"^(?:the\s+)?(?:u\.?\s?s\.?\s+|us\s+|united\s+states\s+)?"
    r"(?:office|bureau|department|ministry|embassy|mission|consulate|white\s+house|"
    r"press\s+office|state\s+department|national\s+security\s+council|agency|"
    r"permanent\s+mission|министерство|мид|посольство|пресс-служба|департамент|"
    r"управление|администрация|"
    # bodies in Spanish, Portuguese, French, German and Italian ("Presidencia de la República")
    r"presidencia|presidência|présidence|presidenza|secretaría|ministerio|ministério|"
    r"ministère|ministero|ministerium|bundesministerium|bundesregierung|gobierno|governo|"
    r"gouvernement|embajada|embaixada|ambassade|ambasciata|botschaft|oficina|consulado|"
    r"cancillería)\b",
    re.I,
)
_DOTTED_BODY = re.compile(r"\b(?:U\.S|U\.K|U\.N|E\.U)\.(?=[\s,-]|$)")


class Person(NamedTuple):
    """A parsed person: canonical name and the position words printed before it."""

    name: str
    position: str  # lower-case, e.g. "president", "press secretary", "" if none

    @property
    def titled(self) -> bool:
        """True when a real position or honorific was printed before the name."""
        return any(w in PERSON_TITLES.words or w in HONORIFICS.words for w in self.position.split())


@lru_cache(maxsize=16384)
def role_of(label: str) -> str | None:
    """ "question"/"remark"/"moderator"/"unknown" for voices that are not named persons."""
    s = clean(label)
    k = key(s)
    if k in ROLE_LABELS:
        return ROLE_LABELS[k]
    if _ANONYMOUS.search(k):
        return "unknown"
    return None


def is_office(text: str) -> bool:
    """True for organisations such as "Office of the Spokesperson" (a source, not a person).

    "Department Spokesperson" or "National Security Council Senior Director for
    ..." are positions: a head position word before the first "of"/"for" (or
    at the end) makes the phrase a job title, not a body.
    """
    s = clean(text)
    if not _OFFICE.match(s):
        return False
    toks = s.split(" ")
    head = re.split(r"\s(?:of|for|to)\s", s, maxsplit=1)[0].split(" ")
    if any(word(t) in HEAD_POSITIONS.words for t in head[1:]):
        return False  # "Department Spokesperson"
    if (
        len(toks) > 1
        and word(toks[-1]) in HEAD_POSITIONS.words
        and word(toks[-2])
        not in (
            "the",
            "of",
        )
    ):
        return False  # "U.S. Agency for International Development Deputy Administrator"
    tail = toks[len(head) :]
    # "Office of Monetary Affairs Director Susannah Cooper" is a person with a title
    return not (any(word(t) in HEAD_POSITIONS.words for t in tail) and _has_trailing_name(toks))


def starts_with_office(text: str) -> bool:
    """True when a phrase opens with a body's name ("Bureau of Consular Affairs")."""
    return bool(_OFFICE.match(clean(text)))


_LONG_POSITIONS = sorted(w for w in POSITIONS.words | PERSON_TITLES.words if len(w) >= 7)


@lru_cache(maxsize=8192)
def _misspelt_position(token: str) -> bool:
    """A long word one edit away from a post ("mininster", "secetary", "presdient").

    Only asked of words in the leading run of posts before a name, so a surname
    that looks like a post ("Spieker Smith") is not taken for one elsewhere.
    """
    if len(token) < 7 or not token.isalpha():
        return False
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    return (
        process.extractOne(token, _LONG_POSITIONS, scorer=OSA.distance, score_cutoff=1) is not None
    )


def _has_trailing_name(tokens: list[str]) -> bool:
    return (
        bool(tokens)
        and not is_title_word(tokens[-1])
        and word(tokens[-1]) not in (CONNECTORS.words)
    )


def _trailing_name(run: list[str]) -> list[str]:
    """The personal name at the end of "Org words Given [X.] [bin] Surname"."""
    out = [run[-1]]
    j = len(run) - 2
    need_given = True
    while j >= 0:
        t = run[j]
        if is_particle(t) or is_initial(t):
            out.insert(0, t)
            j -= 1
            if is_particle(t) and j >= 0:
                out.insert(0, run[j])
                j -= 1
                need_given = False
            continue
        if need_given:
            out.insert(0, t)
            j -= 1
            need_given = False
            continue
        break
    return out


def _core_count(tokens: list[str]) -> int:
    return sum(1 for t in tokens if not (is_particle(t) or is_initial(t)))


def _alias_in_run(run: list[str], table: AliasTable) -> str | None:
    """The longest suffix of the run that the alias table knows.

    A suffix never drops an initial: "А.Захарова" is not "Maria Zakharova"
    just because "Захарова" is in the table.
    """
    for i in range(len(run)):
        if i and any(is_initial(t) for t in run[:i]):
            break
        hit = table.lookup(" ".join(run[i:]))
        if hit:
            return hit
    return None


def _alias_prefix(run: list[str], table: AliasTable) -> str | None:
    for i in range(len(run), 0, -1):
        hit = table.lookup(" ".join(run[:i]))
        if hit:
            return hit
    return None


def parse_person(
    phrase: str, *, strict: bool = False, table: AliasTable | None = None
) -> Person | None:
    """Parse "Title [of Org] Name [of Country]" into a canonical `Person`, or None.

    `strict` (used for titles and bylines, where most phrases are not people)
    also rejects untitled single words and long runs of capitalised words that
    the alias table does not know.
    """
    default = default_aliases()
    table = table or default
    if table is not default:
        return _parse(phrase, strict, table)
    if not _cached_for or _cached_for[0] is not default:  # another table was installed
        _parse_cached.cache_clear()
        _cached_for[:] = [default]
    return _parse_cached(phrase, strict)


_cached_for: list[AliasTable] = []  # the default table `_parse_cached` answered with


@lru_cache(maxsize=65536)
def _parse_cached(phrase: str, strict: bool) -> Person | None:
    return _parse(phrase, strict, default_aliases())


def _parse(phrase: str, strict: bool, table: AliasTable) -> Person | None:
    s = clean(phrase)
    if not s or role_of(s) or is_office(s):
        return None
    hit = table.lookup(s)
    if hit:
        return Person(hit, "")
    # "ЛАВРОВ Сергей Викторович – Министр иностранных дел": the name comes first
    if " – " in s or " — " in s:
        left = re.split(r" [–—] ", s, maxsplit=1)[0]
        return _parse(left, strict, table)
    s = _DOTTED_BODY.sub(lambda m: m.group().replace(".", ""), s)  # "U.S." is not initials
    letters = [c for c in s if c.isalpha()]
    if any(c.islower() for c in letters) and not has_cyrillic(s):
        # mixed case: a lone capitalised word is an acronym ("APNSA Jake Sullivan"), a
        # trailing run of them a name in capitals ("CEO of Nokia OLLI-PEKKA KALLASVUO")
        toks = space_initials(s).split(" ")
        k = len(toks)
        while k > 0 and is_acronym(toks[k - 1].replace("-", "")):
            k -= 1
        if len(toks) - k >= 2:
            toks[k:] = [titlecase(t) for t in toks[k:]]
        s = " ".join(toks)
    else:
        s = decap(space_initials(s))
    s = re.sub(r",?\s+(Jr|Sr)\.?$", r" \1.", s)
    tokens = [t.rstrip("’'") for t in s.split(" ") if t.rstrip("’'")]  # "Noyes’ Travel"
    while len(tokens) > 1 and tokens[-1].isupper() and word(tokens[-1]) in POST_NOMINALS.words:
        tokens.pop()  # "Elizabeth Truss MP"
    # kremlin.ru tooltips: "А.Лукашенко Лукашенко Александр Григорьевич Президент ..."
    if len(tokens) > 2 and is_initial(tokens[0]) and key(tokens[2]) == key(tokens[1]):
        full = tokens[2:5]
        if len(full) == 3 and is_patronymic(full[2]):
            tokens = full  # "Лукашенко Александр Григорьевич"
        elif len(full) >= 2 and full[1][:1] == tokens[0][:1] and not is_title_word(full[1]):
            tokens = [full[1], full[0]]  # "Сассу-Нгессо Дени Президент ..."
        else:
            tokens = tokens[:2]
    hit = table.lookup(" ".join(tokens))
    if hit:
        return Person(hit, "")
    # "Title Name of Country": cut the country when a name precedes "of"
    for i in range(2, len(tokens)):
        if (
            word(tokens[i]) == "of"
            and is_namey(tokens[i - 1])
            and not is_title_word(tokens[i - 1])
            and any(is_title_word(t) for t in tokens[: i - 1])
        ):
            tokens = tokens[:i]
            break
    # a verb ends the name ("President Biden Announces Key Nominees"); right after a
    # post the word is a given name ("Secretary General Mark Rutte", "Gen. Will Smith")
    for i, t in enumerate(tokens):
        if i and word(t) in TITLE_VERBS.words and not is_title_word(tokens[i - 1]):
            tokens = tokens[:i]
            break
    last = -1
    connector_seen = False
    for i, t in enumerate(tokens):
        w = word(t)
        if w in CONNECTORS.words and not is_initial(t) and not (i and is_particle(t)):
            last, connector_seen = i, True
        elif is_title_word(t):
            last = i
        elif last == i - 1 and i < len(tokens) - 1 and _misspelt_position(w):
            last = i  # "Prime Mininster Netanyahu": a post misspelt in the page
    if (
        last >= 1
        and word(tokens[last]) in SURNAME_POSTS.words
        and all(is_name_suffix(t) for t in tokens[last + 1 :])
        and is_namey(tokens[last - 1])
        and not is_title_word(tokens[last - 1])
        and word(tokens[last - 1]) not in CONNECTORS.words
    ):
        # the name ends in a word that is also a post: "Prime Minister John Major",
        # "Martin Luther King Jr."; the name starts after the post before it
        last = next(
            (
                j
                for j in range(last - 2, -1, -1)
                if is_title_word(tokens[j]) or word(tokens[j]) in CONNECTORS.words
            ),
            -1,
        )
    position = " ".join(word(t) for t in tokens[: last + 1] if word(t) not in HONORIFICS.words)
    titled = last >= 0
    run = [t for t in tokens[last + 1 :] if t]
    if not run:
        return None
    hit = _alias_in_run(run, table)
    if hit:
        return Person(hit, position)
    cyr = has_cyrillic(" ".join(run))
    if cyr:
        run = russian_order(run)
    if any(t[:1].islower() and not is_particle(t) for t in run):
        return None  # "... and our Climate Goals"
    if strict and len(run) > 1:
        hit = _alias_prefix(run[:-1], table)
        if hit:
            return Person(hit, position)  # "Antony J. Blinken Opening"
    if connector_seen and word(tokens[last]) in CONNECTORS.words:
        # "President of Russia Vladimir Putin": org words then the name
        if len(run) < 3:
            return None
        run = _trailing_name(run)
    elif connector_seen and strict and _core_count(run) < 2:
        return None  # "Senior Director for International Economics"
    elif connector_seen and _core_count(run) > 2:
        run = _trailing_name(run)  # "... for International Religious Freedom Rashad Hussain"
    elif _core_count(run) > (6 if titled or not strict else 4) or (cyr and _core_count(run) > 2):
        if strict:
            return None
        run = _trailing_name(run)
    if not all(is_namey(t) for t in run) or any(word(t) in NOT_NAMES.words for t in run):
        return None
    if strict and not titled and _core_count(run) < 2:
        return None
    if len(run) == 1 and last >= 0 and word(tokens[last]) in PEERAGE.words:
        run = [tokens[last].capitalize(), *run]  # "Lord McNally"
    name = format_name(run)
    return Person(table.lookup(name) or name, position)


def canonical_name(raw: str, language: str | None = None) -> str | None:
    """One canonical person name for any printed form, or None when it is not a person.

    Honorifics and positions are removed ("Foreign Minister Sergey Lavrov" ->
    "Sergey Lavrov"), capitals are title-cased ("SECRETARY BLINKEN" -> "Blinken")
    and the alias table folds variants ("Blinken" -> "Antony Blinken",
    "С.В.Лавров" -> "Sergey Lavrov"). "Q", "Question", "Remark", "Вопрос",
    "Moderator" and offices ("Office of the Spokesperson") give None.
    `language` is accepted for callers that know it; the script decides here.
    """
    del language  # the script of the name is a better guide than the page language
    p = parse_person(raw)
    return p.name if p else None


def merge_speakers(*groups: Iterable[str]) -> tuple[str, ...]:
    """All names of the groups, canonical and de-duplicated, in first-seen order."""
    seen: set[str] = set()
    out: list[str] = []
    for group in groups:
        for raw in group:
            if not raw:
                continue
            name = canonical_name(raw)
            if name and key(name) not in seen:
                seen.add(key(name))
                out.append(name)
    return tuple(out)
