"""Split a transcript into speaker turns: who said which words.

Publishers mark turns in a few ways, all seen in ../shared/corpus:

- en.kremlin.ru: "Name:" at a paragraph start ("President of Russia Vladimir
  Putin:" on first mention, then "Vladimir Putin:"), "Question:", "Remark:";
- whitehouse.gov / state.gov: capitals at a line start ("THE PRESIDENT:",
  "MS. JEAN-PIERRE:", "SECRETARY BLINKEN:", "QUESTION:") and a bare "Q";
- kremlin.ru (Russian): "В.Путин:", "С.В.Лавров:", "Вопрос:", "Реплика:",
  labels with a qualifier ("В.Путин (по-немецки):") or an affiliation
  ("В.Малкин (Страна.Ru Москва):"), and, in texts whose paragraph breaks were
  lost, labels in the middle of a line after the end of a sentence.

Each candidate label is checked (a person, a known role, or a position
followed by a name), so colons in ordinary sentences ("Let me repeat:",
"VESSEL NAME:", "Дата публикации:") do not start turns. Short labels are
resolved to the full names the same document introduces: its title ("Remarks
by President Biden" makes "THE PRESIDENT" Joe Biden), its long labels
("President of Russia Vladimir Putin" makes "Vladimir Putin" and "Putin" one
person) and full Russian names printed in it ("Корочкина Елена ..." makes
"Е.Корочкина" "Елена Корочкина"); the alias table does the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import NamedTuple

from statements.scraper.people import offices
from statements.scraper.people.aliases import default_aliases
from statements.scraper.people.normalise import (
    INVISIBLE,
    clean,
    is_initial,
    is_namey,
    is_particle,
    key,
    word,
)
from statements.scraper.people.person import Person, parse_person, role_of
from statements.scraper.people.titles import title_persons
from statements.scraper.people.vocabulary import CONNECTORS, HONORIFICS, POSITIONS
from statements.scraper.record import Turn

# Where a transcript ends and page furniture begins (the last turn is cut there).
TAIL_MARKERS = re.compile(
    r"\s*(?:\\?###|END\s+\d{1,2}:\d{2}\s*[AP]\.?M\.?"
    r"|(?:Статус материала|Опубликован в разделах?|Дата публикации)\s*:?\s"
    r"|Published in sections|Publication date\s*:|Direct link\s*:|Text version\b)",
)
# kremlin.ru footer headings before the status block ("География … Темы … Лица …"):
# ordinary words, so they only count shortly before a marker above.
FOOTER_HEADINGS = re.compile(r"\s(?:География|Темы|Лица)\s")
_FOOTER_SPAN = 1500


def _cut_tail(words: str) -> str:
    """The words of the last turn without the page footer that follows them."""
    tail = TAIL_MARKERS.search(words)
    if not tail:
        return words
    cut = tail.start()
    head = FOOTER_HEADINGS.search(words, max(0, cut - _FOOTER_SPAN), cut)
    return words[: head.start() if head else cut]


# Capitals at a line start: "THE PRESIDENT:", "MS. JEAN-PIERRE:", "MR PRICE:".
_CAPS_LABEL = re.compile(
    r"[ \t\u00a0]*(?P<label>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’\-]*"
    r"(?:[ \u00a0]+[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’\-]*){0,7}"
    r"(?:[ \u00a0]*\([^()\n]{1,60}\))?)"
    # a post after a comma, in capitals too: "ROCÍO NAHLE GARCÍA, SECRETARIA DE ENERGÍA"
    r"(?P<post>,[ \u00a0]+[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ0-9.,'’()\-/ \u00a0]{0,200})?"
)
# The colon that ends a label; labels are found by looking back from each one,
# which is much cheaper than trying a label pattern at every line start.
# A capital letter's colon may be glued to the words: "LÓPEZ OBRADOR:Buenos días."
_COLON = re.compile(r"[ \t\u00a0]*:(?=\s)|(?<=[A-ZÀ-ÖØ-Þ)]):(?=[^\W\d_¿¡])")
_MAX_LABEL = 240
# A bare "Q" (whitehouse.gov): "Q    Thanks, John."
_Q_LABEL = re.compile(
    r"(?m)^[ \t\u00a0]*(?P<label>Q)(?:[ \t\u00a0]+|[ \t\u00a0]*:[ \t\u00a0]*)(?=\S)"
)
# Mixed case at a paragraph start: "Vladimir Putin:", "President of Russia Vladimir Putin:".
_NAME_LABEL = re.compile(
    r"[ \t\u00a0]*(?P<label>[A-ZÀ-ÖØ-Þ][^\s:]*"
    r"(?:(?:[ \t\u00a0]+|[ \t\u00a0]*\n[ \t\u00a0]*(?=\S))[^\s:]+){0,14}"
    r"(?:[ \t\u00a0]*\([^()\n]{1,80}\))?)"
)
_NAMED_ROLE = re.compile(r"^(.+?),\s+(\w+)$")
_HAS_CYRILLIC_ROLE = re.compile(r"(?:Вопрос|Реплик|Ведущ|Голос|Модератор|Журналист)")
_HAS_INITIALS = re.compile(r"[А-ЯЁ]\.[ \u00a0]?[А-ЯЁ]")
_BLANK_BEFORE = re.compile(r"\n[ \t\u00a0]*\n[ \t\u00a0]*$")
# Russian initials, also in the middle of a line after a sentence end:
# "В.Путин:", "С.В.Лавров:", "М.Диас-Канель Бермудес (как переведено):",
# "А.Лукашенко Лукашенко Александр Григорьевич Президент Республики Беларусь:".
_RU_NAME = r"[А-ЯЁ][а-яё]+(?:[-‑][А-ЯЁ][а-яё]+)*"
_RU_LABEL = re.compile(
    r"(?:^|(?<=[\s\u00a0]))"
    rf"(?P<label>(?:[А-ЯЁ]\.[ \u00a0]?){{1,2}}(?P<sur>{_RU_NAME})"
    rf"(?:[ \u00a0](?:{_RU_NAME}|Аль|Бен|бен|аль|де|ди|фон|ван)){{0,3}}?"
    rf"(?:[ \u00a0](?P=sur)[ \u00a0][^:.!?()\n]{{1,200}}?)?"
    r"(?:[ \u00a0]?\([^()\n]{1,100}\))?)[ \u00a0]?:(?=\s)"
)
_RU_ROLE_LABEL = re.compile(
    r"(?:^|(?<=[\s\u00a0]))"
    r"(?P<label>(?:Вопрос|Реплика|Реплики|Ведущий|Ведущая|Голос из зала|Модератор|Журналист)"
    r"(?:[ \u00a0]?\([^()\n]{1,80}\))?)[ \u00a0]?:(?=\s)"
)
# en.kremlin.ru tooltips repeat the name as "Surname Given" and the post after it:
# "Industry and Trade Minister Denis Manturov Manturov Denis Industry and Trade Minister".
_EN_TOOLTIP = re.compile(r"^(.*?\b(\S+) (\S+)) \3 \2\b.*$")
# Full Russian names printed in a page: "Корочкина Елена Александровна", "ЛАВРОВ Сергей Викторович".
_RU_FULL = re.compile(
    r"\b(?P<sur>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?|[А-ЯЁ]{2,}(?:-[А-ЯЁ]{2,})?)[ \u00a0]"
    r"(?P<given>[А-ЯЁ][а-яё]+)[ \u00a0][А-ЯЁ][а-яё]+(?:вич|вна|ична|инична)\b"
)


class _Label(NamedTuple):
    start: int  # where the label starts
    end: int  # where the words start
    label: str  # as printed, without the colon
    kind: str  # "caps", "q", "name", "ru", "ru-role"
    weak: bool = False  # an unknown mixed-case name: kept only beside strong labels


class _Context:
    """Names the document introduces, for resolving its short labels."""

    def __init__(
        self, title: str, text: str, date: dt.date | None, country: str | None = None
    ) -> None:
        self.persons: list[Person] = title_persons(title) if title else []
        self.by_surname: dict[str, str] = {}
        self.by_position: dict[str, str] = {}
        self.known: set[str] = set()
        self.date = date
        self.country = country
        for p in self.persons:
            self.remember(p.name, p.position)
        if re.search(r"[А-ЯЁ]", text):
            for m in _RU_FULL.finditer(text):
                sur = m.group("sur")
                sur = sur[0] + sur[1:].lower() if sur.isupper() else sur
                given = m.group("given")
                name = f"{given} {sur}"
                canon = default_aliases().lookup(name) or name
                self.by_surname.setdefault(key(f"{given[0]}. {sur}"), canon)

    def remember(self, name: str, position: str = "") -> None:
        self.known.add(key(name))
        parts = name.split(" ")
        if len(parts) >= 2:
            self.by_surname.setdefault(key(parts[-1]), name)
            self.by_surname.setdefault(key(f"{parts[0][0]}. {parts[-1]}"), name)
            if is_particle(parts[-2]):
                self.by_surname.setdefault(key(" ".join(parts[-2:])), name)
        if position:
            self.by_position.setdefault(position, name)

    def holder(self, position: str, caps: bool) -> str | None:
        if position in self.by_position:
            return self.by_position[position]
        if caps:  # capital labels ("THE PRESIDENT:") are the U.S. publishers' habit
            return offices.holder(position, self.date, self.country or "us")
        return None


def _label_tokens(label: str) -> list[str]:
    return clean(label).replace("\u00a0", " ").split(" ")


def _caps_ok(label: str, ctx: _Context, recurring: bool = False) -> bool:
    """Capital labels must be a role, a position/honorific + name, or a known surname.

    `recurring`: the same capital label opens several paragraphs, or carries a
    post after a comma ("NAME, SECRETARIA DE ENERGÍA"). That is how transcripts
    in any language print their speakers, where a single capital line ending in a
    colon may be a heading; such a label counts when it reads as a person's name.
    """
    if role_of(label):
        return True
    if recurring and parse_person(clean(label)) is not None:
        return True
    toks = _label_tokens(label)
    first = word(toks[0])
    if first in ("the",) or first in POSITIONS.words or first in HONORIFICS.words:
        return True
    return key(" ".join(toks)) in ctx.by_surname or (
        key(toks[-1]) in ctx.by_surname and len(toks) <= 2
    )


def _name_ok(label: str, ctx: _Context) -> str | None:
    """ "strong", "weak" or None for a mixed-case label.

    Labels look like "[Position [of Body]] Given Surname" or a role. A role, a
    position, a name the alias table or the page knows make a label strong; an
    unknown two- or three-word name is weak: it counts only in a document with a
    strong label too (a list of headings "Support Health Workers:" is not a
    transcript).
    """
    if role_of(label):
        return "strong"
    if "," in label:
        return None  # "To Secretary Blinken, ...", "First, for ...": words of a question
    toks = _label_tokens(label)
    if not toks or word(toks[0]) in CONNECTORS.words:
        return None  # "The United Kingdom:", "And to Dr. Jaishankar:"
    for t in toks:
        if word(t) in CONNECTORS.words or is_particle(t) or is_initial(t):
            continue
        if not is_namey(t):
            return None
    table = default_aliases()
    if len(toks) == 1:
        known = key(toks[0]) in ctx.by_surname or bool(table.lookup(toks[0]))
        return "strong" if known else None
    if table.lookup(" ".join(toks)):
        return "strong"
    p = parse_person(label, strict=True)
    if p is None:
        return None
    if p.titled or table.lookup(p.name) == p.name or key(p.name) in ctx.known:
        return "strong"
    core = [t for t in p.name.split(" ") if not (is_particle(t) or is_initial(t))]
    return "weak" if len(core) <= 3 else None


def _caps_candidates(text: str) -> Counter[str]:
    """How often each capital label opens a line (a post after a comma counts twice)."""
    seen: Counter[str] = Counter()
    for colon in _COLON.finditer(text):
        c = colon.start()
        ls = text.rfind("\n", max(0, c - _MAX_LABEL - 1), c) + 1
        m = _CAPS_LABEL.fullmatch(text[ls:c])
        if m:
            seen[m.group("label").strip()] += 2 if m.group("post") else 1
    return seen


def _find_labels(text: str, ctx: _Context, language: str | None) -> list[_Label]:
    found: list[_Label] = []
    paragraphs = "\n\n" in text
    caps_seen: Counter[str] | None = None
    for colon in _COLON.finditer(text):
        c = colon.start()
        window = max(0, c - _MAX_LABEL - 1)
        ls = text.rfind("\n", window, c) + 1
        if ls == 0 and window > 0:
            continue  # the line is longer than any label: never scan back further
        seg = text[ls:c]
        m = _CAPS_LABEL.fullmatch(seg)
        if m:
            lab = m.group("label")
            if sum(ch.isalpha() for ch in lab) <= 1:
                continue
            ok = _caps_ok(lab, ctx)
            if not ok:
                if caps_seen is None:
                    caps_seen = _caps_candidates(text)
                ok = caps_seen[lab.strip()] >= 2 and _caps_ok(lab, ctx, recurring=True)
            if ok:
                found.append(_Label(ls + m.start("label"), colon.end(), lab, "caps"))
            continue
        start = ls
        m = _NAME_LABEL.fullmatch(seg)
        if ls >= 2 and (
            m is None or (paragraphs and not _BLANK_BEFORE.search(text, max(0, ls - 20), ls))
        ):
            # a label wrapped over a line break: "Vladimir\nPutin : I think ..."
            ls2 = text.rfind("\n", max(0, ls - 42), ls - 1) + 1
            if 0 < ls - 1 - ls2 <= 40 and (ls2 > 0 or ls <= 42):
                m2 = _NAME_LABEL.fullmatch(text[ls2:c])
                if m2 is not None:
                    m, start = m2, ls2
        if m is None:
            continue
        start += m.start("label")
        if paragraphs and start > 0 and not _BLANK_BEFORE.search(text, max(0, start - 20), start):
            continue
        lab = m.group("label")
        named_role = _NAMED_ROLE.match(lab)
        if named_role and role_of(named_role.group(2)):
            lab = named_role.group(1)  # "Peter Stano, Moderator": the person speaks
        if re.match(r"[А-ЯЁ]\.", lab):
            continue  # Russian labels are found below
        tip = _EN_TOOLTIP.match(" ".join(lab.split()))
        if tip:
            lab = tip.group(1)  # "Minister Denis Manturov Manturov Denis Minister"
        strength = _name_ok(lab, ctx)
        if strength:
            found.append(_Label(start, colon.end(), lab, "name", strength == "weak"))
    for m in _Q_LABEL.finditer(text):
        found.append(_Label(m.start("label"), m.end(), "Q", "q"))
    if language == "ru" or _HAS_INITIALS.search(text):
        for m in _RU_LABEL.finditer(text):
            found.append(_Label(m.start("label"), m.end(), m.group("label"), "ru"))
    if language == "ru" or _HAS_CYRILLIC_ROLE.search(text):
        for m in _RU_ROLE_LABEL.finditer(text):
            found.append(_Label(m.start("label"), m.end(), m.group("label"), "ru-role"))
    if not any(not lab.weak for lab in found):
        return []  # headings or a list, not a transcript
    found.sort(key=lambda x: (x.start, -x.end))
    out: list[_Label] = []
    for lab in found:
        if out and lab.start < out[-1].end:
            continue  # overlaps the previous label
        out.append(lab)
    return out


def _resolve(lab: _Label, ctx: _Context) -> tuple[str | None, str]:
    """(speaker, role) for one label, using the document's context."""
    if lab.kind == "q":
        return None, "question"
    role = role_of(lab.label)
    if role:
        return None, role
    cleaned = clean(lab.label)
    toks = cleaned.split(" ")
    if lab.kind == "caps":
        words = [word(t) for t in toks]
        # "THE PRESIDENT", "THE VICE PRESIDENT", "THE FIRST LADY"
        if words[0] == "the":
            position = " ".join(words[1:])
            name = ctx.holder(position, caps=True)
            return (name, "speaker") if name else (None, "unknown")
        # "MS. JEAN-PIERRE", "SECRETARY BLINKEN": the surname of someone the page names
        rest = [t for t in toks if word(t) not in POSITIONS.words | HONORIFICS.words]
        if rest:
            for k in (key(" ".join(rest)), key(rest[-1])):
                if k in ctx.by_surname:
                    return ctx.by_surname[k], "speaker"
        p = parse_person(cleaned)
        if p is None:
            name = ctx.holder(" ".join(words), caps=True)
            return (name, "speaker") if name else (None, "unknown")
        return p.name, "speaker"
    if lab.kind == "ru":
        short = _ru_short(cleaned)
        hit = default_aliases().lookup(short)
        if hit:
            return hit, "speaker"
        initials = re.findall(r"[А-ЯЁ]\.", short)
        surname = re.sub(r"^(?:[А-ЯЁ]\.[ \u00a0]?)+", "", short).strip()
        k = key(f"{initials[0]} {surname}") if initials else ""
        if k in ctx.by_surname:
            return ctx.by_surname[k], "speaker"
        p = parse_person(cleaned)  # a tooltip gives the full name
        if p and k and short != cleaned:
            ctx.by_surname[k] = p.name
        return (p.name, "speaker") if p else (None, "unknown")
    # mixed-case names (kremlin English): long labels introduce the person
    p = parse_person(cleaned)
    if p is None:
        return None, "unknown"
    if len(p.name.split(" ")) == 1 or is_initial(p.name.split(" ")[0]):
        parts = p.name.split(" ")
        for k in (key(p.name), key(parts[-1])):
            if k in ctx.by_surname:
                return ctx.by_surname[k], "speaker"
    ctx.remember(p.name, p.position)
    return p.name, "speaker"


