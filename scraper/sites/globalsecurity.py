"""GlobalSecurity.org: republishes Russian MFA, State Department, PRC MND, news agencies.

Captures start with a banner in the top slot (the UNITED24 donation banner or a
ClearanceJobs "Security-Cleared Career Network ... JOIN NOW" jobs banner), then
the site section, the publishing body, the title, the dateline, sometimes a
document number, the body, and end with a NEWSLETTER box. The publishing body
is the original author; GlobalSecurity is only `republished_by`.
"""

from statements.scraper.sites.profile import SiteProfile, by_class, patterns

PROFILE = SiteProfile(
    name="globalsecurity.org",
    hosts=("globalsecurity.org",),
    source=None,
    republisher="GlobalSecurity.org",
    # (no catch-all: a page without these goes to trafilatura rather than to a wrong box)
    body=('//*[@id="content"]', by_class("content", "td")),
    title=("//h1", "//title"),
    banner_lines=patterns(
        r"^UNITED24\b.*(?:donation|Ukraine).*$",
        r"^.*charitable donation in support of Ukraine.*$",
        r"^.*Security[- ]Cleared Career Network.*$",
        r"^.*\bJOIN NOW!?$",
        r"^NEWSLETTER$",
        r"^Join the GlobalSecurity\.org mailing list.*$",
        r"^(?:Home|Site Map|Contact|Advertise)(?:\s*\|.*)?$",
        r"^Copyright © \d{4}.*GlobalSecurity\.org.*$",
    ),
    tail_lines=patterns(
        r"^NEWSLETTER$",
        r"^Join the GlobalSecurity\.org mailing list",
        r"^Copyright © \d{4}.*GlobalSecurity\.org",
    ),
    signatures=patterns(
        r"GlobalSecurity\.org",
        r"^UNITED24 - Make a charitable donation in support of Ukraine",
        r"Security[- ]Cleared Career Network",
    ),
)
