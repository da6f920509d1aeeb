"""whitehouse.gov and bidenwhitehouse.archives.gov briefing room.

Transcripts open with location lines and a time line ("4:07 P.M. MDT"), end
with a time line and "###"; turns are caps labels ("THE PRESIDENT:", "Q").
Titles name the speakers, sometimes with a "| Place" suffix.
"""

import re

from statements.scraper.sites.profile import SiteProfile, by_class, patterns

#: URL path segment / record category -> statement type
SECTION_TYPES = {
    "press-briefings": "briefing",
    "speeches-remarks": "remarks",
    "remarks": "remarks",
    "statements-releases": "statement",
    "briefings-statements": "statement",
    "presidential-actions": "document",
    "articles": "article",
    "fact-sheets": "document",
}

#: "4:07 P.M. MDT": opens and closes every transcript; the lines above the first are the venue
TIME_LINE = re.compile(r"^\d{1,2}:\d\d\s*[AP]\.?M\.?(?:\s+[A-Z]{2,4})?$", re.I)

PROFILE = SiteProfile(
    name="whitehouse.gov",
    hosts=("whitehouse.gov", "bidenwhitehouse.archives.gov", "trumpwhitehouse.archives.gov"),
    source="The White House",
    language="en",
    body=(by_class("entry-content"), by_class("body-content", "section")),
    drop=(by_class("wp-block-whitehouse-topper"),),
    title=("//h1", '//meta[@property="og:title"]/@content'),
    date=('//meta[@property="article:published_time"]/@content', "//time/@datetime"),
    banner_lines=patterns(
        r"^\\?#\s?\\?#\s?\\?#$",  # the end mark: "###", "\###", "# # #"
        r"^(?:END\s+)?\d{1,2}:\d\d\s*[AP]\.?M\.?(?:\s+[A-Z]{2,4})?$",
        r"^END$",
        r"^(?:\*\s?){3,}$|^-{3,}$",  # a markdown rule between sections
        r"^The White House$",
        r"^Briefing Room$",
    ),
    section_types=SECTION_TYPES,
    head_end_line=TIME_LINE,
)
