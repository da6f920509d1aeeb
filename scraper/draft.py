"""The half-built record every input reader fills in before `extract.finish` seals it.

Readers (HTML, text capture, JSON item) only say what the page shows; the
decisions that need every field at once (speakers merged from all evidence,
turns, type, id) are made once, in `scraper.extract.finish`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from statements.scraper.sites.profile import SiteProfile


@dataclass
class Draft:
    title: str = ""
    text: str = ""
    url: str | None = None
    date: dt.date | None = None
    source: str | None = None
    republished_by: str | None = None
    location: str | None = None
    language: str | None = None
    section: str | None = None
    document_number: str | None = None
    #: author/office lines ("Antony J. Blinken, Secretary of State"), parsed for persons
    bylines: list[str] = field(default_factory=list)
    #: people the page's metadata names as speakers (GOV.UK links.speaker, JSON-LD author)
    persons: list[str] = field(default_factory=list)
    #: people who signed the document (an order's President, a rule's official), from a
    #: pre-formatted capture's signature block: speakers (merged in `extract.finish`)
    signers: list[str] = field(default_factory=list)
    #: the page's person tags ("Zelensky Vladimir", "Беглов Александр Дмитриевич")
    tags: list[str] = field(default_factory=list)
    #: the site's section labels, for the statement type
    sections: list[str] = field(default_factory=list)
    #: an explicit type the input carried (feed category, GOV.UK document_type)
    type_hint: str | None = None
    #: a type the input states outright (wins over title words)
    type: str | None = None
    profile: SiteProfile | None = None
    #: the page stops before </body></html> (a download cut short): read as far as it
    #: goes, and refused as truncated only when no statement text is found
    truncated: bool = False
