"""Who a page's markup says is speaking or writing, on sites without a profile.

Publishers mark the speaker of a speech or the authors of a blog post in a few
common ways, which trafilatura's author finder also reads: meta tags
(`citation_author`, Dublin Core / AGLS `dcterms.creator`, `author`), schema.org
`itemprop="author"`, `rel="author"` links and elements whose class names a
speaker, an author or a byline (`p.speaker`, `a.author > .name`,
`strong.rss-speech-speaker`, `h3.speaker` transcript headings). The selectors
are data below, not per-site rules. People the text merely mentions are never
read from here: only these elements, never the body.

Values come back as printed, reordered where the markup writes the surname
first ("Bouabdallah, Othman" -> "Othman Bouabdallah"); `canonical_name` turns
them into names and drops what is not a person ("European Central Bank").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from statements.scraper.dom import HtmlElement

#: meta names whose content is one author, "Surname, Given" for the citation_ family
AUTHOR_META = (
    "citation_author",
    "dc.creator",
    "dcterms.creator",
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "byl",
)

#: class-name words of elements naming a speaker or author ("author-details", "speaker")
MARKUP_CLASS = re.compile(r"^(?:[\w-]*[-_])?(?:speakers?|authors?|byline|by-line)(?:[-_][\w-]*)?$")
#: class-name words of the parts of such an element that hold the bare name
NAME_CLASS = re.compile(r"^(?:[\w-]*[-_])?(?:name|fn|full-name)$")
#: class-name words of author boxes that are not names (pictures, biographies, links)
NOT_NAME_CLASS = re.compile(r"(?:image|img|photo|picture|avatar|bio|description|social|link)s?$")
#: regions whose authors are not the page's (comments, related items, menus)
ELSEWHERE = re.compile(
    r"^(?:comment|related|recommend|sidebar|footer|nav|menu|teaser|more-from|promo|newsletter)",
    re.I,
)

_AGLS_NAME = re.compile(r"(?:^|;)\s*(?:authorName|personalName|name)\s*=\s*([^;]+)", re.I)
_BY = re.compile(r"^\s*(?:by|from|von|par|por|di|автор[ыа]?:?)\s+", re.I)
_SPLIT = re.compile(r"\s*(?:;|\||·|\s&\s|\band\b|\bund\b|\bet\b|\bи\b)\s*")
_SURNAME_FIRST = re.compile(r"^([^\s,]+(?:[ -][^\s,]+)?),\s*([^\s,]+(?:\s[^\s,]+){0,2})$")
#: a class-based selector finding more people than this is a listing, not a byline
MAX_PEOPLE = 40
_MAX_TEXT = 120


def surname_first(value: str) -> str:
    """ "Bouabdallah, Othman" -> "Othman Bouabdallah"; other values unchanged."""
    m = _SURNAME_FIRST.match(value.strip())
    return f"{m.group(2)} {m.group(1)}" if m else value.strip()


def split_names(text: str) -> list[str]:
    """The names of one byline: "By Jane Doe and John Roe", "Jerome H. Powell, Chair"."""
    text = _BY.sub("", text).strip()
    if _SURNAME_FIRST.match(text):
        return [surname_first(text)]
    return [p for part in _SPLIT.split(text) for p in part.split(", ") if p.strip()]


def _classes(el: HtmlElement) -> list[str]:
    return (el.get("class") or "").split()


def _elsewhere(el: HtmlElement) -> bool:
    for anc in el.iterancestors():
        if anc.tag in ("footer", "nav", "aside"):
            return True
        if any(
            ELSEWHERE.match(w) for w in f"{anc.get('class') or ''} {anc.get('id') or ''}".split()
        ):
            return True
    return False


def _text(el: HtmlElement) -> str:
    return " ".join(" ".join(el.itertext()).split())


def meta_authors(tree: HtmlElement) -> list[str]:
    """Authors named in meta tags, each as printed (surname-first forms reordered)."""
    out: list[str] = []
    for el in tree.iter("meta"):
        key = (el.get("name") or el.get("property") or "").lower()
        if key not in AUTHOR_META:
            continue
        value = " ".join((el.get("content") or "").split())
        if not value or value.startswith(("http://", "https://", "@")):
            continue
        agls = _AGLS_NAME.search(value)
        if agls:
            value = agls.group(1)
        elif "=" in value:
            continue  # "scheme=AGLSTERMS.AglsAgent; corporateName=..." names a body
        if key.startswith(("citation_", "dc", "parsely")) or agls:
            value = surname_first(value)
        out.append(_BY.sub("", value))
    return out


def markup_people(tree: HtmlElement) -> list[str]:
    """People the page's markup names as its speakers or authors, as printed."""
    found: list[str] = []
    for el in tree.xpath("//*[@itemprop='author'] | //a[@rel='author']"):
        names = el.xpath(".//*[@itemprop='name']")
        found.extend(_text(n) for n in (names or [el]))
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("meta", "link", "script", "style", "body"):
            continue
        cls = _classes(el)
        if not any(MARKUP_CLASS.match(c) for c in cls):
            continue
        if any(NOT_NAME_CLASS.search(c) for c in cls):
            continue
        if any(MARKUP_CLASS.match(c) for a in el.iterancestors() for c in _classes(a)):
            continue  # the outer author box is read below
        if _elsewhere(el):
            continue
        parts = [n for n in el.iter() if any(NAME_CLASS.match(c) for c in _classes(n))]
        texts = [_text(n) for n in parts] if parts else [_text(el)]
        for text in texts:
            if 0 < len(text) <= _MAX_TEXT:
                found.extend(split_names(text))
        if len(set(found)) > MAX_PEOPLE:
            return meta_authors(tree)  # a listing of articles, not this page's byline
    return [*found, *meta_authors(tree)]