def split_turns(
    text: str,
    *,
    title: str = "",
    language: str | None = None,
    date: dt.date | None = None,
    country: str | None = None,
) -> tuple[Turn, ...]:
    """The speaker turns of a transcript body; () when the text is not a transcript.

    Text before the first label is not a turn (it stays in `Statement.text`).
    Questions and audience remarks get role "question"/"remark" and speaker
    None; unnamed officials and unresolved "THE PRESIDENT" get role "unknown".
    `date` (the statement's date) resolves "THE PRESIDENT" on pages whose
    title does not name the president (`people.offices`; `country` is the
    publisher's, U.S. when unknown).
    """
    if not text or (":" not in text and "Q" not in text):
        return ()
    text = INVISIBLE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    ctx = _Context(title, text, date, country)
    labels = _find_labels(text, ctx, language)
    named = [lab for lab in labels if lab.kind != "q"]
    if not labels or (not named and len(labels) < 2):
        return ()
    turns: list[Turn] = []
    for i, lab in enumerate(labels):
        end = labels[i + 1].start if i + 1 < len(labels) else len(text)
        words = text[lab.end : end]
        if i + 1 == len(labels):  # page furniture follows the last turn only
            words = _cut_tail(words)
        words = words.strip(" \t\n\u00a0")
        if not words:
            continue
        speaker, role = _resolve(lab, ctx)
        turns.append(Turn(label=_display_label(lab), text=words, speaker=speaker, role=role))
    return tuple(turns)


