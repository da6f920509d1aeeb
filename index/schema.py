"""The Whoosh schema of the documents index.

The body is indexed but not stored in Whoosh (the full record lives in the
SQLite record store beside it): stored body text made the index about twice
as large and slowed every commit (../shared/notes/whoosh.md). Keyword fields
that users filter on (speaker, source, type, language) are indexed lowercased
so filters are case-insensitive; the display forms are stored separately.
"""

from __future__ import annotations

from typing import Any

# Text fields a query searches, with the language of their query stemmer. Their BM25F
# weights are applied at query time (index.ranking.WEIGHTS), not stored in the postings.
TEXT_FIELDS = {"title": "en", "body": "en", "title_ru": "ru", "body_ru": "ru"}
# The fields a speaker's turn is found in: its words in the body (a turn is a range of
# the body's word positions, index.said), or in `spoken` when the body does not hold
# the turn's text as it is (a record given with turns that are not cut from its text).
SAID_FIELDS = {"body": "en", "body_ru": "ru", "spoken": "en", "spoken_ru": "ru"}
# The body fields alone, in each language (what `trace` counts a phrase in).
BODY_FIELDS = {"body": "en", "body_ru": "ru"}


def document_schema() -> Any:
    from whoosh import columns, fields

    from statements.index.analyzers import plain_analyzer, text_analyzer

    en = text_analyzer("en")
    ru = text_analyzer("ru")
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        fp=fields.STORED(),
        title=_text(en),
        body=_text(en),
        title_ru=_text(ru),
        body_ru=_text(ru),
        vocab=fields.TEXT(analyzer=plain_analyzer(), phrase=False),
        speaker=fields.KEYWORD(commas=True, lowercase=True, scorable=False),
        # the people with a turn in the document (keys), and where each turn is
        said=fields.KEYWORD(commas=True, lowercase=True, scorable=False),
        # a column, not a stored field: --said-by reads it for many documents, and a
        # stored field is read by unpickling all of a document's stored values
        turns=fields.COLUMN(columns.VarBytesColumn()),
        spoken=_text(en, scorable=False),
        spoken_ru=_text(ru, scorable=False),
        source=fields.ID(),
        type=fields.ID(),
        lang=fields.ID(),
        date=fields.DATETIME(sortable=True),
        copy=fields.ID(),
        meta=fields.STORED(),
    )


def _text(analyzer: Any, scorable: bool = True) -> Any:
    """A TEXT field with positions whose postings come from `FastPositions` (the same
    postings Whoosh's `Positions` format writes, built in one loop).

    `scorable=False` (`spoken`, which is matched but never ranked) keeps no field
    lengths: writing them cost a column lookup per posting at commit.
    """
    from whoosh import fields

    from statements.index.analyzers import FastPositions

    field = fields.TEXT(analyzer=analyzer, vector=False)
    field.format = FastPositions()
    field.scorable = scorable
    return field


def same_schema(stored: Any, current: Any) -> bool:
    """Whether an index's pickled schema is the one this release writes: the same
    fields, and text fields with the same analyzer (words indexed the same way)."""
    if set(stored.names()) != set(current.names()):
        return False
    return all(
        getattr(stored[name], "analyzer", None) == getattr(current[name], "analyzer", None)
        for name in current.names()
        if name in TEXT_FIELDS or name in SAID_FIELDS
    )


def norm_key(value: str | None) -> str:
    """The indexed form of a keyword value: whitespace collapsed, lowercased."""
    return " ".join((value or "").split()).lower()
