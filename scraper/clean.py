"""Boilerplate removal: named marker data plus the few operations that apply it.

The markers are data in the manner of trafilatura's `xpaths.py`: tuples with
names that say what they catch. Site-specific banners live in the site
profiles (`scraper/sites/`); the markers here are the ones every site shows in
some wording (cookie notices, share/print/e-mail forms, newsletter boxes).
Every function is linear in the text: patterns are anchored to single lines
or have bounded repetitions.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

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
HIDDEN_XPATH = (
    '//*[@hidden or @aria-hidden="true" or contains(concat(" ", normalize-space(@class), " "),'
    ' " visually-hidden ") or contains(concat(" ", normalize-space(@class), " "), " sr-only ")]'
)

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


# ---- text operations -----------------------------------------------------------------

_SPACES = re.compile(r"[ \t\f\v]+")
_SPACE_BEFORE_PUNCT = re.compile(r" +(?=[.,;:!?](?:\s|$))")


_TRIM_NEWLINE = re.compile(r" ?\n ?")
_BLANKS = re.compile(r"\n{3,}")


def tidy(text: str) -> str:
    """One space between words, paragraphs separated by exactly one blank line.

    Whole-text regexes rather than a loop over lines: this runs several times
    per page on texts of up to a few hundred kilobytes.
    """
    text = _SPACES.sub(" ", text)
    text = _TRIM_NEWLINE.sub("\n", text)
    return _BLANKS.sub("\n\n", text).strip()


def unwrap(text: str) -> str:
    """Join hard-wrapped lines inside each paragraph (markdown captures wrap at ~72 columns)."""
    return "\n\n".join(" ".join(p.split("\n")) for p in tidy(text).split("\n\n"))


# ---- markdown left in record texts (the White House set is the repository's markdown) --

#: Inline HTML in markdown: whole figure/script/style blocks, then any tag ("<s>", "</a>").
#: "<…>" (a transcript's omission mark) is not a tag: a tag starts with a letter or "/".
_MD_HTML = re.compile(
    r"<!--.{0,2000}?-->|<(figure|script|style)\b.{0,20000}?</\1>|</?[A-Za-z][^<>\n]{0,500}>",
    re.S | re.I,
)
_MD_LINK = re.compile(r"!?\[([^\]]{0,300})\]\((?:[^()\s]|\([^()\s]*\))+\)")
_MD_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_MD_HEADING = re.compile(r"^#{1,6}\s+(?=\S)", re.M)
_MD_EMPHASIS = re.compile(r"(?<![\w*])\*{1,3}(?=[\w\"“‘($£€])|(?<=[\w.!?,;:\"”’)])\*{1,3}(?![\w*])")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")


def strip_markdown(text: str) -> str:
    """Plain text from markdown: links keep their words, tags, emphasis and escapes go.

    Bullets and numbered lists stay as they are: they read fine as text.
    """
    if "<" in text:
        text = _MD_AUTOLINK.sub(r"\1", text)
        text = _MD_HTML.sub("", text)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    text = _MD_ESCAPE.sub(r"\1", text)
    if "*" in text:
        text = _MD_EMPHASIS.sub("", text)
    text = _MD_HEADING.sub("", text)
    return tidy(text)


def fix_space_before_punctuation(text: str) -> str:
    """ "Узбекистан ." -> "Узбекистан." (left behind where a tooltip was cut out)."""
    return _SPACE_BEFORE_PUNCT.sub("", text)


#: Longer lines are running text: no banner pattern needs to look at them.
MAX_BANNER_LINE = 400


@functools.lru_cache(maxsize=64)
def _banner_regex(site_patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """One alternation of the site's and the generic banner patterns (one search per line)."""
    parts = [p.pattern for p in site_patterns] + [p.pattern for _n, p in GENERIC_BANNER_LINES]
    return re.compile("|".join(f"(?:{p})" for p in parts), re.I)


def is_banner(line: str, site_patterns: Sequence[re.Pattern[str]] = ()) -> bool:
    """True if a (stripped) line is a generic or site banner."""
    line = line.strip()
    if not line or len(line) > MAX_BANNER_LINE:
        return False
    return _banner_regex(tuple(site_patterns)).search(line) is not None


def drop_banner_lines(text: str, site_patterns: Sequence[re.Pattern[str]] = ()) -> str:
    """Remove every line that is a banner; paragraphs otherwise untouched."""
    regex = _banner_regex(tuple(site_patterns))
    kept = [
        line
        for line in text.split("\n")
        if len(line) > MAX_BANNER_LINE or not regex.search(line.strip())
    ]
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
    """Delete inline boxes (related items, calendar links) from running text.

    A pattern with a group named "keep" is replaced by that group rather than
    by nothing (a tooltip glued to the word it explains keeps the word).
    """
    for pattern in box_patterns:
        if "keep" in pattern.groupindex:
            text = pattern.sub(lambda m: m.group("keep"), text)
        else:
            text = pattern.sub("", text)
    return text


def remove_repeated_head(text: str, *heads: str | None) -> str:
    """Drop leading paragraphs that repeat the title or lead (captures often repeat them)."""
    wanted = {_key(h) for h in heads if h}
    paragraphs = text.split("\n\n")
    while paragraphs and _key(paragraphs[0]) in wanted:
        paragraphs.pop(0)
    return "\n\n".join(paragraphs)


def drop_page_header(text: str, title: str) -> str:
    """Drop the page's heading block a generic extractor copies into the body: kicker
    labels ("- PRESS RELEASE", "THE ECB BLOG"), the title itself and a date line right
    under it, when the title is among the first four paragraphs. Subtitles, bylines and
    places under the title stay (they name speakers and places)."""
    from statements.scraper.dates import parse_date

    paragraphs = text.split("\n\n")
    key = _key(title)
    at = next((i for i, p in enumerate(paragraphs[:4]) if _key(p.lstrip("-–• ")) == key), None)
    if at is None or not key:
        return text
    if any(len(p.split()) > 6 for p in paragraphs[:at]):
        return text  # the paragraphs before the title are text, not labels
    rest = paragraphs[at + 1 :]
    if rest and parse_date(rest[0].strip("-–• ")):
        rest = rest[1:]
    return "\n\n".join(rest) if rest else text


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
