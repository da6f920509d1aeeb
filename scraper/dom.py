"""HTML as an lxml tree: parse once, select with XPath, prune chrome, read paragraphs.

lxml parses a 30 KB statement page in about a millisecond, eight times faster
than BeautifulSoup's tree over the same parser, and its XPath runs in C; the
reindex reads thousands of pages, so the HTML path stays on lxml. Selectors
in site profiles are XPath (as trafilatura's `xpaths.py`); `sites.profile.by_class`
writes the usual class test so profiles stay readable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree, html
from lxml.html import HtmlElement

from statements.scraper.clean import BOX_WORDS, CHROME_TAGS, HIDDEN_XPATH, tidy

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def parse(text: str) -> HtmlElement | None:
    """The document tree, or None when the text holds no HTML elements at all."""
    text = _XML_DECL.sub("", text, count=1)  # lxml refuses str input with an encoding declaration
    try:
        return html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def first(tree: HtmlElement, xpaths: Iterable[str]) -> HtmlElement | None:
    """The first element the first matching XPath finds."""
    for xp in xpaths:
        for hit in tree.xpath(xp):
            if isinstance(hit, HtmlElement):
                return hit
    return None


def first_text(tree: HtmlElement, xpaths: Iterable[str]) -> str | None:
    """The first non-empty value: an attribute result, or an element's content/datetime/text."""
    for xp in xpaths:
        for hit in tree.xpath(xp):
            value = value_of(hit)
            if value:
                return value
    return None


def value_of(hit: object) -> str:
    if isinstance(hit, str):  # an attribute or text() result
        return " ".join(hit.split())
    if isinstance(hit, HtmlElement):
        for attr in ("content", "datetime"):
            value = hit.get(attr)
            if value and value.strip():
                return " ".join(value.split())
        return " ".join(hit.text_content().split())
    return ""


def _relative(xp: str) -> str:
    return "." + xp if xp.startswith("//") else xp


def prune(root: HtmlElement, xpaths: Iterable[str] = ()) -> None:
    """Remove chrome, hidden elements, share/cookie/related boxes and `xpaths` in place.

    `drop_tree` keeps an element's tail text, which belongs to its parent.
    """
    doomed: list[HtmlElement] = [el for el in root.iter(*CHROME_TAGS) if el is not root]
    for xp in (HIDDEN_XPATH, *xpaths):
        doomed.extend(el for el in root.xpath(_relative(xp)) if isinstance(el, HtmlElement))
    for el in root.iter():
        cls = el.get("class") if isinstance(el.tag, str) else None
        if cls and el is not root:
            low = cls.lower()
            if any(word in low for word in BOX_WORDS) and len(el.text_content()) < 2000:
                doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


# Block elements: their text is a paragraph of its own.
BLOCKS = frozenset(
    [
        "address",
        "article",
        "blockquote",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
#: In a bold turn label a line break is layout: "President of Russia<br>Vladimir Putin:"
LABEL_TAGS = frozenset(("b", "strong"))
_WS = re.compile(r"\s+")


def text_of(root: HtmlElement) -> str:
    """An element's text with one blank line between block elements.

    Inline markup (`<b>Vladimir Putin</b>: ...`) stays in its paragraph, so
    turn labels stay at the start of their paragraph for the turn splitter.
    """
    parts: list[str] = []
    _walk(root, parts, False, False, tail=False)
    return tidy("".join(parts))


def _walk(
    el: HtmlElement, parts: list[str], in_label: bool, in_pre: bool, tail: bool = True
) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    block = tag in BLOCKS
    if tag == "br":
        parts.append(" " if in_label else "\n")
    elif tag:  # comments and processing instructions have no text of their own
        if block:
            parts.append("\n\n")
        if el.text:
            parts.append(el.text if in_pre else _WS.sub(" ", el.text))
        label = in_label or tag in LABEL_TAGS
        pre = in_pre or tag == "pre"
        for child in el:
            _walk(child, parts, label, pre)
        if block:
            parts.append("\n\n")
    if tail and el.tail:
        parts.append(el.tail if in_pre else _WS.sub(" ", el.tail))


def fragment_text(markup: str) -> str:
    """Text of an HTML fragment (a feed item's content, a JSON item's body)."""
    try:
        root = html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return tidy(markup)
    prune(root)
    return text_of(root)
