"""en.kremlin.ru, the English site of the President of Russia (2020 page template).

Body in `.read__internal_content`; its photo sliders, video blocks, person
tooltips, "See also" cuts and the tag/status footer all carry `masha-ignore`
or `hidden`. Section comes from `meta[name=keywords]` ("News ,Transcripts ,President").
"""

import re

from statements.scraper.sites.profile import SiteProfile, by_class, patterns

#: Kremlin section keywords -> statement type (the most specific wins: see metadata.section_type)
SECTION_TYPES = {
    "transcripts": "transcript",
    "documents": "document",
    "announcements": "announcement",
    "security council": "news",
    "news": "news",
    # kremlin.ru (Russian) uses the same template with Russian section names
    "выступления и стенограммы": "transcript",
    "стенограммы": "transcript",
    "документы": "document",
    "анонсы": "announcement",
    "совет безопасности": "news",
    "новости": "news",
    "интервью": "interview",
}

#: "Published in sections: News, Transcripts" / "Опубликован в разделах: Новости , ..."
SECTION_LINE = re.compile(
    r"^\s*(?:Published in sections?|Опубликован в раздел(?:е|ах)):\s*(?P<v>[^\n]+?)\s*$", re.M
)

PROFILE = SiteProfile(
    name="en.kremlin.ru",
    hosts=("en.kremlin.ru",),
    source="President of Russia",
    language="en",
    body=(
        by_class("read__internal_content"),
        by_class("entry-content"),
        '//*[@itemprop="articleBody"]',
    ),
    lead=(by_class("read__lead"),),
    # photo sliders, videos, person tooltips, "See also" cuts and the tag/status
    # footer all carry masha-ignore or hidden
    drop=(
        by_class("masha-ignore"),
        by_class("hidden"),
        by_class("hidden-copy"),
        by_class("read__bottommeta"),
        by_class("read__cut"),
        by_class("slider"),
        by_class("media"),
    ),
    title=(by_class("entry-title", "h1"), '//meta[@property="og:title"]/@content'),
    date=(
        by_class("read__published", "time") + "/@datetime",
        by_class("read__meta") + "//time/@datetime",
        by_class("read__status") + "//time/@datetime",
    ),
    place=(by_class("read__place"),),
    person_tags=(by_class("read__tags") + '//a[contains(@href, "/catalog/persons/")]',),
    section=('//meta[@name="keywords"]/@content',),
    banner_lines=patterns(
        r"^(?:Events|Structure|Videos and Photos|Documents|Contacts|Search)$",
        r"^(?:Mobile version|Version for People with Disabilities|Text version)$",
        r"^Send by email$",
        r"^Presidential Executive Office \d{4}$",
        r"^Last updated at",
    ),
    tail_lines=patterns(r"^Publication status$", r"^Published in sections?:"),
    section_types=SECTION_TYPES,
    default_type="news",
    section_line=SECTION_LINE,
)
