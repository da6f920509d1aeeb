"""What a site profile holds, and the two helpers profiles are written with.

A profile says where a publisher keeps the body, title, date, place and
speakers on its pages, which lines are its banners, and who the publishing
body is. The site modules beside this one each define a `PROFILE`;
`sites.registry` lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def by_class(name: str, tag: str = "*") -> str:
    """XPath for `tag` elements whose class list holds `name` (CSS `tag.name`)."""
    return f'//{tag}[contains(concat(" ", normalize-space(@class), " "), " {name} ")]'


def patterns(*regexes: str) -> tuple[re.Pattern[str], ...]:
    """Compile case-insensitive, line-anchored (re.M) patterns for a profile field."""
    return tuple(re.compile(r, re.I | re.M) for r in regexes)


@dataclass(frozen=True)
class SiteProfile:
    """Where a publisher keeps each part of a statement page.

    Selector fields are XPath expressions tried in order (first match wins;
    `by_class` writes the usual class test); a `//` path in `drop` is taken
    relative to the body element;
    pattern fields are compiled regexes matched against whole lines or, for
    `inline_boxes`, anywhere in the text.
    """

    name: str
    #: host names (a page on a subdomain of one matches too)
    hosts: tuple[str, ...]
    #: the original publishing body; None when the site republishes others
    source: str | None = None
    #: set for republishers: the site's own name, as `republished_by`
    republisher: str | None = None
    language: str | None = None
    body: tuple[str, ...] = ()
    #: a summary paragraph outside the body container that belongs to the statement
    lead: tuple[str, ...] = ()
    #: removed from the body before its text is read (captions, tags, forms, tooltips)
    drop: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    place: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    #: elements naming the people who spoke (not mere mentions)
    speakers: tuple[str, ...] = ()
    #: the page's person tags ("Zelensky Vladimir"), read with people.titles.speakers_from_tags
    person_tags: tuple[str, ...] = ()
    #: elements holding the author line ("Antony J. Blinken, Secretary of State")
    byline: tuple[str, ...] = ()
    #: without such an element, the body's first paragraph is the author/office line
    byline_first_paragraph: bool = False
    #: whole lines that are banners or chrome, never body text
    banner_lines: tuple[re.Pattern[str], ...] = ()
    #: the body ends at the first line matching one of these (footers, newsletter boxes)
    tail_lines: tuple[re.Pattern[str], ...] = ()
    #: boxes inside running text to delete ("Смотрите также <title> <date>")
    inline_boxes: tuple[re.Pattern[str], ...] = ()
    #: text that tells a plain-text capture of this site apart from others
    signatures: tuple[re.Pattern[str], ...] = ()
    #: site section label (lower case) -> statement type
    section_types: dict[str, str] = field(default_factory=dict)
    #: the type when neither title words nor section say ("press release" for a press feed)
    default_type: str | None = None
    #: a footer line naming the site sections, group "v" ("Published in sections: News, ...")
    section_line: re.Pattern[str] | None = None
    #: the line that ends a text's header (a time line); lines above it name the place
    head_end_line: re.Pattern[str] | None = None
    # -- one-line text captures (a scraper joined the whole page into one line) --
    #: word(s) a capture starts with before the title ("События")
    capture_prefix: re.Pattern[str] | None = None
    #: the "date time" that ends a capture's header (title and lead come before it)
    capture_dateline: re.Pattern[str] | None = None
    #: where the trailing status block starts ("Статус материала")
    capture_footer_end: re.Pattern[str] | None = None
    #: the tag lists before it ("География ... Темы ... Лица ...")
    capture_footer_start: re.Pattern[str] | None = None
    #: the person tags in a capture's footer, group "v" ("Лица Беглов Александр Дмитриевич")
    capture_persons: re.Pattern[str] | None = None
    #: a turn label inside running text, to start a paragraph at ("... ответ. В.Путин: ...")
    capture_turn_label: re.Pattern[str] | None = None
