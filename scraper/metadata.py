"""Metadata fields, each a short fallback chain of small functions.

In the manner of trafilatura's `metadata.py`: for an HTML page each field is
tried as site profile selector -> meta tags -> JSON-LD -> page heuristics,
and the first answer wins. Text-level helpers (type from title words,
location from a title's tail, language from the script used) serve every
input format.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from bs4 import BeautifulSoup, Tag

from scraper.dates import find_date, parse_date
from scraper.sites import SiteProfile

# ---- HTML field chains ---------------------------------------------------------------


def _attr_or_text(el: Tag) -> str:
    for attr in ("content", "datetime"):
        value = el.get(attr)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return " ".join(el.get_text(" ", strip=True).split())


def select_text(soup: BeautifulSoup | Tag, selectors: Iterable[str]) -> str | None:
    """The text (or content/datetime attribute) of the first selector that matches."""
    for sel in selectors:
        el = soup.select_one(sel)
        if el is not None:
            value = _attr_or_text(el)
            if value:
                return value
    return None


def meta(soup: BeautifulSoup, *names: str) -> str | None:
    """The content of the first `<meta name|property|itemprop=...>` among `names`."""
    index = _meta_index(soup)
    for name in names:
        value = index.get(name.lower())
        if value:
            return value
    return None


def _meta_index(soup: BeautifulSoup) -> dict[str, str]:
    """All meta tags by lower-cased name, built once per page (first occurrence wins)."""
    cached = soup.__dict__.get("_statements_meta")
    if cached is not None:
        return cached
    index: dict[str, str] = {}
    for el in soup.find_all("meta"):
        content = el.get("content")
        if not isinstance(content, str) or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = el.get(attr)
            if isinstance(key, str):
                index.setdefault(key.lower(), " ".join(content.split()))
    soup.__dict__["_statements_meta"] = index
    return index


def json_ld(soup: BeautifulSoup) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page (graphs flattened); bad JSON is skipped."""
    found: list[dict[str, Any]] = []
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                found.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return found


def _ld_value(items: list[dict[str, Any]], *keys: str) -> str | None:
    for item in items:
        for key in keys:
            value = item.get(key)
            if isinstance(value, dict):
                value = value.get("name")
            if isinstance(value, list) and value:
                value = value[0].get("name") if isinstance(value[0], dict) else value[0]
            if isinstance(value, str) and value.strip():
                return " ".join(value.split())
    return None


def html_title(soup: BeautifulSoup, profile: SiteProfile | None, ld: list[dict]) -> str | None:
    """Profile selector -> og:title -> JSON-LD headline -> first h1 -> <title>."""
    chain: tuple[Callable[[], str | None], ...] = (
        lambda: select_text(soup, profile.title) if profile else None,
        lambda: meta(soup, "og:title", "twitter:title", "dc.title", "DC.title"),
        lambda: _ld_value(ld, "headline", "name"),
        lambda: select_text(soup, ("h1",)),
        lambda: soup.title.get_text(" ", strip=True) if soup.title else None,
    )
    return _first(chain)


def html_date(soup: BeautifulSoup, profile: SiteProfile | None, ld: list[dict]) -> dt.date | None:
    """Profile selector -> article meta tags -> JSON-LD datePublished -> first <time>.

    Modification, print and capture dates are deliberately not in the chain.
    """
    chain: tuple[Callable[[], str | None], ...] = (
        lambda: select_text(soup, profile.date) if profile else None,
        lambda: meta(
            soup,
            "article:published_time",
            "datePublished",
            "date",
            "dc.date",
            "DC.date.issued",
            "govuk:first-published-at",
        ),
        lambda: _ld_value(ld, "datePublished", "dateCreated"),
        lambda: select_text(soup, ("time[datetime]",)),
    )
    for step in chain:
        value = step()
        if value:
            date = parse_date(value) or find_date(value)
            if date:
                return date
    return None


def html_language(soup: BeautifulSoup, profile: SiteProfile | None) -> str | None:
    """`<html lang>` -> og:locale / inLanguage meta -> the profile's language."""
    html = soup.find("html")
    lang = html.get("lang") if isinstance(html, Tag) else None
    if not isinstance(lang, str) or not lang.strip():
        lang = meta(soup, "og:locale", "inLanguage", "language")
    if isinstance(lang, str) and re.match(r"^[A-Za-z]{2}", lang.strip()):
        return lang.strip()[:2].lower()
    return profile.language if profile else None


def html_section(soup: BeautifulSoup, profile: SiteProfile | None, ld: list[dict]) -> str | None:
    """Profile selector -> article:section meta -> JSON-LD articleSection."""
    chain: tuple[Callable[[], str | None], ...] = (
        lambda: select_text(soup, profile.section) if profile else None,
        lambda: meta(soup, "article:section"),
        lambda: _ld_value(ld, "articleSection"),
    )
    return _first(chain)


def html_canonical_url(soup: BeautifulSoup) -> str | None:
    """`<link rel=canonical>` -> og:url."""
    link = soup.find("link", rel="canonical")
    href = link.get("href") if isinstance(link, Tag) else None
    if isinstance(href, str) and href.startswith("http"):
        return href.strip()
    value = meta(soup, "og:url")
    return value if value and value.startswith("http") else None


def html_persons(soup: BeautifulSoup, profile: SiteProfile | None, ld: list[dict]) -> list[str]:
    """People named as the page's speakers/authors: profile selectors, then JSON-LD author."""
    names: list[str] = []
    if profile:
        for sel in profile.speakers:
            names.extend(el.get_text(" ", strip=True) for el in soup.select(sel))
    for item in ld:
        author = item.get("author")
        for a in author if isinstance(author, list) else [author]:
            if isinstance(a, dict) and a.get("@type") == "Person" and a.get("name"):
                names.append(str(a["name"]))
    return [n for n in names if n]


