"""HTML pages: site profile when the publisher is known, trafilatura otherwise.

The page is parsed once with lxml (`scraper.dom`). A profiled site's body
container is pruned of the XPaths its profile lists and the generic chrome,
then read paragraph by paragraph. An unknown site's body comes from
trafilatura (imported lazily: it is slow to import and `statements search`
never needs it); metadata comes from the same fallback chains either way.
"""

from __future__ import annotations

import re
from typing import Any

from statements.scraper import clean, dom, metadata
from statements.scraper.draft import Draft
from statements.scraper.errors import ExtractError
from statements.scraper.sites.profile import SiteProfile
from statements.scraper.sites.registry import profile_for_url

_CLOSING = re.compile(r"</(?:html|body)\s*>", re.I)
_OPENING = re.compile(r"<(?:html|body)[\s>]", re.I)
# Numeric references to characters XML cannot hold (C0 controls but tab and newlines,
# U+FFFE/U+FFFF): one `&#x1b;` anywhere made trafilatura return nothing for the page.
_XML_INVALID_REF = re.compile(
    r"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|[fF]{3}[eEfF])(?![0-9a-fA-F])"
    r"|0*(?:[0-8]|1[124-9]|2\d|3[01]|6553[45])(?!\d));?"
)


def read_html(html: str, *, url: str | None, name: str) -> Draft:
    """Read an HTML page into a draft record."""
    # a download cut short has neither </body> nor </html> anywhere (trailing scripts
    # after </html> are common, so the closing tag is searched in the whole page); it is
    # read as far as it goes, and refused as truncated only if no statement text is found
    truncated = bool(_OPENING.search(html[:20000])) and not _CLOSING.search(html)
    tree = dom.parse(html)
    if tree is None:
        raise ExtractError(f"{name}: no HTML elements found; give a saved HTML page")
    page = metadata.PageMeta(tree)
    pre = _preformatted_text(tree)
    if pre is not None:
        return _read_preformatted(pre, page, url=url, truncated=truncated)
    # the page's own canonical URL names the publisher even when the copy was
    # fetched from a mirror or saved to disk, and gives saved and fetched copies one id
    canonical = metadata.html_canonical_url(page)
    profile = profile_for_url(canonical) or profile_for_url(url)
    draft = Draft(url=canonical or url, profile=profile, truncated=truncated)
    draft.title = metadata.html_title(page, profile) or (
        "" if profile else _trafilatura_title(html)
    )
    # dates from the markup are read before the body is cut out of the tree
    profiled = metadata.profile_date(page, profile)
    markup = metadata.html_date(page, profile, url=draft.url) if profiled is None else None
    draft.language = metadata.html_language(page, profile)
    section = metadata.html_section(page, profile)
    if section:
        draft.sections = [s.strip() for s in section.split(",") if s.strip()]
        draft.section = metadata.main_section(
            draft.sections, profile.section_types if profile else {}
        )
    if profile is not None and profile.place:
        draft.location = dom.first_text(tree, profile.place)
    draft.persons = metadata.html_persons(page, profile)
    if profile is not None:
        for xp in profile.person_tags:
            draft.tags.extend(v for hit in tree.xpath(xp) if (v := dom.value_of(hit)))
    body = _profile_body(tree, profile)
    draft.text = body if body is not None else _generic_body(html, draft.url)
    if profile is not None:
        draft.text = clean.remove_boxes(draft.text, profile.inline_boxes)
        draft.text = clean.cut_tail(draft.text, profile.tail_lines)
        draft.text = clean.drop_banner_lines(draft.text, profile.banner_lines)
        for xp in profile.byline:
            draft.bylines.extend(line for hit in tree.xpath(xp) if (line := dom.value_of(hit)))
        if profile.byline_first_paragraph and not draft.bylines and draft.text:
            first, _, rest = draft.text.partition("\n\n")
            if len(first) < 200 and not first.rstrip().endswith("."):
                draft.bylines.append(first)
                draft.text = rest
        draft.source = profile.source
        draft.republished_by = profile.republisher
        if draft.language is None:
            draft.language = profile.language
    draft.text = clean.remove_repeated_head(draft.text, draft.title)
    with_header = draft.text
    if body is None:
        draft.text = clean.drop_page_header(draft.text, draft.title)
    stated = metadata.statement_date(draft.text, draft.title) or metadata.statement_date(
        with_header, draft.title
    )
    draft.date = metadata.pick_date(profiled, stated, markup, draft.title)
    if draft.location is None:
        draft.location = metadata.location_from_title(draft.title)
    if draft.source is None:
        draft.source = page.get("og:site_name", "application-name")
    return draft


