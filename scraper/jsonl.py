"""A `.jsonl` record as `statements add` indexes it.

Records come from other tools (the corpus's JSONL sets, a colleague's
scraper) and often lack what a page gives the extractor: the state.gov
press releases name their author only in `creator`, the Kremlin records
have no speakers and no type. So each record goes through the same
extraction as a page (`scraper.extract.extract_record`), and the fields it
lacks are taken from there; a field the record gives is kept as given, and
so is its text.

The id is the statement's, whatever the input path: a record with a URL
gets the id of the page at that URL (`make_id` over the canonical URL), so
adding the page, its URL and the record gives one document.

A record marked `"complete": true` (as `statements export` writes them) is
taken exactly as given, id included: an export added again gives an equal index.
"""

from __future__ import annotations

from typing import Any

from statements.scraper.errors import StatementsError
from statements.scraper.record import Statement, make_id

#: Fields the extractor fills where a record lacks them (absent, null or empty).
FILLED = ("speakers", "type", "date", "language")

#: The key that marks a record as complete (nothing to fill).
COMPLETE = "complete"


def record_from_jsonl(data: dict[str, Any], *, name: str = "record") -> Statement:
    """The record a JSONL line gives, with its statement's id and its gaps filled.

    Raises `RecordError` for a line that is not a usable record (no title or
    text, a malformed date); an extraction that fails only leaves the gaps.
    """
    record = Statement.from_dict(data)
    if data.get(COMPLETE) is True:  # as exported: the index's own id and fields
        return record
    if record.url:
        record = record.with_(id=make_id(record.url))
    missing = [f for f in FILLED if not getattr(record, f)]
    if not missing:
        return record
    from statements.scraper.extract import extract_record

    try:
        found = extract_record(data, name=name)
    except StatementsError:  # e.g. nothing left once the site's banners are cleaned off
        return record
    except Exception:  # an extractor bug must not cost a record that is usable as given
        return record
    changes: dict[str, Any] = {f: getattr(found, f) for f in missing if getattr(found, f)}
    if "date" in changes:
        changes["date_precision"] = found.date_precision
    return record.with_(**changes) if changes else record
