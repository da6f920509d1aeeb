"""Who a page's title, subtitle, author line and person tags say is speaking.

A title names its speakers in a few shapes: "Remarks by President Biden and
Prime Minister X of Y ...", "Press Briefing by Press Secretary Karine
Jean-Pierre and NSC Coordinator ... John Kirby", "Foreign Minister Sergey
Lavrov's remarks ...", "President Vladimir Putin chaired ..." and "Владимир
Путин провёл ...". A title that only names a counterpart ("Meeting with ...")
or is about someone ("Appointment of Ambassador X") names no speaker. The
state.gov author line ("Antony J. Blinken, Secretary of State, Mute Egede,
Greenlandic Premier") and the kremlin person tags ("Putin Vladimir") are read
here too. Each phrase becomes a person through `people.person.parse_person`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from statements.scraper.people.aliases import AliasTable, default_aliases
from statements.scraper.people.document_names import confirmed
from statements.scraper.people.normalise import (
    INVISIBLE,
    SPACES,
    clean,
    has_cyrillic,
    is_name_suffix,
    is_namey,
    is_particle,
    is_title_word,
    key,
    word,
)
from statements.scraper.people.person import (
    Person,
    canonical_name,
    is_office,
    merge_speakers,
    parse_person,
    starts_with_office,
)
from statements.scraper.people.vocabulary import (
    CONNECTORS,
    HEAD_POSITIONS,
    HEADLINE_SMALL_WORDS,
    NON_SPEAKING_VERBS,
    STATEMENT_NOUNS,
    STOP_WORDS,
    TITLE_VERBS,
    ZH_POSTS,
    ZH_SPEAKING,
)


def _alternation(words: frozenset[str]) -> str:
    return "|".join(sorted(words, key=lambda w: (-len(w), w)))


#: Chinese titles: a post, the name (two to four characters), a speaking verb:
#: "外交部发言人耿爽主持例行记者会", "外交部发言人陆慷答记者问".
_ZH_TITLE = re.compile(
    rf"(?:{_alternation(ZH_POSTS.words)})\s*(?P<name>[^\W\d_a-zA-Z就在对向答表关于与和及的]"
    rf"[\u3400-\u9fff·]{{1,3}}?)(?={_alternation(ZH_SPEAKING.words)})"
)
_INTERVIEWER = re.compile(r"\b(?:conducted|interviewed|moderated|hosted)\s+by\s+", re.I)

_DOC_NOUNS = (
    r"Remarks|Statement|Statements|Briefing|Gaggle|Press\s+Call|Call|Interview|Message|"
    r"Address|Speech|Op-Ed|Letter|Press\s+Conference|News\s+Conference|Conversation|"
    r"Comments|Testimony|Availability|Q&A|Transcript|Answers"
)


def name_from_tag(tag: str) -> str | None:
    """A kremlin person tag ("Putin Vladimir", "el-Sisi Abdel Fattah") as a canonical name.

    Tags are written "Surname Given"; the alias table is asked first, then the
    first word is moved to the end.
    """
    s = clean(tag)
    if not s:
        return None
    table = default_aliases()
    hit = table.lookup(s)
    if hit:
        return hit
    tokens = s.split(" ")
    if len(tokens) < 2 or not all(is_namey(t) for t in tokens):
        return None
    if has_cyrillic(s):
        return canonical_name(s)
    name = " ".join([*tokens[1:], tokens[0]])
    return table.lookup(name) or name


def speakers_from_tags(tags: Iterable[str]) -> list[str]:
    """Canonical names of the person tags of a page (non-person tags give nothing).

    A tag is a person only if it has the "Surname Given" shape and none of its
    words is a position or body word ("Foreign policy", "Moscow Region" are not).
    """
    out: list[str] = []
    for tag in tags:
        t = clean(tag)
        hit = default_aliases().lookup(t)
        if hit:
            out.append(hit)
            continue
        toks = t.split(" ")
        if (
            2 <= len(toks) <= 4
            and all(is_namey(x) for x in toks)
            and not any(is_title_word(x) or x.lower().endswith(("region", "area")) for x in toks)
        ):
            name = name_from_tag(t)
            if name:
                out.append(name)
    return list(merge_speakers(out))


# ---- titles -------------------------------------------------------------------------------

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_TITLE_PREFIX = re.compile(r"^(?:CORRECTED|UPDATED|FACT SHEET|Fact Sheet)\s*:\s*", re.I)
_TITLE_PLACE = re.compile(r"\s*\|.*$")
_TITLE_DATE = re.compile(
    rf",?\s*(?:(?:{_MONTHS})\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}})\s*$"
    r"|\s+[–—-]\s+.*\d{4}\s*$",
)
_LEADING_DATE = re.compile(
    rf"^(?:On\s+)?(?:(?:{_MONTHS})\s+\d{{1,2}}|\d{{1,2}}(?:[–-]\d{{1,2}})?\s+[а-яё]+),?\s+", re.I
)
_DOC_BY = re.compile(
    rf"^(?:[\w&-]+\s+){{0,3}}?(?:{_DOC_NOUNS})(?:\s+as\s+Prepared\s+for\s+Delivery)?\s+(?:by|of|from|with)\s+",
    re.I,
)
# "Telephone conversation with President X", "Phone Call with ...", "Call with ...": a
# readout of a call, whose counterpart after "with" is not quoted ("Press Call with X" is
# X's own briefing, and "Interview with X" X's answers)
_CALL_WITH = re.compile(
    r"^(?:(?:[\w-]+\s+){0,2}?(?:tele)?phone\s+(?:call|conversation)|call)\s+with\s", re.I
)
_POSSESSIVE = re.compile(r"^(.{3,120}?)['’]s\s+((?:[\w-]+\s+){0,3}[\w-]+)")
_SEGMENT_SPLIT = re.compile(r"(,\s+and\s+|,\s+And\s+|,\s+|\s+and\s+|\s+And\s+|\s+&\s+|\s+и\s+)")
# "Appointment of ...", "The Passing of ...", "Visit by ...", "U.S. Actions Against ..."
_ABOUT_TITLE = re.compile(r"^(?:(?:On\s+)?The\s+|U\.S\.\s+)?(\S+)\s+(?:of|by|against|for)\s", re.I)

_STOP = re.compile(
    r"\s+(?=(?:"
    + "|".join(sorted(w if w != "en" else r"en\s+route" for w in STOP_WORDS.words))
    + r")\s)"
    r"|['’]s\s|\s*:\s|\s+[–—]\s|,?\s+(?=(?:conducted|interviewed|moderated|hosted)\s+by\s)",
    re.I,
)


def _segments(who: str) -> list[tuple[str, str]]:
    """(separator before, part) pairs of "A, B and C"; the first separator is ""."""
    bits = _SEGMENT_SPLIT.split(who.strip(" ,"))
    out: list[tuple[str, str]] = []
    sep = ""
    for i, bit in enumerate(bits):
        if i % 2:
            sep = bit.strip()
        elif bit.strip():
            out.append((sep, bit.strip()))
    return out


def _pure_position(part: str) -> bool:
    """True when every word is a position, body or connector word ("Deputy Assistant")."""
    toks = clean(part).split(" ")
    return all(is_title_word(t) or word(t) in CONNECTORS.words for t in toks)


def _persons_in(who: str, table: AliasTable, *, need_title: bool = False) -> list[Person] | None:
    """Parse "A, B and C" into persons; None unless every part names someone.

    A part without a name is glued to the next one (the "and" belonged to a
    position: "Secretary of Housing and Urban Development Marcia L. Fudge");
    a trailing position after a plain comma is an apposition ("Kurt Campbell,
    Deputy Assistant to the President") and a trailing office ("Bureau of
    Consular Affairs") is dropped, and so is a "Jr." after a name.
    """
    parts = _segments(who)
    out: list[Person] = []
    pending = ""
    for i, (sep, part) in enumerate(parts):
        if is_name_suffix(part) and out and not pending:
            continue
        phrase = f"{pending} and {part}" if pending else part
        p = parse_person(phrase, strict=True, table=table)
        if p and need_title and not (p.titled or table.lookup(p.name) == p.name):
            p = None  # a news title's subject must be a known person or carry a post
        if p:
            out.append(p)
            pending = ""
        elif (
            i == len(parts) - 1
            and out
            and not pending
            and (
                is_office(part) or starts_with_office(part) or (sep == "," and _pure_position(part))
            )
        ):
            pending = ""
        else:
            pending = phrase
    if pending or not out:
        return None
    return out


def _who_at_stops(text: str, table: AliasTable, *, verbs: bool) -> list[Person]:
    """The persons before the first stop word at which the prefix parses as people."""
    ends = [m.start() for m in _STOP.finditer(text)]
    if verbs:
        verb_ends = [
            m.start()
            for m in re.finditer(r"\s+(\S+)", text)
            if word(m.group(1)) not in STOP_WORDS.words
            and (
                word(m.group(1)) in TITLE_VERBS.words
                or (
                    m.group(1)[:1].islower()
                    and word(m.group(1)) not in CONNECTORS.words
                    and not is_particle(m.group(1))
                )
            )
        ]
        if verb_ends:
            # a news-style subject ends at its verb: never look past the first one
            # ("Встреча с Министром культуры Ольгой Любимовой" names no speaker), and
            # a notice about the subject is not a statement by it ("... Tests Positive")
            first = min(verb_ends)
            verb = text[first:].split(None, 1)[0]
            speaking = word(verb) not in NON_SPEAKING_VERBS.words
            ends = [e for e in ends if e < first] + ([first] if speaking else [])
            if not ends:
                return []
    ends = [*sorted(set(ends)), len(text)] if not (verbs and ends) else sorted(set(ends))
    for end in ends:
        prefix = text[:end].strip()
        if not prefix:
            continue
        persons = _persons_in(prefix, table, need_title=verbs)
        if persons:
            return persons
    return []


# "Remarks by Anna Bjerde, World Bank Managing Director of Operations, at the ...": a post
# between commas after a name, closed before the title's next part
_CLOSED_APPOSITION = re.compile(
    r"(?<=[^\W\d_]), ([^,]{3,90}), (?=(?:at|in|on|before|to|for|during|with)\s)"
)


def _drop_post(m: re.Match[str]) -> str:
    post = m.group(1)
    if any(word(t) in HEAD_POSITIONS.words for t in post.split()) and (
        parse_person(post, strict=True) is None
    ):
        return " "
    return m.group(0)


def title_persons(title: str, language: str | None = None) -> list[Person]:
    """Persons named as speakers by a title, with the position printed before each."""
    del language
    table = default_aliases()
    t = clean(INVISIBLE.sub("", title))
    t = _TITLE_PREFIX.sub("", t)
    t = _TITLE_PLACE.sub("", t)
    t = _TITLE_DATE.sub("", t)
    t = _LEADING_DATE.sub("", t).strip()
    t = re.sub(r"\s+(?:on|at|in|of)$", "", t)  # "... conducted by X on <date>"
    t = _CLOSED_APPOSITION.sub(_drop_post, t)
    found: list[Person] = []
    zh = _ZH_TITLE.search(t)
    if zh:
        return [Person(table.lookup(zh.group("name")) or zh.group("name"), "")]
    m = None if _CALL_WITH.match(t) else _DOC_BY.search(t)
    if m:
        found += _who_at_stops(t[m.end() :], table, verbs=False)
    for m in _INTERVIEWER.finditer(t):
        found += _who_at_stops(t[m.end() :], table, verbs=False)  # "..., conducted by X"
    pm = _POSSESSIVE.match(t)
    if pm and any(word(w) in STATEMENT_NOUNS.words for w in pm.group(2).split()):
        found += _persons_in(pm.group(1), table) or []
    about = _ABOUT_TITLE.match(t)
    if about and not is_title_word(about.group(1)):
        return _dedup(found)  # "Appointment of Ambassador X", "Visit by ...": about, not by
    if not found and not pm:
        first = t.split(" ", 1)[0]
        if not re.match(rf"^(?:{_DOC_NOUNS}|Readout|Meeting|Department|Joint)$", first, re.I):
            found += _who_at_stops(t, table, verbs=True)
    return _dedup(found)


_HEADING = re.compile(rf"^(?:{_DOC_NOUNS})\s+(?:by|of|from|with)\s", re.I)


def heading_persons(text: str, lines: int = 4) -> list[str]:
    """Speakers named by the subtitle lines that open a text ("Interview with Piero
    Cipollone, conducted by Miha Jenko on 10 July 2025", "Speech by ...")."""
    found: list[str] = []
    for line in text.strip().split("\n\n")[:lines]:
        line = " ".join(line.split())
        if len(line) <= 200 and (_HEADING.match(line) or _INTERVIEWER.search(line)):
            found += speakers_from_title(line)
    return found


def _dedup(found: list[Person]) -> list[Person]:
    out: list[Person] = []
    seen: set[str] = set()
    for p in found:
        if key(p.name) not in seen:
            seen.add(key(p.name))
            out.append(p)
    return out


def speakers_from_title(title: str, language: str | None = None) -> list[str]:
    """Canonical names of the speakers a title names.

    Handles "Remarks by President Biden and Prime Minister X of Y ...",
    "Press Briefing by Press Secretary Karine Jean-Pierre and NSC Coordinator
    ... John Kirby", "Foreign Minister Sergey Lavrov's remarks ...",
    "Secretary Antony J. Blinken and ... at a Joint Press Availability",
    "President Vladimir Putin chaired ..." and "Владимир Путин провёл ...".
    Titles that only name a counterpart ("Meeting with ...") give [].
    """
    return [p.name for p in title_persons(title, language)]


_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def is_headline_case(title: str) -> bool:
    """True for a title in headline case: every word capitalised but the small ones
    ("Secretary Blinken and Secretary Raimondo Co-Host Supply Chain Ministerial").

    A sentence-case title shows where a name ends (the verb after it is lower case:
    "President Putin chaired"); a headline-case one does not. A title with no
    capitalised word after its first (Russian, Chinese) is not in headline case.
    """
    words = _WORD.findall(title)
    if not any(w[:1].isupper() for w in words[1:]):
        return False
    return all(not w[:1].islower() or word(w) in HEADLINE_SMALL_WORDS.words for w in words)


def title_speakers(title: str, text: str, language: str | None = None) -> list[str]:
    """The speakers a title names (`speakers_from_title`), as the text confirms them.

    In a headline-case title a name may run on into the headline's next words
    ("Raimondo Co-Host Supply Chain Ministerial"): each name there that the alias
    table does not know is cut where the text shows that it ends (`document_names.
    confirmed`: "Raimondo"), and the text then completes it ("Gina Raimondo").
    """
    names = speakers_from_title(title, language)
    if not text or not is_headline_case(title):
        return names
    table = default_aliases()
    # a known person: the alias table says where the name ends
    return [name if table.lookup(name) == name else confirmed(name, text) for name in names]


# ---- state.gov author lines -------------------------------------------------------------

_GLUED_OFFICE = re.compile(
    r"(?<=[a-z)])(?:\s{2,}|(?=[A-Z]))(?=(?:Bureau|Office)\s+(?:of|to|for)\b)"
    r"|(?<=\bServices)\s+(?=Bureau\s+of\b)"
)


def speakers_from_byline(line: str) -> tuple[list[str], list[str]]:
    """(persons, offices) of a state.gov author line.

    "Antony J. Blinken, Secretary of State, Mute Egede, Greenlandic Premier" ->
    (["Antony Blinken", "Mute Egede"], []); "Office of the Spokesperson" ->
    ([], ["Office of the Spokesperson"]). Bureau names glued to a position
    ("Assistant SecretaryBureau of ...") are split off and returned as offices.
    """
    table = default_aliases()
    s = INVISIBLE.sub("", line)
    s = SPACES.sub(lambda m: "  " if len(m.group()) > 1 else " ", s).strip()
    s = _GLUED_OFFICE.sub(", ", s)
    s = SPACES.sub(" ", s)
    parts = [p.strip() for p in s.split(",") if p.strip()]
    persons: list[str] = []
    offices: list[str] = []
    in_office = False
    for part in parts:
        if is_name_suffix(part) and persons:
            continue  # "Surangel Whipps, Jr.": the suffix is dropped, the name kept
        if is_office(part):
            offices.append(clean(part))
            in_office = True
            continue
        p = parse_person(part, strict=True, table=table)
        if p:
            persons.append(p.name)
            in_office = False
        elif in_office and not any(word(t) in HEAD_POSITIONS.words for t in part.split()):
            # "Bureau of Democracy, Human Rights, and Labor": the office name goes on
            offices[-1] = f"{offices[-1]}, {clean(part)}"
        else:
            in_office = False
    return list(merge_speakers(persons)), list(dict.fromkeys(offices))
