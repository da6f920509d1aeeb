"""Boilerplate removal: named marker data plus the few operations that apply it.

The markers are data in the manner of trafilatura's `xpaths.py`: tuples with
names that say what they catch. Site-specific banners live in the site
profiles (`scraper/sites/`); the markers here are the ones every site shows in
some wording (cookie notices, share/print/e-mail forms, newsletter boxes).
Every function is linear in the text: patterns are anchored to single lines
or have bounded repetitions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bs4 import BeautifulSoup, NavigableString, Tag

# ---- HTML: elements that are never statement text ------------------------------------

#: Elements removed wherever they appear (page chrome and non-text content).
CHROME_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "canvas",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "nav",
    "footer",
    "aside",
    "figure",
    "figcaption",
    "video",
    "audio",
    "object",
)

#: Hidden elements (tooltips, screen-reader duplicates).
HIDDEN_SELECTORS = ("[hidden]", "[aria-hidden=true]", ".visually-hidden", ".sr-only")

#: Class/id words of share, print, e-mail, cookie, newsletter and related-items boxes.
BOX_WORDS = (
    "share",
    "social",
    "print",
    "sendmail",
    "email-form",
    "cookie",
    "newsletter",
    "subscribe",
    "signup",
    "related",
    "see-also",
    "breadcrumb",
    "pagination",
    "donate",
    "banner",
    "advert",
)

# ---- text: lines that are never statement text ---------------------------------------

#: Whole lines any site may show around a statement (matched case-insensitively).
GENERIC_BANNER_LINES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx, re.I))
    for name, rx in (
        ("skip_link", r"^Skip to (?:main )?content$"),
        ("cookie_notice", r"^.{0,80}\b(?:uses|use) cookies\b.{0,200}$"),
        ("cookie_buttons", r"^(?:Accept|Reject) (?:all |additional )?cookies$"),
        ("share_row", r"^(?:Share|Share this(?: page| article)?|Print|E-?mail|Tweet)$"),
        ("send_by_email", r"^(?:Send by email|Message preview|Addressee email|Send)$"),
        ("newsletter", r"^(?:Sign up|Subscribe) (?:to|for) (?:our|the) .{0,40}newsletter.{0,40}$"),
        ("back_to_top", r"^(?:Back to top|Top of page)$"),
        ("escaped_end_mark", r"^\\?#{3}$"),
    )
)


def prune_html(root: Tag, selectors: Iterable[str] = ()) -> None:
    """Remove chrome elements, hidden elements, share/cookie boxes and `selectors` in place."""
    for el in root.find_all(CHROME_TAGS):
        el.decompose()
    for el in root.select(", ".join((*HIDDEN_SELECTORS, *selectors))):
        if not el.decomposed:
            el.decompose()
    for el in root.find_all(True, attrs={"class": True}):
        if el.decomposed:
            continue
        classes = " ".join(el.get("class") or ()).lower()
        if any(word in classes for word in BOX_WORDS) and not _is_big(el):
            el.decompose()


def _is_big(el: Tag) -> bool:
    """A container holding most of a page is not a share box even if its class says so."""
    return len(el.get_text(" ", strip=True)) > 2000


# Block elements: their text is a paragraph of its own.
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "blockquote",
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
        "center",
    ]
)


def html_text(root: Tag) -> str:
    """The text of an element with one blank line between block elements.

    Inline markup (`<b>Vladimir Putin</b>: ...`) stays in its paragraph, so
    turn labels remain at the start of their paragraph for the turn splitter.
    """
    parts: list[str] = []
    _walk(root, parts)
    return tidy("".join(parts))


_WS = re.compile(r"\s+")
# In a bold turn label a line break is only layout: "President of Russia<br>Vladimir Putin:"
_LABEL_TAGS = frozenset(("b", "strong"))


def _walk(node: Tag, parts: list[str], in_label: bool = False) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not comments, CDATA, doctype
                text = str(child)
                parts.append(text if node.name == "pre" else _WS.sub(" ", text))
        elif isinstance(child, Tag):
            name = child.name
            if name == "br":
                parts.append(" " if in_label else "\n")
            elif name in _BLOCKS:
                parts.append("\n\n")
                _walk(child, parts, in_label)
                parts.append("\n\n")
            else:
                _walk(child, parts, in_label or name in _LABEL_TAGS)


def html_fragment_text(html: str) -> str:
    """Text of an HTML fragment (a feed item's content, a JSON item's body)."""
    soup = BeautifulSoup(html, "lxml")
    root = soup.body or soup
    prune_html(root)
    return html_text(root)


# ---- text operations -----------------------------------------------------------------

_SPACES = re.compile(r"[ \t\f\v]+")
_SPACE_BEFORE_PUNCT = re.compile(r" +(?=[.,;:!?](?:\s|$))")


def tidy(text: str) -> str:
    """One space between words, paragraphs separated by exactly one blank line."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        para = "\n".join(line for line in lines if line)
        if para:
            paragraphs.append(para)
    return "\n\n".join(paragraphs)


