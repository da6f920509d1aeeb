"""A record as the document Whoosh indexes.

The statement's text goes into its language's fields (index.schema), its display
values into one stored `meta` dict that hits are rendered from; each turn by a
named person is stored as a range of the body's word positions, for `--said-by`
(index.said).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from statements.index.analysis import copy_key, is_russian
from statements.index.schema import norm_key
from statements.scraper.record import Statement

MIN_COPY_WORDS = 20  # shorter bodies (stubs, announcements) are not grouped as copies


def document(record: Statement, fp: str) -> dict[str, Any]:
    """The Whoosh document of a record: indexed text in its language's fields, and
    the display values in one stored `meta` dict."""
    from statements.index.names import canonical, speaker_key
    from statements.index.said import pack, said_text

    ru = is_russian(record.language)
    names: list[str] = []
    keys: list[str] = []
    for raw in record.speakers:
        key = speaker_key(raw, record.language)
        if key and key not in keys:
            keys.append(key)
            names.append(canonical(raw, record.language))
    key, count = copy_key(record.text)
    copy = key if count >= MIN_COPY_WORDS else None
    meta = {
        "title": record.title,
        "date": record.date_iso,
        "ordinal": record.date.toordinal() if record.date else 0,
        "speakers": names,
        "speaker_keys": keys,
        "source": record.source,
        "type": record.type,
        "lang": record.language,
        "url": record.url,
        "republished_by": record.republished_by,
        "copy": copy,
    }
    said = said_text(record)
    meta["turns"] = len(said.spans)
    doc: dict[str, Any] = {
        "id": record.id,
        "fp": fp,
        "meta": meta,
        ("title_ru" if ru else "title"): record.title,
        ("body_ru" if ru else "body"): record.text,
        "vocab": " ".join([record.title, *names]),
    }
    if keys:
        doc["speaker"] = ",".join(keys)
    if said.spans:
        doc["said"] = ",".join(dict.fromkeys(s.key for s in said.spans))
        doc["turns"] = pack(said.spans)
    if said.spoken:
        doc[said.spoken_field] = said.spoken
    for fieldname, value in (
        ("source", record.source),
        ("type", record.type),
        ("lang", record.language),
    ):
        if value:
            doc[fieldname] = norm_key(value)
    if record.date:
        doc["date"] = dt.datetime(record.date.year, record.date.month, record.date.day)
    # the copy key is kept in `meta` only: nothing searches the `copy` field, and its
    # one unique term per document cost a term entry each at commit
    return doc