def _ru_short(label: str) -> str:
    """ "А.Лукашенко Лукашенко Александр Григорьевич Президент ..." -> "А.Лукашенко".

    kremlin.ru shows a tooltip with the full name and post after the short
    label; scraped text keeps it, the page shows only the short label.
    """
    m = re.match(r"((?:[А-ЯЁ]\.[ \u00a0]?){1,2})(\S+)", label)
    if m:
        dup = re.search(rf"[ \u00a0]{re.escape(m.group(2))}[ \u00a0]", label)
        if dup:
            return label[: dup.start()]
    return label


def _display_label(lab: _Label) -> str:
    label = re.sub(r"[\s\u00a0]+", " ", lab.label).strip()
    if lab.kind == "ru":
        qualifier = re.search(r"\s*\([^()]*\)\s*$", label)
        label = _ru_short(label) + (
            qualifier.group() if qualifier and _ru_short(label) != label else ""
        )
    return label if lab.kind == "q" else f"{label}:"


def turn_counts(turns: tuple[Turn, ...]) -> dict[str, int]:
    """Turns per speaker (roles counted under "<role>"): a quick summary for tests and CLI."""
    counts: dict[str, int] = {}
    for t in turns:
        key = t.speaker or f"<{t.role}>"
        counts[key] = counts.get(key, 0) + 1
    return counts


__all__ = ["split_turns", "turn_counts"]