def _first(chain: Iterable[Callable[[], str | None]]) -> str | None:
    for step in chain:
        value = step()
        if value:
            return value
    return None


# ---- text-level fields -----------------------------------------------------------------

#: Title words -> statement type, most specific first (English and Russian).
TYPE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx, re.I))
    for kind, rx in (
        (
            "readout",
            r"\breadout\b|\btelephone (?:conversation|call)\b|\bphone call\b"
            r"|['’]s? (?:calls?|meetings?|conversation) with\b|^(?:calls?|phone call) with\b"
            r"|телефонный разговор",
        ),
        (
            "briefing",
            r"\b(?:press |news |background )?briefing\b|\bpress gaggle\b|\bgaggle\b"
            r"|\bbrifing\b|брифинг",
        ),
        ("interview", r"\binterview\b|интервью"),
        ("press release", r"\bpress release\b|пресс-релиз"),
        (
            "remarks",
            r"\bremarks\b|\bopening statement\b|\bpress availability\b"
            r"|вступительное слово",
        ),
        (
            "speech",
            r"\bspeech\b|\baddress(?:es)? (?:to|at|by|before)\b|\blecture\b|выступление"
            r"|обращение",
        ),
        (
            "statement",
            r"\bstatement\b|\bcomment(?:s)? by\b|\bjoint declaration\b|заявление"
            r"|комментарий",
        ),
        (
            "transcript",
            r"\btranscript\b|\bnews conference\b|\bpress conference\b"
            r"|пресс-конференци|стенограмма",
        ),
        ("article", r"\barticle by\b|\bop-ed\b|\bauthored article\b|статья"),
        ("announcement", r"\bannouncement\b|^on [a-z]+ \d{1,2}, .{0,60} will\b|\bанонс"),
        (
            "document",
            r"\bexecutive order\b|\bdecree\b|\bfact sheet\b|\bmemorandum\b|\bprotocol\b"
            r"|\bagreement on\b|указ\b|распоряжение",
        ),
    )
)


def type_from_title(title: str) -> str | None:
    for kind, pattern in TYPE_WORDS:
        if pattern.search(title):
            return kind
    return None


def section_type(sections: Iterable[str], table: dict[str, str]) -> str | None:
    """The statement type a site's section labels imply; specific labels beat "news"."""
    found = [table[s.strip().lower()] for s in sections if s.strip().lower() in table]
    specific = [t for t in found if t != "news"]
    return (specific or found or [None])[0]


def main_section(sections: list[str], table: dict[str, str]) -> str | None:
    """The most specific section label ("Transcripts" over "News" and "President")."""
    ranked = [s for s in sections if table.get(s.strip().lower()) not in (None, "news")]
    return (ranked or sections or [None])[0]


def sections_from_line(text: str, pattern: re.Pattern[str] | None) -> list[str]:
    """Section labels from a footer line such as "Published in sections: News, Transcripts"."""
    if pattern is None:
        return []
    m = pattern.search(text)
    if not m:
        return []
    return [s.strip() for s in m.group("v").split(",") if s.strip()]


def statement_type(
    title: str,
    sections: Iterable[str] = (),
    table: dict[str, str] | None = None,
    hint: str | None = None,
) -> str | None:
    """Title words -> site section -> a hint the input carried (feed category) -> None."""
    return (
        type_from_title(title)
        or (section_type(sections, table) if table else None)
        or (hint.strip().lower() if hint else None)
    )


# "..., Moscow, November 25, 2025" / "... in Brussels on 5 May 2024"
_TITLE_PLACE = re.compile(
    r",\s*(?P<place>[A-Z][\w'.-]+(?:[ -][A-Z][\w'.-]+){0,3}),\s*"
    r"(?:[A-Z][a-z]+\.? \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4})\s*$"
)


def location_from_title(title: str) -> str | None:
    """The place a title ends with before its date ("..., Moscow, November 25, 2025")."""
    m = _TITLE_PLACE.search(title)
    return m.group("place") if m else None


_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> str | None:
    """ "ru" or "en" from the script most letters use; None for too little text.

    Enough for the two languages of this corpus; a page's own `lang` wins over it.
    """
    sample = text[:20000]
    cyr = len(_CYRILLIC.findall(sample))
    lat = len(_LATIN.findall(sample))
    if cyr + lat < 20:
        return None
    if cyr > lat:
        return "ru"
    return "en"


#: Document number forms shown under a title: "1964-25-11-2025", "No. 123-4", "SC/15938".
DOCUMENT_NUMBER = re.compile(
    r"^(?:(?:No\.?|№|Document No\.?)\s*)?(?P<num>\d{1,6}(?:[-/]\d{1,4}){1,4}|[A-Z]{1,4}/\d{2,6})$"
)


def document_number(line: str) -> str | None:
    m = DOCUMENT_NUMBER.match(line.strip())
    return m.group("num") if m else None


#: Words that mark a line as the name of a publishing body, not a title or section.
BODY_WORDS = re.compile(
    r"\b(?:Ministry|Department|Office|Embassy|Mission|Council|Agency|Administration|"
    r"Government|Presidency|Kremlin|Secretariat|Commission|Parliament|News Agency|"
    r"Министерство|Посольство|Администрация)\b",
    re.I,
)


def normalise_body(name: str) -> str:
    """ "The Ministry of Foreign Affairs of the Russian Federation" -> without "The"."""
    name = " ".join(name.split())
    return re.sub(r"^the\s+", "", name, flags=re.I)