def _trafilatura_title(html: str) -> str:
    """trafilatura's title where our chain found none (no og:title, headline, h1 or
    <title> we could use): the generic path keeps whichever of the two has an answer."""
    from trafilatura.metadata import extract_metadata

    try:
        doc = extract_metadata(html, extensive=False)
    except (ValueError, TypeError):
        return ""
    return " ".join((doc.title or "").split())


def _preformatted_text(tree: dom.HtmlElement) -> str | None:
    """The text of a page served as `<pre>` blocks with capture furniture (a gazette's or
    an archive's text edition), else None. The `<pre>` must hold most of the page's text."""
    pres = tree.xpath("//pre")
    if not pres:
        return None
    text = "\n".join(p.text_content() for p in pres)
    body = tree.find(".//body")
    total = len((body if body is not None else tree).text_content().strip())
    if len(text.strip()) < 0.6 * max(total, 1):
        return None
    from statements.scraper.preformatted import looks_preformatted

    return text if looks_preformatted(text) else None


def _read_preformatted(
    text: str, page: metadata.PageMeta, *, url: str | None, truncated: bool
) -> Draft:
    from statements.scraper.preformatted import read_preformatted

    doc = read_preformatted(text)
    canonical = metadata.html_canonical_url(page)
    draft = Draft(url=canonical or url, truncated=truncated)
    draft.title = doc.title or metadata.html_title(page, None) or ""
    draft.text = doc.text
    draft.date = doc.date or metadata.html_date(page, None, url=draft.url)
    draft.signers = doc.signers
    draft.document_number = doc.document_number
    draft.language = metadata.html_language(page, None)
    draft.source = doc.agency or page.get("og:site_name", "application-name")
    return draft


def _profile_body(tree: dom.HtmlElement, profile: SiteProfile | None) -> str | None:
    """The body text from the profile's container, with its lead paragraph first.

    None when the page lacks the container (a redesign, another section of the
    site): then trafilatura reads the page instead.
    """
    if profile is None or not profile.body:
        return None
    root = dom.first(tree, profile.body)
    if root is None:
        return None
    lead_text = ""
    if profile.lead:
        lead = dom.first(tree, profile.lead)
        if (
            lead is not None
            and lead not in root.iterancestors()
            and root not in lead.iterancestors()
        ):
            lead_text = dom.text_of(lead)
    dom.prune(root, profile.drop)
    text = dom.text_of(root)
    if not text.strip():
        return lead_text  # the container is there but empty (a title-only news item)
    if lead_text and " ".join(lead_text.split()) not in " ".join(text[:2000].split()):
        text = f"{lead_text}\n\n{text}"
    return text


#: Below this many characters trafilatura's own extractor found too little, and its
#: comparison with readability and jusText runs (the slow path, ~2x the time).
FALLBACK_CHARS = 600


def _generic_body(html: str, url: str | None) -> str:
    """Main text of a page from an unknown site, by trafilatura.

    Its own extractor alone first (`fast=True`): on every page of the corpus' seven
    issue-9 publishers it gave the same body as with the fallback comparison, in about
    half the time (make eval). The comparison runs only where that finds little text.
    """
    import trafilatura

    page = _XML_INVALID_REF.sub("", html)
    options: dict[str, Any] = {
        "url": url,
        "output_format": "txt",
        "include_comments": False,
        "include_tables": True,
        "include_images": False,
        "include_links": False,
        "favor_precision": True,
        "deduplicate": False,
    }
    text = trafilatura.extract(page, fast=True, **options)
    if not text or len(text) < FALLBACK_CHARS:
        text = trafilatura.extract(page, **options) or text
    if not text:
        return ""
    # trafilatura separates paragraphs by one newline; the record uses blank lines
    return clean.tidy(text.replace("\n", "\n\n"))
