"""HTML pages: site profile when the publisher is known, trafilatura otherwise.

The page is parsed once with lxml-backed BeautifulSoup. A profiled site's
body container is pruned of the selectors its profile lists and the generic
chrome (`clean.prune_html`), then read paragraph by paragraph. An unknown
site's body comes from trafilatura (imported lazily: it is slow to import and
`statements search` never needs it); metadata comes from the same fallback
chains either way.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from scraper import clean, metadata
from scraper.dates import find_date
from scraper.draft import Draft
from scraper.errors import ExtractError
from scraper.sites import SiteProfile, profile_for_url

_CLOSING = re.compile(r"</(?:html|body)\s*>", re.I)
_OPENING = re.compile(r"<(?:html|body)[\s>]", re.I)


def read_html(html: str, *, url: str | None, name: str) -> Draft:
    """Read an HTML page into a draft record."""
    if _OPENING.search(html[:20000]) and not _CLOSING.search(html[-4096:]):
        raise ExtractError(
            f"{name}: the HTML stops before </body></html> (truncated download?); "
            "save or fetch the page again"
        )
    soup = BeautifulSoup(html, "lxml")
    # the page's own canonical URL names the publisher even when the copy was
    # fetched from a mirror or saved to disk, and gives saved and fetched copies one id
    canonical = metadata.html_canonical_url(soup)
    page_url = canonical or url
    profile = profile_for_url(canonical) or profile_for_url(url)
    ld = metadata.json_ld(soup)
    draft = Draft(url=page_url, profile=profile)
    draft.title = metadata.html_title(soup, profile, ld) or ""
    draft.date = metadata.html_date(soup, profile, ld)
    draft.language = metadata.html_language(soup, profile)
    section = metadata.html_section(soup, profile, ld)
    if section:
        draft.sections = [s.strip() for s in section.split(",") if s.strip()]
        draft.section = metadata.main_section(
            draft.sections, profile.section_types if profile else {}
        )
    if profile is not None and profile.place:
        draft.location = metadata.select_text(soup, profile.place)
    draft.persons = metadata.html_persons(soup, profile, ld)
    body = _profile_body(soup, profile)
    if body is None:
        draft.text = _generic_body(html, page_url)
    else:
        draft.text = body
    if profile is not None:
        draft.text = clean.remove_boxes(draft.text, profile.inline_boxes)
        draft.text = clean.cut_tail(draft.text, profile.tail_lines)
        draft.text = clean.drop_banner_lines(draft.text, profile.banner_lines)
        if profile.byline_first_paragraph and draft.text:
            first, _, rest = draft.text.partition("\n\n")
            if len(first) < 200 and not first.rstrip().endswith("."):
                draft.bylines.append(first)
                draft.text = rest
        draft.source = profile.source
        draft.republished_by = profile.republisher
        if draft.language is None:
            draft.language = profile.language
    draft.text = clean.remove_repeated_head(draft.text, draft.title)
    if draft.date is None:
        draft.date = find_date(draft.title)
    if draft.location is None:
        draft.location = metadata.location_from_title(draft.title)
    if draft.source is None:
        draft.source = metadata.meta(soup, "og:site_name", "application-name")
    return draft


def _profile_body(soup: BeautifulSoup, profile: SiteProfile | None) -> str | None:
    """The body text from the profile's container, with its lead paragraph first."""
    if profile is None or not profile.body:
        return None
    root = next((el for sel in profile.body if (el := soup.select_one(sel)) is not None), None)
    if not isinstance(root, Tag):
        return None
    lead_text = ""
    if profile.lead:
        lead = next((el for sel in profile.lead if (el := soup.select_one(sel)) is not None), None)
        if isinstance(lead, Tag) and root not in lead.parents and lead not in root.parents:
            lead_text = clean.html_text(lead)
    clean.prune_html(root, profile.drop)
    text = clean.html_text(root)
    if not text.strip():
        return None
    if lead_text and " ".join(lead_text.split()) not in " ".join(text[:2000].split()):
        text = f"{lead_text}\n\n{text}"
    return text


def _generic_body(html: str, url: str | None) -> str:
    """Main text of a page from an unknown site, by trafilatura."""
    import trafilatura

    text = trafilatura.extract(
        html,
        url=url,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_precision=True,
        deduplicate=False,
    )
    if not text:
        return ""
    # trafilatura separates paragraphs by one newline; the record uses blank lines
    return clean.tidy(text.replace("\n", "\n\n"))
