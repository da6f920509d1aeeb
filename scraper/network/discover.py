"""Find statement links in what a source URL returns: a feed, a sitemap or a listing page.

Pure parsing, no network: `index.update` fetches, this reads. XML (RSS, Atom,
RDF, sitemaps, sitemap indexes) is parsed with defusedxml, so an entity bomb
("billion laughs") or an external entity is rejected with a clear message
instead of expanding in memory. A listing page uses the site profile's link
selectors when the profile has them (`listing_links`), else it keeps same-host
links whose path looks like a single statement (a numeric id, a long slug or
a date in the path), not navigation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from statements.scraper.errors import StatementsError

__all__ = ["DiscoverError", "Discovery", "Link", "detect_kind", "parse_source"]

GZIP_MAGIC = b"\x1f\x8b"
MAX_XML_BYTES = 50 * 1024 * 1024  # a sitemap may hold 50,000 URLs in 50 MB

#: path segments that mark navigation, not a statement page
NAV_SEGMENTS = frozenset(
    {
        "tag",
        "tags",
        "category",
        "categories",
        "search",
        "login",
        "signin",
        "register",
        "author",
        "authors",
        "page",
        "feed",
        "rss",
        "subscribe",
        "contact",
        "contacts",
        "about",
        "privacy",
        "terms",
        "sitemap",
        "accessibility",
        "print",
        "by-date",
        "archive",
    }
)
#: file endings of things that are not statement pages
ASSET_ENDINGS = (
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".svg",
    ".webp",
    ".css",
    ".js",
    ".ico",
    ".mp3",
    ".mp4",
    ".avi",
    ".mov",
    ".zip",
    ".xml",
    ".rss",
    ".json",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
)
_DATE_IN_PATH = re.compile(r"/(?:19|20)\d\d(?:/|-)(?:0?[1-9]|1[0-2])(?:/|-|$)")
_NUMERIC_ID = re.compile(r"\d{3,}")


class DiscoverError(StatementsError):
    """A source's feed, sitemap or listing could not be read for links."""


@dataclass(frozen=True)
class Link:
    """A statement page found in a source; `lastmod` is the sitemap's/feed's date, raw."""

    url: str
    title: str | None = None
    lastmod: str | None = None


@dataclass(frozen=True)
class Discovery:
    """What a source page holds: statement links, and child sitemaps for an index."""

    kind: str  # "feed", "sitemap", "sitemap-index" or "listing"
    links: tuple[Link, ...] = ()
    sitemaps: tuple[Link, ...] = ()


def _root_kind(start: bytes) -> str | None:
    """The kind an XML root element in `start` (lower case) names, if one is there."""
    if b"<sitemapindex" in start:
        return "sitemap-index"
    if b"<urlset" in start:
        return "sitemap"
    if b"<rss" in start or b"<feed" in start or b"<rdf:rdf" in start:
        return "feed"
    return None


def detect_kind(content: bytes, content_type: str | None = None) -> str:
    """'feed', 'sitemap', 'sitemap-index' or 'listing', from the first bytes of the document."""
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    kind = _root_kind(head)
    if kind:
        return kind
    ctype = (content_type or "").lower()
    if ("xml" in ctype and "html" not in ctype) or head.startswith(b"<?xml"):
        # XML whose root was beyond the first bytes (a long comment or DTD): look deeper
        body = content[:65536].lower()
        kind = _root_kind(body)
        if kind:
            return kind
        if b"<html" not in body:
            return "feed"  # unknown XML: parsed as a feed, which reports what it is
    return "listing"


def parse_source(content: bytes, *, url: str, content_type: str | None = None) -> Discovery:
    """The statement links (and child sitemaps) in a fetched source document.

    Gzipped sitemaps (`sitemap.xml.gz`) are decompressed with a size cap.
    Raises `DiscoverError` for malformed or hostile XML.
    """
    if content.startswith(GZIP_MAGIC):
        from statements.scraper.network.inflate import gunzip_capped

        content = gunzip_capped(content, MAX_XML_BYTES, url=url)
    kind = detect_kind(content, content_type)
    if kind == "listing":
        return Discovery("listing", links=tuple(parse_listing(content, url=url)))
    root = _parse_xml(content, url)
    name = _local(root.tag)
    if name == "sitemapindex":
        children = [Link(loc, lastmod=lm) for loc, lm in _sitemap_entries(root, "sitemap", url)]
        return Discovery("sitemap-index", sitemaps=tuple(unique_links(children)))
    if name == "urlset":
        links = [Link(loc, lastmod=lm) for loc, lm in _sitemap_entries(root, "url", url)]
        return Discovery("sitemap", links=tuple(unique_links(links)))
    if name in ("rss", "feed", "RDF"):
        return Discovery("feed", links=tuple(unique_links(_feed_links(root, url))))
    raise DiscoverError(
        f"{url}: XML document <{name}> is neither a feed nor a sitemap",
        "add the address of an RSS/Atom feed, a sitemap or a listing page",
    )


# ---- XML -------------------------------------------------------------------------


