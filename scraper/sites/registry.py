"""Every site profile, and the profile a page's address or text belongs to.

Adding a site is adding a module beside this one with a `PROFILE` (and a test
page), then its name in `PROFILES` below; never new control flow: the extractor
reads the profile's fields and nothing else.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from statements.scraper.sites import (
    globalsecurity,
    gov_uk,
    kremlin_en,
    kremlin_ru,
    mid_ru,
    state_gov,
    whitehouse,
)
from statements.scraper.sites.profile import SiteProfile

PROFILES: tuple[SiteProfile, ...] = (
    kremlin_en.PROFILE,
    kremlin_ru.PROFILE,
    globalsecurity.PROFILE,
    state_gov.PROFILE,
    whitehouse.PROFILE,
    gov_uk.PROFILE,
    mid_ru.PROFILE,
)


def host_of(url: str | None) -> str:
    """The lower-case host of a URL without "www.", or "" when there is none."""
    if not url:
        return ""
    if "://" not in url:
        url = "http://" + url
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:  # a page's canonical link like "https://[::1": no usable host
        return ""
    return host[4:] if host.startswith("www.") else host


def profile_for_url(url: str | None) -> SiteProfile | None:
    """The profile whose host matches the URL's host (exact host first, then parent domains)."""
    host = host_of(url)
    if not host:
        return None
    for profile in PROFILES:
        if host in profile.hosts:
            return profile
    for profile in PROFILES:
        if any(host.endswith("." + h) for h in profile.hosts):
            return profile
    return None


def profile_for_text(text: str) -> SiteProfile | None:
    """The profile whose signature (a banner only that site shows) occurs in the text."""
    head, tail = text[:3000], text[-3000:]
    for profile in PROFILES:
        for sig in profile.signatures:
            if sig.search(head) or sig.search(tail):
                return profile
    return None
