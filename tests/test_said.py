"""`--said-by` from the documents index: a turn is a range of word positions (index.said).

Each expectation is computed from the records' own turn texts with a regular
expression, never from the engine.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from statements.index.library import Library
from statements.index.models import SearchRequest
from statements.index.said import said_text
from statements.scraper.record import Statement, Turn

TURNS = (
    ("Anna Weber", "We will not accept any border changes by force. Security comes first."),
    ("Boris Lind", "Security of supply matters to us; nuclear power is part of it."),
    ("Anna Weber", "Our answer on nuclear matters stays the same. Force decides nothing."),
)


def transcript(rid: str, turns: tuple[tuple[str, str], ...], *, in_body: bool) -> Statement:
    """A press conference whose turns are cut from its body (`in_body`), or a record
    made elsewhere whose body holds the same words spaced otherwise, so not the
    turns' text as it is."""
    parts = [f"{name}: {text}" for name, text in turns]
    body = "\n\n".join(parts) if in_body else "\n".join(parts).replace(" ", "  ")
    return Statement(
        id=rid,
        title=f"Press conference {rid}",
        text=body,
        speakers=tuple(dict.fromkeys(name for name, _ in turns)),
        turns=tuple(Turn(label=f"{n}:", text=t, speaker=n) for n, t in turns),
    )


RECORDS = [
    transcript("cut", TURNS, in_body=True),
    transcript("given", TURNS, in_body=False),
]
# a body without the labels: the end of one turn and the start of the next make a phrase
ACROSS = (("Anna Weber", "We discussed supply chains and energy"), ("Boris Lind", "security."))
RECORDS.append(
    Statement(
        id="across",
        title="Talks",
        text=" ".join(text for _, text in ACROSS),
        speakers=("Anna Weber", "Boris Lind"),
        turns=tuple(Turn(label=f"{n}:", text=t, speaker=n) for n, t in ACROSS),
    )
)


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Library:
    home: Path = tmp_path_factory.mktemp("said")
    library = Library(home)
    library.add((r, None) for r in RECORDS)
    return library


def said_in(pattern: str, speaker: str) -> set[str]:
    """Ids of the records with a turn of `speaker` matching `pattern`."""
    return {
        r.id
        for r in RECORDS
        for t in r.turns
        if t.speaker == speaker and re.search(pattern, t.text, re.I)
    }


def ids(lib: Library, query: str, said_by: str) -> set[str]:
    result = lib.search(SearchRequest(query=query, said_by=(said_by,), limit=100, all_copies=True))
    return {h.id for h in result.hits}


def test_turns_cut_from_the_body_are_ranges_of_it_and_others_are_spoken() -> None:
    cut = said_text(RECORDS[0])
    assert not cut.spoken and all(s.field == "body" for s in cut.spans)
    given = said_text(RECORDS[1])
    assert [s.field for s in given.spans] == ["spoken"] * 3
    assert given.spoken.count("Security") == 2


@pytest.mark.parametrize(
    ("query", "pattern", "speaker"),
    [
        ("security", r"\bsecurity\b", "Anna Weber"),
        ("security", r"\bsecurity\b", "Boris Lind"),
        ("nuclear", r"\bnuclear\b", "Anna Weber"),
        ('"will not accept"', r"\bwill not accept\b", "Anna Weber"),
        ('"will not accept"', r"\bwill not accept\b", "Boris Lind"),
        ("force", r"\bforce\b", "Boris Lind"),
    ],
)
def test_said_by_matches_within_one_persons_turns(
    lib: Library, query: str, pattern: str, speaker: str
) -> None:
    expected = said_in(pattern, speaker) - {"across"}
    assert ids(lib, query, speaker) - {"across"} == expected


def test_all_words_are_checked_within_one_turn(lib: Library) -> None:
    # Anna Weber says "security" and "nuclear", but never in one turn
    assert ids(lib, "security AND nuclear", "Anna Weber") == set()
    assert ids(lib, "security AND nuclear", "Boris Lind") == {"cut", "given"}
    for speaker in ("Anna Weber", "Boris Lind"):
        expected = said_in(r"\bborder\b|\bsupply\b", speaker) - {"across"}
        assert ids(lib, "border OR supply", speaker) - {"across"} == expected


def test_a_phrase_across_two_turns_is_nobodys(lib: Library) -> None:
    found = lib.search(SearchRequest(query='"energy security"', limit=10))
    assert [h.id for h in found.hits] == ["across"]  # in the body
    assert ids(lib, '"energy security"', "Anna Weber") == set()
    assert ids(lib, '"energy security"', "Boris Lind") == set()
    facet = lib.search(SearchRequest(query='"energy security"', facets=("said-by",)))
    assert facet.facets["said-by"] == []


def test_the_said_by_facet_names_each_person_whose_turn_matches(lib: Library) -> None:
    result = lib.search(SearchRequest(query="nuclear", facets=("said-by",), all_copies=True))
    expected = {name: len(said_in(r"\bnuclear\b", name)) for name in ("Anna Weber", "Boris Lind")}
    assert dict(result.facets["said-by"]) == expected


def test_the_hit_shows_the_turn_that_matched(lib: Library) -> None:
    result = lib.search(SearchRequest(query="supply", said_by=("Boris Lind",), all_copies=True))
    assert {h.id for h in result.hits} == {"cut", "given"}
    assert all(h.said_by == "Boris Lind" and "supply" in h.snippet.lower() for h in result.hits)