def _parse_xml(content: bytes, url: str) -> Any:
    from xml.etree.ElementTree import ParseError

    import defusedxml
    import defusedxml.ElementTree as SafeET

    try:
        return SafeET.fromstring(content, forbid_dtd=False, forbid_entities=True)
    except defusedxml.EntitiesForbidden:
        raise DiscoverError(
            f"{url}: the XML declares entities (a possible 'billion laughs' entity bomb); rejected",
            "feeds and sitemaps never need entity declarations: ask the site for a plain "
            "feed, or use its listing page instead",
        ) from None
    except defusedxml.DefusedXmlException as exc:
        raise DiscoverError(
            f"{url}: the XML uses a forbidden construct ({type(exc).__name__}); rejected",
            "use the site's listing page instead",
        ) from None
    except ParseError as exc:
        raise DiscoverError(
            f"{url}: not well-formed XML ({exc})",
            "check the feed address in a browser; a listing page can be added instead",
        ) from None


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: Any, name: str) -> list[Any]:
    return [c for c in el if _local(c.tag) == name]


def _text(el: Any, name: str) -> str | None:
    for c in el:
        if _local(c.tag) == name and c.text and c.text.strip():
            return str(c.text.strip())
    return None


def _sitemap_entries(root: Any, entry: str, base: str) -> list[tuple[str, str | None]]:
    out = []
    for el in _children(root, entry):
        loc = _absolute(_text(el, "loc"), base)
        if loc:
            out.append((loc, _text(el, "lastmod")))
    return out


def _feed_links(root: Any, base: str) -> list[Link]:
    """Items of RSS 2.0, RSS 1.0 (RDF) and Atom, in feed order."""
    links: list[Link] = []
    name = _local(root.tag)
    if name == "feed":  # Atom
        for entry in _children(root, "entry"):
            href = None
            for link in _children(entry, "link"):
                if link.get("rel", "alternate") == "alternate" and link.get("href"):
                    href = link.get("href")
                    break
            url = _absolute(href or _text(entry, "id"), base)
            if url:
                links.append(Link(url, _text(entry, "title"), _text(entry, "updated")))
        return links
    items: list[Any] = []
    if name == "rss":
        for channel in _children(root, "channel"):
            items.extend(_children(channel, "item"))
    else:  # RDF: items are children of the root
        items = _children(root, "item")
    for item in items:
        href = _text(item, "link")
        if not href:
            guid = next(iter(_children(item, "guid")), None)
            if guid is not None and guid.get("isPermaLink", "true") != "false":
                href = (guid.text or "").strip()
        if not href:
            href = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
        url = _absolute(href, base)
        if url:
            links.append(Link(url, _text(item, "title")))
    return links


# ---- HTML listing pages ---------------------------------------------------------------


def parse_listing(
    content: bytes, *, url: str, selectors: tuple[str, ...] | None = None
) -> list[Link]:
    """Statement links on a listing page: XPath selectors, else a same-host heuristic.

    `selectors` (XPath, like every site-profile selector: see `scraper.sites.profile.by_class`)
    default to the site profile's `listing_links` when profiles carry that field;
    elements they match are links or contain links.
    """
    import lxml.etree
    import lxml.html

    from statements.scraper.sites.registry import host_of, profile_for_url

    if not content.strip():
        return []
    try:
        root = lxml.html.fromstring(content)
    except (lxml.etree.ParserError, ValueError):
        return []  # nothing parseable: no links (the source then lists nothing)
    if selectors is None:
        profile = profile_for_url(url)
        selectors = tuple(getattr(profile, "listing_links", ()) or ())
    anchors: list[Any] = []
    for sel in selectors:
        try:
            found = root.xpath(sel)
        except lxml.etree.XPathError:
            raise DiscoverError(
                f"listing selector {sel!r} is not valid XPath",
                "fix `listing_links` in the site profile",
            ) from None
        for el in found if isinstance(found, list) else ():
            if not isinstance(el, lxml.html.HtmlElement):
                continue
            anchors.extend([el] if el.tag == "a" else el.iter("a"))
    use_heuristic = not anchors
    if use_heuristic:
        anchors = list(root.iter("a"))
    host = host_of(url)
    page = _absolute(url, url)
    out: list[Link] = []
    for a in anchors:
        href = _absolute(a.get("href"), url)
        if not href or href == page or host_of(href) != host:
            continue
        if use_heuristic and not looks_like_statement(href):
            continue
        title = " ".join(a.text_content().split()) or None
        out.append(Link(href, title))
    return unique_links(out)


def looks_like_statement(url: str) -> bool:
    """Whether a URL's path looks like one statement rather than navigation.

    Kept: a numeric id ("/news/42376"), a date in the path ("/2021/01/20/..."),
    or a slug of four or more words ("/remarks-by-the-president-on-..."). Not
    kept: query-only pages, assets, tag/category/search/pagination paths.
    """
    parts = urlsplit(url)
    path = parts.path
    if path.lower().endswith(ASSET_ENDINGS):
        return False
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    if any(s.lower() in NAV_SEGMENTS for s in segments):
        return False
    if re.search(r"(?:^|[?&])(?:page|p|start|offset)=", parts.query):
        return False
    last = segments[-1].rsplit(".", 1)[0]
    if _NUMERIC_ID.search(last) and len(segments) >= 2:
        return True
    if _DATE_IN_PATH.search(path):
        return True
    return len([w for w in re.split(r"[-_]+", last) if w]) >= 4


# ---- helpers ----------------------------------------------------------------------


def _absolute(href: str | None, base: str) -> str | None:
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    try:
        full = urljoin(base, href).split("#", 1)[0]
        parts = urlsplit(full)
    except ValueError:  # "http://[::1/": a broken IPv6 literal
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return full


def unique_links(links: list[Link]) -> list[Link]:
    """Each link once, in the order first listed."""
    seen: set[str] = set()
    out = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            out.append(link)
    return out
