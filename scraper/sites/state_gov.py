"""state.gov, U.S. Department of State (2021-22 WordPress pages and RSS items).

Pages: a hero block with the headline (`.featured-content__headline`), the
document type (`.doctype-meta`: "Remarks", "Press Statement", "Readout"), the
author line (`.article-meta__author-bureau`), audience, place
(`.article-meta__location`) and date (`.article-meta__publish-date`), then the
body in `.entry-content`. In RSS items the author/office line ("Antony J.
Blinken, Secretary of State", "Office of the Spokesperson") is the first body
paragraph: metadata, not body; they also carry a jQuery image-watermark
`<script>` in `description` and a hidden `<input data-filter=...>` in `content`.
"""

from statements.scraper.sites.profile import SiteProfile, by_class, patterns

PROFILE = SiteProfile(
    name="state.gov",
    hosts=("state.gov", "2021-2025.state.gov", "2017-2021.state.gov"),
    source="U.S. Department of State",
    language="en",
    body=(by_class("entry-content"),),
    drop=(by_class("article-meta"), by_class("related-tags"), by_class("related-content")),
    title=(
        by_class("featured-content__headline", "h1"),
        "//h1",
        '//meta[@property="og:title"]/@content',
    ),
    date=(
        by_class("article-meta__publish-date"),
        '//meta[@property="article:published_time"]/@content',
        "//time/@datetime",
    ),
    place=(by_class("article-meta__location"),),
    section=(by_class("doctype-meta"),),
    # one text node per "Name, Post" (several people share the element on joint remarks)
    byline=(by_class("article-meta__author-bureau") + "//text()[normalize-space()]",),
    byline_first_paragraph=True,
    banner_lines=patterns(
        r"^printable banner$",
        r"^U\.S\. Department of State - Great Seal$",
        r"^Diplomacy in Action$",
        r"^Hide$",
        r"^Tags$",
        r"^Related Articles$",
        r"^An official website of the United States Government$",
    ),
    tail_lines=patterns(r"^Tags$", r"^Related Articles$"),
    signatures=patterns(r"^U\.S\. Department of State - Great Seal$"),
    # the corpus items come from the press-release feed: what is not a readout,
    # remarks or statement by its title is a press release
    default_type="press release",
    section_types={
        "remarks": "remarks",
        "press statement": "statement",
        "statement": "statement",
        "readout": "readout",
        "media note": "press release",
        "department press briefing": "briefing",
        "special briefing": "briefing",
        "interview": "interview",
        "speech": "speech",
        "fact sheet": "document",
        "op-ed": "article",
    },
)
