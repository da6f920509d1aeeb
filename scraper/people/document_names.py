"""Names within one document: a short form resolves to the full name the page gives.

A page names its people once in full (title, byline, author markup, a first
turn "President of Russia Vladimir Putin:") and then shortly ("SECRETARY
BLINKEN:", "Chair Powell", "MR. DI MAIO:"), sometimes misspelt ("SECRETARY
BLINKNEN:"). Across documents a surname alone would merge namesakes ("Johnson",
"Brown"), so a short form becomes a speaker only as the full name that the same
document gives, and a lone surname the document never completes is not a
speaker at all.

Matching is by tokens, independent of case and accents: every token of the
short form appears in the full name in the same order, the last one at the
full name's end ("Di Maio" -> "Luigi Di Maio", "Bhutto Zardari" -> "Bilawal
Bhutto Zardari"), an initial matches a word with its letter ("Е. Солнцев" ->
"Евгений Солнцев"); family-name-first names also match at their start ("Xi"
-> "Xi Jinping") against the names the page gives as its speakers. A
misspelling (one edit, two in long words, rapidfuzz's optimal string alignment
distance) matches only where nothing matches exactly. In every case exactly one
full name must fit, or the short form stays as it is: "George Bush" on a page
naming both "George H. W. Bush" and "George W. Bush" is left alone.

The text also shows where a name read from a headline-case title ends
(`confirmed`): there every word is capitalised, in the text only names are.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import NamedTuple

from rapidfuzz.distance import OSA

from statements.scraper.people.aliases import default_aliases
from statements.scraper.people.offices import holders_on
from statements.scraper.people.person import canonical_name, parse_person
from statements.scraper.record import Turn

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_INITIAL = re.compile(r"^\w{1,2}\.$")
_DASHES = re.compile(r"[\u2010-\u2015]")


def tokens(name: str) -> list[str]:
    """Comparison tokens: case, accents and dots do not matter; initials keep a dot."""
    s = unicodedata.normalize("NFKD", _DASHES.sub("-", name))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().replace("ё", "е")
    out = []
    for t in s.replace(".", ". ").split():
        out.append(t if t.endswith(".") and len(t) <= 3 else t.strip(".,'’"))
    return [t for t in out if t]


def is_lone_word(name: str) -> bool:
    """One word of an alphabetic script ("Powell", "Ice"): a surname, not a full name.

    CJK names are written without spaces ("耿爽" is a full name).
    """
    toks = name.split()
    return len(toks) == 1 and not _CJK.search(name) and not _INITIAL.match(toks[0])


def _typo_limit(word: str) -> int:
    return 0 if len(word) < 5 else 1 if len(word) < 9 else 2


def _same(short: str, full: str, fuzzy: bool) -> bool:
    if short == full:
        return True
    if short.endswith(".") and not full.endswith("."):
        return full.startswith(short[:-1])  # "е." matches "евгений"
    return fuzzy and 0 < OSA.distance(short, full) <= min(_typo_limit(short), _typo_limit(full))


def _middle_initials(toks: list[str]) -> list[str]:
    return [t for t in toks[1:-1] if t.endswith(".")]


def fits(short: str, full: str, *, fuzzy: bool = False, family_first: bool = False) -> bool:
    """`short` names the person `full` names: its tokens in order, the last at the end.

    With `family_first`, a one-word `short` may instead be the first word of a
    two- or three-word `full` ("Xi" -> "Xi Jinping"). With `fuzzy`, a token may
    differ by a small edit (a misspelling).
    """
    s, f = tokens(short), tokens(full)
    if not s or len(s) > len(f) or s == f:
        return False
    if _middle_initials(s) and _middle_initials(s) != _middle_initials(f):
        return False  # "George W. Bush" is not "George H. W. Bush"
    if family_first and len(s) == 1 and len(f) in (2, 3) and _same(s[0], f[0], fuzzy):
        return True
    if not _same(s[-1], f[-1], fuzzy):
        return False
    j = 0
    for t in s[:-1]:
        while j < len(f) - 1 and not _same(t, f[j], fuzzy):
            j += 1
        if j >= len(f) - 1:
            return False
        j += 1
    return True


def resolve(short: str, speakers: Sequence[str], mentions: Iterable[str] = ()) -> str | None:
    """The one full name of the document that `short` stands for, or None.

    `speakers` are the names the page gives as its speakers (title, byline,
    markup, turns); `mentions` further full names printed in the text, used
    only when no speaker fits. Exact fits beat misspellings.
    """
    pools = (list(speakers), [m for m in mentions if m not in speakers])
    for fuzzy in (False, True):
        for pool, family in ((pools[0], True), (pools[1], False)):
            hits = {f for f in pool if f != short and fits(short, f, fuzzy=fuzzy)}
            if not hits and family:
                hits = {
                    f for f in pool if f != short and fits(short, f, fuzzy=fuzzy, family_first=True)
                }
            if len(hits) == 1:
                return hits.pop()
            if len(hits) > 1:
                return _fullest(hits)
    return None


def _fullest(hits: set[str]) -> str | None:
    """Of several fits, the one the others are short forms of ("Joseph R. Biden" over
    "Joseph Biden"); None when they are different people ("George H. W. Bush" and
    "George W. Bush")."""
    ordered = sorted(hits, key=lambda h: -len(tokens(h)))
    best = ordered[0]
    if all(fits(h, best) for h in ordered[1:]):
        return best
    return None


#: words that start a sentence before a name ("I'm Dan Kurtz-Phelan", "Я Никита Гоголев")
SELF_INTRODUCTIONS = frozenset(
    [
        "i",
        "i'm",
        "im",
        "me",
        "my",
        "we",
        "our",
        "this",
        "that",
        "it",
        "he",
        "she",
        "his",
        "her",
        "thank",
        "thanks",
        "dear",
        "hello",
        "hi",
        "and",
        "but",
        "я",
        "меня",
        "мы",
        "это",
        "спасибо",
        "здравствуйте",
    ]
)


def _word_key(word: str) -> str:
    return word.casefold().replace("’", "'").strip(",.:;")


_CAP_RUN = r"(?:[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’.-]*[ \u00a0]+){1,4}"


def mentions_of(surname: str, text: str) -> list[str]:
    """Capitalised phrases of `text` that end with `surname` ("Prime Minister Fumio
    Kishida"), as printed; the caller parses them into names."""
    if not surname or len(surname) < 2:
        return []
    rx = re.compile(rf"({_CAP_RUN}){re.escape(surname)}\b")
    out: list[str] = []
    for m in rx.finditer(text):
        words = m.group(0).split()
        while words and (_word_key(words[0]) in SELF_INTRODUCTIONS or len(words[0]) == 1):
            words.pop(0)  # "I'm Jonathan Capehart", "Я Никита Гоголев"
        phrase = " ".join(words)
        if len(words) > 1 and phrase not in out:
            out.append(phrase)
        if len(out) >= 50:
            break
    return out


def _printed(name: str, text: str) -> bool:
    """True when `text` prints `name`: its words in a row, whatever the case, but each
    word capitalised where the name's is ("Raimondo Co-Host" is not "Raimondo co-host")."""
    toks = name.split()
    if not toks:
        return False
    rx = re.compile(r"(?<![\w-])" + r"\s+".join(map(re.escape, toks)) + r"(?![\w-])", re.I)
    for m in rx.finditer(text):
        if all(
            w[:1].isupper() or not t[:1].isupper()
            for w, t in zip(m.group().split(), toks, strict=True)
        ):
            return True
    return False


def _named(name: str, text: str) -> bool:
    """True when `text` names the person `name` stands for in a shorter form: with a
    post ("Secretary Blinken", "Under Secretary Fernandez") or from the same first word
    ("Jose Fernandez" for "Jose W. Fernandez")."""
    first = tokens(name)[0]
    for phrase in mentions_of(name.split()[-1], text):
        p = parse_person(phrase)
        if p is None:
            continue
        if p.name == name or (fits(p.name, name) and (p.titled or tokens(p.name)[0] == first)):
            return True
    return False


def _lower_case_in(word: str, text: str) -> bool:
    """True when `text` writes `word` in lower case: an ordinary word there, not a name."""
    low = word.lower()
    return low != word and re.search(rf"(?<![\w-]){re.escape(low)}(?![\w-])", text) is not None


def confirmed(name: str, text: str) -> str:
    """A name read from a headline-case title, cut where the text shows that it ends.

    In "Secretary Blinken and Secretary Raimondo Co-Host Supply Chain Ministerial"
    every word is capitalised, so the title alone cannot tell where the name
    "Raimondo" ends. The text, written in sentence case, can: it writes
    "co-host" in lower case (an ordinary word), prints "Raimondo" (or names
    the person in a shorter form, "Secretary Raimondo") and never "Raimondo
    Co-Host". The name is cut before such a word; a lone surname left is
    completed from the text later, or dropped (`settle`). A name the text
    gives no such sign about is kept whole: the text may be the speech itself,
    which never names its speaker, and a family name first ("Chung Eui-yong",
    printed "Minister Chung") is no cut either.
    """
    toks = name.split()
    for k in range(len(toks) - 1, 0, -1):
        part, following = " ".join(toks[:k]), toks[k]
        if (
            not _INITIAL.match(toks[k - 1])  # a name does not end in an initial
            and _lower_case_in(following, text)
            and not _printed(f"{part} {following}", text)
            and (_printed(part, text) or (k > 1 and _named(part, text)))
        ):
            return part
    return name


class Settled(NamedTuple):
    """The speakers of one document and the turns with their names settled."""

    speakers: tuple[str, ...]
    turns: tuple[Turn, ...]


def settle(
    groups: Sequence[Sequence[str]],
    turns: tuple[Turn, ...] = (),
    *,
    text: str = "",
    known: Sequence[str] = (),
    signers: Sequence[str] = (),
    date: dt.date | None = None,
    country: str | None = None,
) -> Settled:
    """Merge the speaker evidence of one document into its speakers.

    `groups` are canonical names by source, most trusted first (title, byline,
    markup, turns), after the `signers` of a signature block; `known` are
    further full names the page gives without making them speakers (person
    tags), used only to complete short forms.
    Every short form is replaced by the full name it stands for (`resolve`),
    over the speakers first, then `known` and the names the text prints; a
    lone surname that nothing completes is dropped, from the speakers and from
    its turns (whose label still shows it). A signer's lone surname may also be
    the office holder of the statement's `date` ("(Presidential Sig.)<Clinton>"
    on a 2000 order is Bill Clinton; `people.offices`): only a signature, where
    the office is the signer's, never a label ("SENATOR CLINTON").
    """
    groups = [signers, *groups]  # a signature is the surest evidence of who speaks
    in_office: list[str] = []
    if date is not None and signers:
        in_office = holders_on(date, country)
    order: list[str] = []
    seen: set[str] = set()
    for group in groups:
        for name in group:
            k = " ".join(tokens(name))
            if name and k not in seen:
                seen.add(k)
                order.append(name)
    for t in turns:
        if t.speaker and " ".join(tokens(t.speaker)) not in seen:
            seen.add(" ".join(tokens(t.speaker)))
            order.append(t.speaker)
    mapping: dict[str, str | None] = {}
    signed = {" ".join(tokens(n)) for n in signers}
    for i, name in enumerate(order):
        extra = in_office if " ".join(tokens(name)) in signed else []
        target = _complete(name, i, order, [*known, *extra], text)
        if target is not None:
            mapping[name] = target
        elif is_lone_word(name) and default_aliases().lookup(name) != name:
            mapping[name] = None
    # a chain ("Blinknen" -> "Blinken" -> "Antony Blinken") ends at its last name
    for name, target in list(mapping.items()):
        hops = 0
        while target is not None and target in mapping and hops < 5:
            target, hops = mapping[target], hops + 1
        mapping[name] = target
    speakers: list[str] = []
    for name in order:
        final = mapping.get(name, name)
        if final and final not in speakers:
            speakers.append(final)
    new_turns = tuple(_settle_turn(t, mapping) for t in turns)
    return Settled(tuple(speakers), new_turns)


def _settle_turn(turn: Turn, mapping: dict[str, str | None]) -> Turn:
    if not turn.speaker or turn.speaker not in mapping:
        return turn
    target = mapping[turn.speaker]
    if target is None:
        return replace(turn, speaker=None, role="unknown")
    return replace(turn, speaker=target)


def _complete(name: str, i: int, order: list[str], known: Sequence[str], text: str) -> str | None:
    """The fuller name of the document that `name` stands for, or None."""
    others = [o for j, o in enumerate(order) if j != i]
    hit = resolve(name, others, [k for k in known if k not in others])
    if hit is not None:
        same_length = len(tokens(hit)) == len(tokens(name))
        if (
            same_length
            and not _INITIAL.match(name.split()[0])
            and hit in order
            and order.index(hit) > i
        ):
            return None  # two spellings of one full name: the first printed wins
        return hit
    if not text or not (is_lone_word(name) or _INITIAL.match(name.split()[0])):
        return None
    surname = name.split()[-1]
    printed = []
    for phrase in mentions_of(surname, text):
        full = canonical_name(phrase)
        if full and full != name and len(full.split()) >= 2:
            printed.append(full)
    return resolve(name, [], printed)
