"""Plain-text page captures (what a browser's "save as text" or a copy-paste gives).

The shape, as the seed page shows it (../shared/corpus/seed/):

    <banner>                      UNITED24 - Make a charitable donation ...
    <site section>                Weapons of Mass Destruction (WMD)
    <publishing body>             The Ministry of Foreign Affairs of the Russian Federation
    <title>                       Foreign Minister Sergey Lavrov's opening remarks ..., Moscow, ...
    <dateline>                    25 November 2025 13:29
    <document number>             1964-25-11-2025
    <body paragraphs>
    <newsletter banner>           NEWSLETTER / Join the GlobalSecurity.org mailing list

Banners are dropped by the site profile's patterns; the header is read from
the first lines around the dateline. Embassy captures put the section and
date *before* the title ("SPEECHES, INTERVIEWS, ARTICLES" / "25.11.2025" /
title): the line before the dateline is only the title when it reads like one.
"""

from __future__ import annotations

from statements.scraper import clean
from statements.scraper.dates import find_date, parse_date
from statements.scraper.draft import Draft
from statements.scraper.metadata import (
    BODY_WORDS,
    document_number,
    location_from_title,
    normalise_body,
)
from statements.scraper.sites.profile import SiteProfile
from statements.scraper.sites.registry import profile_for_text, profile_for_url

#: How many non-empty lines the header may span before the body starts.
HEADER_LINES = 10


def read_capture(text: str, *, url: str | None = None) -> Draft:
    """Read a plain-text capture into a draft record."""
    from statements.scraper.preformatted import looks_preformatted, read_preformatted

    if looks_preformatted(text):
        doc = read_preformatted(text)
        if doc.text:
            return Draft(
                url=url,
                title=doc.title,
                text=doc.text,
                date=doc.date,
                signers=doc.signers,
                document_number=doc.document_number,
                source=doc.agency,
            )
    profile = profile_for_url(url) or profile_for_text(text)
    site_banners = profile.banner_lines if profile else ()
    tail = profile.tail_lines if profile else ()
    text = clean.cut_tail(text, tail)
    lines = [
        ("" if clean.is_banner(line, site_banners) else line.strip()) for line in text.split("\n")
    ]
    filled = [i for i, line in enumerate(lines) if line][:HEADER_LINES]
    draft = Draft(url=url, profile=profile)
    if not filled:
        return draft

    datelines = [i for i in filled if parse_date(lines[i])]
    if datelines:
        d = datelines[-1] if len(datelines) > 1 else datelines[0]
        draft.date = parse_date(lines[d])
        before = [i for i in filled if i < d]
        after = [i for i in filled if i > d]
        if before and _reads_like_title(lines[before[-1]]):
            title_i = before[-1]
            header = before[:-1]
            end = d
        elif after:
            title_i = after[0]
            header = before
            end = title_i
        else:
            title_i, header, end = d, before, d
        draft.title = lines[title_i]
        # a document number right under the dateline/title belongs to the header
        nxt = [i for i in filled if i > end]
        if nxt and document_number(lines[nxt[0]]):
            draft.document_number = document_number(lines[nxt[0]])
            end = nxt[0]
        body_start = end + 1
    else:
        title_i = filled[0]
        draft.title = lines[title_i]
        header = []
        body_start = title_i + 1
        draft.date = find_date(draft.title)

    named = [lines[i] for i in header if not parse_date(lines[i])]
    if profile is not None and profile.republisher and len(named) >= 2:
        # a republisher's layout: site section, then the original publisher's name
        # right above the title ("Sputnik", "RFE/RL", "The Ministry of ...")
        draft.section, draft.source = named[0], normalise_body(named[-1])
    else:
        for line in named:
            if BODY_WORDS.search(line) and not line.isupper() and draft.source is None:
                draft.source = normalise_body(line)
            elif draft.section is None:
                draft.section = line
    if draft.section:
        draft.sections.append(draft.section)
    draft.text = clean.tidy("\n".join(lines[body_start:]))
    if profile is not None:
        draft.text = clean.remove_boxes(draft.text, profile.inline_boxes)
    draft.text = clean.remove_repeated_head(draft.text, draft.title)
    _fill_from_profile(draft, profile)
    draft.location = location_from_title(draft.title)
    if draft.date is None:
        draft.date = find_date(draft.title)
    return draft


def _reads_like_title(line: str) -> bool:
    """A title is a sentence-like line: not shouting capitals, not a bare organisation name."""
    letters = [c for c in line if c.isalpha()]
    if not letters:
        return False
    upper = sum(c.isupper() for c in letters) / len(letters)
    return upper < 0.6 and len(line) >= 15


def _fill_from_profile(draft: Draft, profile: SiteProfile | None) -> None:
    if profile is None:
        return
    if profile.republisher:
        draft.republished_by = profile.republisher
    if draft.source is None:
        draft.source = profile.source
    if draft.language is None:
        draft.language = profile.language