def unwrap(text: str) -> str:
    """Join hard-wrapped lines inside each paragraph (markdown captures wrap at ~72 columns)."""
    return "\n\n".join(" ".join(p.split("\n")) for p in tidy(text).split("\n\n"))


def fix_space_before_punctuation(text: str) -> str:
    """ "Узбекистан ." -> "Узбекистан." (left behind where a tooltip was cut out)."""
    return _SPACE_BEFORE_PUNCT.sub("", text)


def is_banner(line: str, site_patterns: Sequence[re.Pattern[str]] = ()) -> bool:
    """True if a (stripped) line is a generic or site banner."""
    line = line.strip()
    if not line:
        return False
    if any(p.search(line) for p in site_patterns):
        return True
    return any(p.search(line) for _name, p in GENERIC_BANNER_LINES)


def drop_banner_lines(text: str, site_patterns: Sequence[re.Pattern[str]] = ()) -> str:
    """Remove every line that is a banner; paragraphs otherwise untouched."""
    kept = [line for line in text.split("\n") if not is_banner(line, site_patterns)]
    return tidy("\n".join(kept))


def cut_tail(text: str, tail_patterns: Sequence[re.Pattern[str]]) -> str:
    """Drop everything from the first line matching a tail marker (footers, newsletter box)."""
    if not tail_patterns:
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped and any(p.search(stripped) for p in tail_patterns):
            return "\n".join(lines[:i]).rstrip()
    return text


def remove_boxes(text: str, box_patterns: Sequence[re.Pattern[str]]) -> str:
    """Delete inline boxes (related items, calendar links) from running text."""
    for pattern in box_patterns:
        text = pattern.sub("", text)
    return text


def remove_repeated_head(text: str, *heads: str | None) -> str:
    """Drop leading paragraphs that repeat the title or lead (captures often repeat them)."""
    wanted = {_key(h) for h in heads if h}
    paragraphs = text.split("\n\n")
    while paragraphs and _key(paragraphs[0]) in wanted:
        paragraphs.pop(0)
    return "\n\n".join(paragraphs)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


_SENTENCE_END = re.compile(r"[.!?…»>)\]\"”]\s")


def cut_tag_footer(
    text: str, end: re.Pattern[str] | None, start: re.Pattern[str] | None
) -> tuple[str, str]:
    """Split a one-line capture into (body, footer) at its tag/status footer.

    The footer begins at the first `start` label ("География", "Темы", "Лица")
    after the body's last sentence end before the `end` marker ("Статус
    материала"): tag lists carry no sentence punctuation, running text does.
    """
    if end is None:
        return text, ""
    m = end.search(text)
    if not m:
        return text, ""
    cut = m.start()
    if start is not None:
        last_end = max(0, cut - 5000)
        for s in _SENTENCE_END.finditer(text, max(0, cut - 5000), cut):
            last_end = s.end()
        f = start.search(text, max(0, last_end - 1), cut + 1)
        if f:
            cut = f.start()
    return text[:cut].rstrip(), text[cut:]
