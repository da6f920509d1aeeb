"""mid.ru (Russian MFA) and its embassy sites such as rusemb.org.uk.

Embassy pages open with a header block that is chrome, not content: today's
date, "Moscow: HH:MM" / "London: HH:MM" clocks, "Consular queries:" with phone
and e-mail lines, a days-since-Salisbury counter, then a section label and
the statement's own dd.mm.yyyy date. The header date is the capture date.
"""

from statements.scraper.sites.profile import SiteProfile, by_class, patterns

#: Section label -> statement type (embassy sites file under these)
SECTION_TYPES = {
    "speeches, interviews, articles": "speech",
    "embassy comments": "statement",
}

PROFILE = SiteProfile(
    name="mid.ru",
    hosts=("mid.ru", "rusemb.org.uk"),
    source="Ministry of Foreign Affairs of the Russian Federation",
    # (no catch-all: a page without these goes to trafilatura rather than to a wrong box)
    body=(by_class("article-content"), by_class("article__text"), by_class("page-content")),
    title=("//h1", '//meta[@property="og:title"]/@content'),
    date=(by_class("article__date"), by_class("date"), "//time/@datetime"),
    banner_lines=patterns(
        r"^(?:Moscow|London):\s*\d{1,2}:\d\d$",
        r"^Consular queries:?.*$",
        r"^(?:Tel|Phone|E-?mail)[:.].*$",
        r"^.*\[email(?:&#160;|\s)protected\].*$",
        r"^.*days? (?:since|after) the Salisbury.*$",
        r"^\+?[\d ()-]{7,}$",
        r"^MFA of Russia (?:News|site)$",
    ),
    signatures=patterns(r"^Consular queries:", r"Salisbury incident"),
    section_types=SECTION_TYPES,
)
