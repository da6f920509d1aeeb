"""Metadata fields, each a short fallback chain of small functions.

In the manner of trafilatura's `metadata.py`: for an HTML page each field is
tried as site profile selector -> meta tags -> JSON-LD -> page heuristics,
and the first answer wins (`PageMeta` reads the meta tags and JSON-LD once
per page). Text-level helpers (type from title words,
location from a title's tail, language from the script used) serve every
input format.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from statements.scraper import dom
from statements.scraper.dates import date_spans, find_date, parse_date
from statements.scraper.dom import HtmlElement
from statements.scraper.sites.profile import SiteProfile

# ---- HTML field chains ---------------------------------------------------------------


class PageMeta:
    """What a page states about itself outside its body, read once per page.

    `meta` maps lower-cased meta names/properties/itemprops to their content
    (first occurrence wins); `ld` holds every JSON-LD object (graphs flattened).
    """

    def __init__(self, tree: HtmlElement) -> None:
        self.tree = tree
        self.meta: dict[str, str] = {}
        for el in tree.iter("meta"):
            content = el.get("content")
            if not content or not content.strip():
                continue
            for attr in ("property", "name", "itemprop"):
                key = el.get(attr)
                if key:
                    self.meta.setdefault(key.lower(), " ".join(content.split()))
        self.ld = _json_ld(tree)

    def get(self, *names: str) -> str | None:
        for name in names:
            value = self.meta.get(name.lower())
            if value:
                return value
        return None

    def ld_value(self, *keys: str) -> str | None:
        for item in self.ld:
            for key in keys:
                value = item.get(key)
                if isinstance(value, dict):
                    value = value.get("name")
                if isinstance(value, list) and value:
                    value = value[0].get("name") if isinstance(value[0], dict) else value[0]
                if isinstance(value, str) and value.strip():
                    return " ".join(value.split())
        return None


def _json_ld(tree: HtmlElement) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
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


_TITLE_SEPARATOR = re.compile(r"\s+[|•–—-]\s+|\s+::\s+")


def html_title(page: PageMeta, profile: SiteProfile | None) -> str | None:
    """Profile XPath -> og:title -> JSON-LD headline -> <title> -> first h1, each cut to
    the statement's headline (`headline`).

    Pages label their titles for the site: "X | Media Releases", "X - November 2024 |
    Speeches | RBA", "X — Ministry of ...", while the page's own heading (h1) is the
    headline, sometimes with a label in front ("Media Release X"). The headline is
    the longest run of a title's segments that a heading of the page holds; without
    such a heading a site-name suffix is removed: from any step when it names the
    page's og:site_name, from `<title>` whenever the last segment is short.
    """
    site = page.get("og:site_name", "application-name")
    if profile:
        title = dom.first_text(page.tree, profile.title)
        if title:
            return strip_site_suffix(title, site)
    headings = [_fold(h) for el in page.tree.iter("h1", "h2") if len(h := dom.text_of(el)) <= 400]
    for raw in (page.get("og:title", "twitter:title", "dc.title"), page.ld_value("headline")):
        if raw:
            return headline(raw, headings) or strip_site_suffix(raw, site)
    doc = dom.first_text(page.tree, ("//title",))
    if doc and (run := headline(doc, headings)):
        return run
    h1 = dom.first_text(page.tree, ("//h1",))
    if h1:
        return h1
    name = page.ld_value("name")
    if name:
        return strip_site_suffix(name, site)
    return strip_site_suffix(doc, site, any_short=True) if doc else None


def headline(title: str, headings: list[str]) -> str | None:
    """The longest run of `title`'s segments (split at " | ", " – ", " - " ...) that one
    of the page's headings (folded) holds, if the title has more than one segment."""
    cuts = [0]
    for m in _TITLE_SEPARATOR.finditer(title):
        cuts.extend((m.start(), m.end()))
    cuts.append(len(title))
    spans = list(zip(cuts[::2], cuts[1::2], strict=True))  # (start, end) of each segment
    if len(spans) < 2 or not headings:
        return None
    best = ""
    for i in range(len(spans)):
        for j in range(len(spans) - 1, i - 1, -1):
            run = title[spans[i][0] : spans[j][1]].strip()
            if len(run) > len(best) and any(_fold(run) in h for h in headings):
                best = run
                break
    return best if len(best) >= 8 else None


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def strip_site_suffix(title: str, site: str | None, any_short: bool = False) -> str:
    """ "X | Example Mirror" -> "X" when the suffix is the site's name (or short, if asked)."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    last = parts[-1].strip()
    if (site and last.casefold() == site.casefold()) or (any_short and len(last) <= 40):
        head = title[: len(title) - len(parts[-1])]
        return head.rstrip().rstrip("|•–—-").rstrip() or title
    return title


def html_date(
    page: PageMeta, profile: SiteProfile | None, url: str | None = None
) -> dt.date | None:
    """The date the page's markup gives: profile XPath -> article meta tags -> JSON-LD
    datePublished -> htmldate on the markup (its original-date mode, no search of the
    running text) -> first <time datetime> -> a /YYYY/MM/DD/ date in the URL.

    Read before the body is cut out of the tree (a profile prunes its containers).
    Modification, print and capture dates are deliberately not in the chain, and no
    step guesses. `statement_date` (a dateline) ranks above every step but the
    profile's: `pick_date` puts them together.
    """
    chain: tuple[Callable[[], str | None], ...] = (
        lambda: dom.first_text(page.tree, profile.date) if profile else None,
        lambda: page.get(
            "article:published_time",
            "datePublished",
            "date",
            "dc.date",
            "dc.date.issued",
            "dcterms.date",
            "dcterms.issued",
            "govuk:first-published-at",
        ),
        lambda: page.ld_value("datePublished", "dateCreated"),
        lambda: _htmldate(page.tree, url),
        lambda: dom.first_text(page.tree, ("//time/@datetime",)),
        lambda: _url_date(url),
    )
    for step in chain:
        value = step()
        if value:
            date = parse_date(value) or find_date(value)
            if date:
                return date
    return None


def profile_date(page: PageMeta, profile: SiteProfile | None) -> dt.date | None:
    """The date where the site's profile says its pages keep it."""
    value = dom.first_text(page.tree, profile.date) if profile else None
    return (parse_date(value) or find_date(value)) if value else None


