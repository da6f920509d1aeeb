"""An Atom feed (RFC 4287) of a watch's latest matches, built with ElementTree.

So that any feed reader can subscribe to a saved search. Every entry has an
id (a `urn:uuid` derived from the document id, so it never changes), a title,
a link (the statement's URL, else `--link-base` + id, else the id itself) and
an updated date (the statement's date; the watch's creation time for an
undated statement, so a rebuilt feed does not mark it changed). Text from
pages loses the characters XML 1.0 cannot hold.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import TYPE_CHECKING
from urllib.parse import quote
from xml.etree import ElementTree as ET

if TYPE_CHECKING:
    from statements.index.watch import Latest, Watch

ATOM = "http://www.w3.org/2005/Atom"
# characters XML 1.0 allows (tab, newline, CR and everything from space up, minus surrogates)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ID_SPACE = uuid.UUID("9b5e7e52-3f1c-5d3a-8f0e-57a7e3e4c0d1")  # this program's uuid5 namespace


def _text(value: str | None) -> str:
    from statements.search.output import safe

    return _NOT_XML.sub("", safe(value or "", keep_newlines=False))


def document_urn(doc_id: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_ID_SPACE, 'document:' + doc_id)}"


def _stamp(date_iso: str | None, fallback: str) -> str:
    """RFC 3339 time of a statement date ("2019", "2019-09" and "2019-09-01" all work)."""
    if date_iso:
        parts = [int(p) for p in date_iso.split("-")] + [1, 1]
        try:
            return dt.datetime(parts[0], parts[1], parts[2], tzinfo=dt.UTC).isoformat()
        except ValueError:
            pass
    return fallback


def render_feed(
    watch: Watch,
    latest: list[Latest],
    *,
    link_base: str | None = None,
    self_url: str | None = None,
) -> bytes:
    """The feed of a watch's latest matches (`Watches.latest`) as UTF-8 XML bytes.

    An entry's `updated` is when the watch found the statement, so a feed reader
    lists new finds first even when they are old statements; `published` is the
    statement's own date. Baseline entries are updated at the statement's date.
    """
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    created = watch.created or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", f"urn:uuid:{uuid.uuid5(_ID_SPACE, f'watch:{watch.name}:{created}')}")
    sub(feed, "title", _text(f"statements: {watch.name}"))
    sub(feed, "subtitle", _text(f"statements search {watch.arguments()}"))
    entries = []
    for item in latest:
        hit = item.hit
        entries.append((hit, item.found or _stamp(hit.date, created)))
    sub(feed, "updated", max((u for _h, u in entries), default=created))
    author = sub(feed, "author")
    sub(author, "name", "statements")
    sub(feed, "generator", "statements")
    if self_url:
        sub(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    for hit, updated in entries:
        entry = sub(feed, "entry")
        urn = document_urn(hit.id)
        sub(entry, "id", urn)
        sub(entry, "title", _text(hit.title) or hit.id)
        href = hit.url or (link_base + quote(hit.id, safe="") if link_base else urn)
        sub(entry, "link", rel="alternate", href=_text(href))
        sub(entry, "updated", updated)
        if hit.date:
            sub(entry, "published", _stamp(hit.date, created))
        for name in hit.speakers or ([hit.source] if hit.source else []):
            who = sub(entry, "author")
            sub(who, "name", _text(name))
        if hit.snippet:
            sub(entry, "summary", _text(hit.snippet), type="text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
