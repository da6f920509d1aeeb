"""The Statement record: round trips, partial dates, ids and fingerprints."""

from __future__ import annotations

import datetime as dt

import pytest

from statements.scraper.errors import RecordError
from statements.scraper.record import Statement, Turn, canonical_url, make_id, parse_partial_date


def _record(**kw: object) -> Statement:
    base = dict(
        id="x1",
        title="Foreign Minister Sergey Lavrov's remarks",
        text="First paragraph.\n\nSecond paragraph.",
        url="https://www.mid.ru/en/1",
        date=dt.date(2025, 11, 25),
        speakers=("Sergey Lavrov",),
        source="Ministry of Foreign Affairs of the Russian Federation",
        turns=(Turn(label="S.Lavrov:", text="Hello.", speaker="Sergey Lavrov"),),
    )
    base.update(kw)
    return Statement(**base)  # type: ignore[arg-type]


def test_round_trip_is_equal() -> None:
    rec = _record()
    assert Statement.from_dict(rec.to_dict()) == rec
    assert Statement.from_dict(rec.to_dict()).fingerprint() == rec.fingerprint()


@pytest.mark.parametrize(
    ("value", "iso", "precision"),
    [
        ("2019", "2019", "year"),
        ("2019-09", "2019-09", "month"),
        ("2019-09-03", "2019-09-03", "day"),
        ("2021-05-20T22:14:56+00:00", "2021-05-20", "day"),
    ],
)
def test_partial_dates_keep_their_precision(value: str, iso: str, precision: str) -> None:
    rec = Statement.from_dict({"title": "t", "text": "b", "date": value})
    assert rec.date_iso == iso
    assert rec.date_precision == precision
    assert Statement.from_dict(rec.to_dict()).date_iso == iso


@pytest.mark.parametrize("bad", ["25/11/2025", "2025-13-01", "yesterday", "2025-02-30"])
def test_bad_dates_are_errors(bad: str) -> None:
    with pytest.raises(RecordError, match="bad date"):
        parse_partial_date(bad)


def test_missing_text_is_an_error() -> None:
    with pytest.raises(RecordError):
        Statement.from_dict({"title": "only a title"})


def test_fingerprint_changes_with_content() -> None:
    assert _record().fingerprint() != _record(text="Other text.").fingerprint()


def test_ids_from_url_ignore_scheme_www_and_slash() -> None:
    assert canonical_url("HTTPS://www.Kremlin.ru/events/1/#top") == "kremlin.ru/events/1"
    assert make_id("http://kremlin.ru/events/1/") == make_id("https://www.kremlin.ru/events/1")
    assert make_id(None, "t", "a  b") == make_id(None, "t", "a b")
    assert make_id(None, "t", "a") != make_id(None, "t", "b")