def pick_date(
    profiled: dt.date | None, stated: dt.date | None, markup: dt.date | None, title: str
) -> dt.date | None:
    """The statement's own date first: the profile's field, then a dateline or signing
    line (`statement_date`), then the markup's date, then a date in the title."""
    return profiled or stated or markup or find_date(title)


def _htmldate(tree: HtmlElement, url: str | None) -> str | None:
    """htmldate (what trafilatura uses) on the markup: meta tags, JSON-LD, date-classed
    elements, the URL; original (publication) date rather than the last update, and no
    extensive search of the page text, which picks up sidebar and footer dates."""
    from htmldate import find_date as htmldate_find

    try:
        return htmldate_find(
            tree, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d"
        )
    except (ValueError, TypeError, RecursionError):
        return None


# Before a dateline's date: a short place ("WASHINGTON,", "Frankfurt am Main,", "SUVA,
# Fiji,") and/or a weekday; after it: a dash, a colon, a bracket or the line's end.
_DATELINE_BEFORE = re.compile(
    r"^\W{0,3}(?:[^\W\d][\w .'’()/-]{0,60}?(?:,\s*|\s+[–—-]\s+)){0,2}(?:[^\W\d]+,?\s*)?$"
)
_DATELINE_AFTER = re.compile(r"^(?:,?\s*\d{1,2}[:.]\d\d\b)?[\s.,]*(?:[–—―-]|:|\(|/|$)")
# ... or a place after the date, ending the line: "25 ноября 2025 года, Москва"
_PLACE_AFTER = re.compile(r"^,\s*(?P<place>[^\W\d][\w.'’-]*(?:\s+[^\W\d][\w.'’-]*){0,3})\.?$")
# The signing line of an order or proclamation in its own title or first line:
# "Executive Order 13147 of March 7, 2000", "Proclamation 7284 of March 7, 2000".
_SIGNING = re.compile(
    r"\b(?:Order|Proclamation|Memorandum|Decree|Determination|Directive|Указ|Erlass|"
    r"Décret|Decreto)\b[^\n]{0,60}?\b(?:of|vom|du|de|del|от)\s+(?P<date>[^\n]{6,40})",
    re.I,
)


