"""The Whoosh schemas: documents and speaker turns.

The body is indexed but not stored in Whoosh (the full record lives in the
SQLite record store beside it): stored body text made the index about twice
as large and slowed every commit (../shared/notes/whoosh.md). Keyword fields
that users filter on (speaker, source, type, language) are indexed lowercased
so filters are case-insensitive; the display forms are stored separately.
"""

from __future__ import annotations

from typing import Any

# Text fields a query searches, with their BM25F weights (titles count more).
TEXT_FIELDS = {"title": 2.0, "body": 1.0, "title_ru": 2.0, "body_ru": 1.0}
TURN_TEXT_FIELDS = {"body": 1.0, "body_ru": 1.0}


def document_schema() -> Any:
    from whoosh import fields

    from index.analysis import english_analyzer, plain_analyzer, russian_analyzer

    en = english_analyzer()
    ru = russian_analyzer()
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        fp=fields.STORED(),
        title=_text(en, TEXT_FIELDS["title"]),
        body=_text(en),
        title_ru=_text(ru, TEXT_FIELDS["title_ru"]),
        body_ru=_text(ru),
        vocab=fields.TEXT(analyzer=plain_analyzer(), phrase=False),
        speaker=fields.KEYWORD(commas=True, lowercase=True, scorable=False),
        source=fields.ID(),
        type=fields.ID(),
        lang=fields.ID(),
        date=fields.DATETIME(sortable=True),
        copy=fields.ID(),
        meta=fields.STORED(),
    )


def _text(analyzer: Any, field_boost: float = 1.0, scorable: bool = True) -> Any:
    """A TEXT field with positions whose postings come from `FastPositions` (the same
    postings Whoosh's `Positions` format writes, built in one loop).

    `scorable=False` (turns, which are matched but never ranked) keeps no field
    lengths: writing them cost a column lookup per posting at commit.
    """
    from whoosh import fields

    from index.analyzers import FastPositions

    field = fields.TEXT(analyzer=analyzer, field_boost=field_boost, vector=False)
    field.format = FastPositions(field_boost=field_boost)
    field.scorable = scorable
    return field


def turn_schema() -> Any:
    from whoosh import fields

    from index.analysis import english_analyzer, russian_analyzer

    return fields.Schema(
        key=fields.ID(unique=True, stored=True),
        parent=fields.ID(stored=True),
        pos=fields.STORED(),
        speaker=fields.ID(stored=True),
        name=fields.STORED(),
        body=_text(english_analyzer(), scorable=False),
        body_ru=_text(russian_analyzer(), scorable=False),
    )


def norm_key(value: str | None) -> str:
    """The indexed form of a keyword value: whitespace collapsed, lowercased."""
    return " ".join((value or "").split()).lower()
