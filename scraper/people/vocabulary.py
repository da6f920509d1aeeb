"""The word lists the person parser reads, from `scraper/data/vocabularies.json`.

Positions, honorifics, connectors, role labels and the rest are data, not code:
a new post or language is a word in the file. Each list there has a name, why
it exists, and its words (space-separated, lower case; a list may be split into
named groups, one per language). The file is read once, when this module is
first imported.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

VOCABULARIES_FILE = Path(__file__).parent.parent / "data" / "vocabularies.json"


class Vocabulary(NamedTuple):
    """A named word list; `words` are lower-case, dots removed."""

    name: str
    why: str
    words: frozenset[str]


def _read() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(VOCABULARIES_FILE.read_text(encoding="utf-8"))
    return data


_DATA = _read()


def _vocab(name: str) -> Vocabulary:
    entry = _DATA[name]
    words = entry["words"]
    text = " ".join(words.values()) if isinstance(words, dict) else words
    return Vocabulary(name, entry["why"], frozenset(w.replace(".", "") for w in text.split()))


HONORIFICS = _vocab("honorifics")
PEERAGE = _vocab("peerage")
SURNAME_POSTS = _vocab("surname posts")
RANK_ABBREVIATIONS = _vocab("rank abbreviations")
POST_NOMINALS = _vocab("post-nominals")
POSITIONS = _vocab("positions")
HEAD_POSITIONS = _vocab("head positions")
PERSON_TITLES = _vocab("person titles")
ORGANISATION_WORDS = _vocab("organisation words")
BODY_ACRONYMS = _vocab("body acronyms")
CONNECTORS = _vocab("connectors")
PARTICLES = _vocab("name particles")
STATEMENT_NOUNS = _vocab("statement nouns")
TITLE_VERBS = _vocab("title verbs")
NON_SPEAKING_VERBS = _vocab("non-speaking verbs")
NOT_NAMES = _vocab("not names")
STOP_WORDS = _vocab("stop words")
HEADLINE_SMALL_WORDS = _vocab("headline small words")
ZH_POSTS = _vocab("chinese posts")
ZH_SPEAKING = _vocab("chinese speaking verbs")

#: Voices that are not named persons ("Q", "Реплика", "Moderator"), by key -> role
#: ("question", "remark", "moderator" or "unknown").
ROLE_LABELS: dict[str, str] = {
    label: role for role, labels in _DATA["role labels"]["roles"].items() for label in labels
}