def statement_date(body: str, title: str = "") -> dt.date | None:
    """The date the statement itself states: an order's signing line in its title or
    first line, else a dateline opening the body ("WASHINGTON, July 11, 2025 – ...").

    These beat the page's publication date (a speech posted the day after it was given,
    an order printed a week later). Only the body's first line counts, and only a date
    that opens it: a date further down is something the statement talks about.
    """
    first_line = body.lstrip()[:300].split("\n", 1)[0]
    for line in (title, first_line):
        m = _SIGNING.search(line or "")
        if m and (date := find_date(m.group("date"))):
            return date
    for start, end, date in date_spans(first_line[:160], limit=1):
        after = first_line[end:]
        place = _PLACE_AFTER.match(after)
        if _DATELINE_BEFORE.match(first_line[:start]) and (
            _DATELINE_AFTER.match(after)
            or (place and all(w[:1].isupper() for w in place.group("place").split()))
        ):
            return date
    return None


_URL_DATE = re.compile(r"/((?:19|20)\d\d)/([01]\d)/([0-3]\d)(?:/|$)")


def _url_date(url: str | None) -> str | None:
    """ "https://x.gov/briefing-room/2021/02/19/remarks/" -> "2021-02-19" (a full date only)."""
    m = _URL_DATE.search(url or "")
    return "-".join(m.groups()) if m else None


def html_language(page: PageMeta, profile: SiteProfile | None) -> str | None:
    """`<html lang>` -> og:locale / inLanguage meta -> the profile's language."""
    lang = page.tree.get("lang") or page.get("og:locale", "inLanguage", "language")
    if lang and re.match(r"^[A-Za-z]{2}", lang.strip()):
        return lang.strip()[:2].lower()
    return profile.language if profile else None


def html_section(page: PageMeta, profile: SiteProfile | None) -> str | None:
    """Profile XPath -> article:section meta -> JSON-LD articleSection."""
    chain: tuple[Callable[[], str | None], ...] = (
        lambda: dom.first_text(page.tree, profile.section) if profile else None,
        lambda: page.get("article:section"),
        lambda: page.ld_value("articleSection"),
    )
    return _first(chain)


def html_canonical_url(page: PageMeta) -> str | None:
    """`<link rel=canonical>` -> og:url (absolute http(s) URLs only)."""
    for value in (
        dom.first_text(page.tree, ('//link[@rel="canonical"]/@href',)),
        page.get("og:url"),
    ):
        if value and value.startswith(("http://", "https://")):
            return value.strip()
    return None


def html_persons(page: PageMeta, profile: SiteProfile | None) -> list[str]:
    """People named as the page's speakers/authors: profile XPaths, then JSON-LD Person authors."""
    names: list[str] = []
    if profile:
        for xp in profile.speakers:
            names.extend(dom.value_of(hit) for hit in page.tree.xpath(xp))
    for item in page.ld:
        author = item.get("author")
        for a in author if isinstance(author, list) else [author]:
            if isinstance(a, dict) and a.get("@type") == "Person" and a.get("name"):
                names.append(str(a["name"]))
    if profile is None:  # no site knowledge: the common speaker/author markup
        from statements.scraper.bylines import markup_people

        names.extend(markup_people(page.tree))
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
            r"|\bspoke (?:by telephone|by phone|on the phone)\b"
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
    ranked = specific or found
    return ranked[0] if ranked else None


def main_section(sections: list[str], table: dict[str, str]) -> str | None:
    """The most specific section label ("Transcripts" over "News" and "President")."""
    ranked = [s for s in sections if table.get(s.strip().lower()) not in (None, "news")] or sections
    return ranked[0] if ranked else None


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
_HAN = re.compile(r"[\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


def detect_language(text: str) -> str | None:
    """ "ru", "en", "zh", "ja" or "ko" from the script most letters use; None for too
    little text. A page's own `lang` wins over it.

    Chinese characters count once each (a Chinese word is one or two of them, an
    English word five letters): a Chinese page with English names in it is Chinese.
    """
    sample = text[:20000]
    cyr = len(_CYRILLIC.findall(sample))
    lat = len(_LATIN.findall(sample))
    han, kana, hangul = (len(p.findall(sample)) for p in (_HAN, _KANA, _HANGUL))
    if cyr + lat + 3 * (han + kana + hangul) < 20:
        return None
    scores = {"en": lat, "ru": cyr, "cjk": 3 * (han + kana), "ko": 3 * hangul}
    best = max(scores, key=lambda k: scores[k])
    if best == "cjk":
        return "ja" if kana > han / 10 else "zh"
    return best


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
