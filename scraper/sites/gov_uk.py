"""GOV.UK (pages and content-store JSON items).

JSON items: speaker in `links.speaker` or `details.speaker_without_profile`,
the delivery date in `details.delivered_on`, place in `details.location`,
type in `document_type`; organisations are the publishing body. Pages add
"From:", "Published", "Delivered on:" lines and a history-mode banner.
"""

from statements.scraper.sites.profile import SiteProfile, by_class, patterns

#: GOV.UK document_type -> statement type
DOCUMENT_TYPES = {
    "speech": "speech",
    "oral_statement": "statement",
    "written_statement": "statement",
    "authored_article": "article",
    "news_story": "news",
    "world_news_story": "news",
    "press_release": "press release",
    "government_response": "statement",
}

PROFILE = SiteProfile(
    name="gov.uk",
    hosts=("gov.uk",),
    source=None,
    language="en",
    body=(by_class("govspeak"), by_class("gem-c-govspeak")),
    drop=(
        by_class("gem-c-share-links"),
        by_class("gem-c-contextual-sidebar"),
        by_class("gem-c-print-link"),
    ),
    title=(by_class("gem-c-title__text", "h1"), "//h1", '//meta[@property="og:title"]/@content'),
    date=('//meta[@name="govuk:first-published-at"]/@content',),
    banner_lines=patterns(
        r"^This was published under the .+ government$",
        r"^Skip to main content$",
        r"^Cookies on GOV\.UK$",
        r"^(?:From|Published|Last updated|Delivered on):.*$",
        r"^Share this page$",
        r"^Is this page useful\?.*$",
    ),
    tail_lines=patterns(r"^Share this page$", r"^Is this page useful\?"),
    section_types=DOCUMENT_TYPES,
)
