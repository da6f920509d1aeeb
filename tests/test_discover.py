"""scraper.network.discover: links from RSS/Atom/RDF feeds, sitemaps and listing pages; hostile XML.

Feeds and sitemaps are generated here in the shapes the publishers use
(state.gov RSS 2.0 with content:encoded, Atom with a rel=self link, sitemap
index -> urlset); the listing page copies en.kremlin.ru's news list markup.
"""

from __future__ import annotations

import gzip

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statements.scraper.errors import FetchError, StatementsError
from statements.scraper.network.discover import (
    DiscoverError,
    detect_kind,
    looks_like_statement,
    parse_listing,
    parse_source,
)
from statements.scraper.sites.profile import by_class

BASE = "https://www.state.gov"

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Press Releases - United States Department of State</title>
  <link>{BASE}</link>
  <item>
    <title>Secretary Blinken's Call with Greenlandic Premier Egede</title>
    <link>{BASE}/secretary-blinkens-call-with-greenlandic-premier-egede/</link>
    <pubDate>Wed, 19 May 2021 20:04:12 +0000</pubDate>
    <dc:creator>Office of the Spokesperson</dc:creator>
    <guid isPermaLink="false">{BASE}/?p=123</guid>
    <content:encoded><![CDATA[<p>The below is attributable to Spokesperson Ned Price.</p>]]>
    </content:encoded>
  </item>
  <item>
    <title>Relative link</title>
    <link>/remarks-to-the-press-on-the-arctic-council/</link>
  </item>
  <item>
    <title>Only a permalink guid</title>
    <guid>{BASE}/joint-statement-on-the-arctic-council-ministerial/</guid>
  </item>
  <item>
    <title>Duplicate</title>
    <link>{BASE}/secretary-blinkens-call-with-greenlandic-premier-egede/#top</link>
  </item>
  <item><title>No link at all</title></item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Speeches</title>
  <link rel="self" href="https://www.gov.uk/government/speeches.atom"/>
  <entry>
    <id>tag:www.gov.uk,2005:/government/speeches/pm-remarks-at-the-un</id>
    <updated>2024-09-26T10:00:00+01:00</updated>
    <link rel="alternate" type="text/html" href="https://www.gov.uk/government/speeches/pm-remarks-at-the-un"/>
    <title>PM remarks at the UN General Assembly</title>
  </entry>
  <entry>
    <id>https://www.gov.uk/government/speeches/foreign-secretary-statement</id>
    <updated>2024-09-25T10:00:00+01:00</updated>
    <title>No link element: the id is a URL</title>
  </entry>
</feed>
"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <channel rdf:about="http://en.kremlin.ru/"><title>Kremlin</title></channel>
  <item rdf:about="http://en.kremlin.ru/events/president/news/42376">
    <title>President Vladimir Putin spoke by telephone with Ariel Sharon</title>
    <link>http://en.kremlin.ru/events/president/news/42376</link>
  </item>
  <item rdf:about="http://en.kremlin.ru/events/president/news/29505"><title>x</title></item>
</rdf:RDF>
"""

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>http://en.kremlin.ru/events/president/news/42376</loc><lastmod>2020-05-01</lastmod></url>
  <url><loc> http://en.kremlin.ru/events/president/news/29505 </loc></url>
  <url><lastmod>2020-05-01</lastmod></url>
</urlset>
"""

SITEMAP_INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://www.whitehouse.gov/sitemap-1.xml</loc><lastmod>2021-01-20</lastmod></sitemap>
  <sitemap><loc>/sitemap-2.xml.gz</loc></sitemap>
</sitemapindex>
"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><item><title>&lol9;</title><link>http://x.org/a-b-c-d</link></item>
</channel></rss>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&secret;</loc></url></urlset>
"""

LISTING = """<!doctype html><html lang="en"><head><title>News • President of Russia</title></head>
<body>
<nav><a href="/">President of Russia</a> <a href="/events/president/news">News</a>
<a href="/structure/president">Structure</a> <a href="/contacts">Contacts</a>
<a href="/search?query=x">Search</a> <a href="http://kremlin.ru/events/president/news">RU</a></nav>
<div class="events">
 <div class="hentry h-entry hentry_event"><h3 class="hentry__title">
  <a href="/events/president/news/42376" rel="bookmark">President Vladimir Putin spoke by
  telephone with Israeli Prime Minister Ariel Sharon</a></h3></div>
 <div class="hentry"><h3><a href="http://en.kremlin.ru/events/president/news/29505">Appointment
  of Railways Minister</a></h3></div>
 <div class="hentry"><h3><a href="/events/president/news/42376#comments">again</a></h3></div>
 <a href="/static/photo_12345.jpg">photo</a>
 <a href="/events/president/news/page/2">Next page</a>
 <a href="/catalog/tags/54">Tag</a>
 <a href="https://twitter.com/KremlinRussia_E/status/1234567">Twitter</a>
 <a href="mailto:press@kremlin.ru">mail</a>
 <a href="http://[::1/events/president/news/99999">broken IPv6 literal</a>
</div></body></html>
"""


def urls(discovery) -> list[str]:
    return [link.url for link in discovery.links]


def test_rss_items_in_feed_order_resolved_and_deduplicated() -> None:
    d = parse_source(RSS.encode(), url=BASE + "/rss-feed/press-releases/feed/")
    assert d.kind == "feed"
    assert urls(d) == [
        f"{BASE}/secretary-blinkens-call-with-greenlandic-premier-egede/",
        f"{BASE}/remarks-to-the-press-on-the-arctic-council/",
        f"{BASE}/joint-statement-on-the-arctic-council-ministerial/",
    ]
    assert d.links[0].title == "Secretary Blinken's Call with Greenlandic Premier Egede"


def test_atom_entries_use_alternate_link_or_url_id() -> None:
    d = parse_source(ATOM.encode(), url="https://www.gov.uk/government/speeches.atom")
    assert urls(d) == [
        "https://www.gov.uk/government/speeches/pm-remarks-at-the-un",
        "https://www.gov.uk/government/speeches/foreign-secretary-statement",
    ]
    assert d.links[0].lastmod == "2024-09-26T10:00:00+01:00"


def test_rdf_feed() -> None:
    d = parse_source(RDF.encode(), url="http://en.kremlin.ru/rss")
    assert urls(d) == [
        "http://en.kremlin.ru/events/president/news/42376",
        "http://en.kremlin.ru/events/president/news/29505",
    ]


def test_sitemap_with_lastmod() -> None:
    d = parse_source(SITEMAP.encode(), url="http://en.kremlin.ru/sitemap.xml")
    assert d.kind == "sitemap"
    assert urls(d) == [
        "http://en.kremlin.ru/events/president/news/42376",
        "http://en.kremlin.ru/events/president/news/29505",
    ]
    assert [link.lastmod for link in d.links] == ["2020-05-01", None]


def test_sitemap_index_lists_child_sitemaps() -> None:
    d = parse_source(SITEMAP_INDEX.encode(), url="https://www.whitehouse.gov/sitemap_index.xml")
    assert d.kind == "sitemap-index" and d.links == ()
    assert [s.url for s in d.sitemaps] == [
        "https://www.whitehouse.gov/sitemap-1.xml",
        "https://www.whitehouse.gov/sitemap-2.xml.gz",
    ]


def test_gzipped_sitemap_file() -> None:
    d = parse_source(gzip.compress(SITEMAP.encode()), url="http://en.kremlin.ru/sitemap.xml.gz")
    assert len(d.links) == 2


def test_gzipped_sitemap_bomb_is_refused() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (60 * 1024 * 1024))
    with pytest.raises(FetchError, match="decompression bomb"):
        parse_source(bomb, url="http://x.org/sitemap.xml.gz")


def test_entity_bomb_feed_is_rejected_with_a_clear_message() -> None:
    with pytest.raises(DiscoverError, match="entity bomb") as err:
        parse_source(BILLION_LAUGHS.encode(), url="http://127.0.0.1/feed.xml")
    assert "http://127.0.0.1/feed.xml" in str(err.value)


def test_external_entity_sitemap_is_rejected() -> None:
    with pytest.raises(DiscoverError, match="rejected"):
        parse_source(XXE.encode(), url="http://127.0.0.1/sitemap.xml")


def test_malformed_xml_is_reported() -> None:
    broken = b'<?xml version="1.0"?><rss><channel><item><link>http://x.org/a</channel>'
    with pytest.raises(DiscoverError, match="not well-formed XML"):
        parse_source(broken, url="http://127.0.0.1/feed.xml")


def test_unknown_xml_root_is_reported() -> None:
    with pytest.raises(DiscoverError, match="neither a feed nor a sitemap"):
        parse_source(b'<?xml version="1.0"?><catalog/>', url="http://127.0.0.1/x.xml")


def test_listing_keeps_same_host_statement_links_only() -> None:
    d = parse_source(LISTING.encode(), url="http://en.kremlin.ru/events/president/news")
    assert d.kind == "listing"
    assert urls(d) == [
        "http://en.kremlin.ru/events/president/news/42376",
        "http://en.kremlin.ru/events/president/news/29505",
    ]
    assert d.links[0].title and d.links[0].title.startswith("President Vladimir Putin spoke")


def test_listing_with_profile_selectors_takes_only_what_they_match() -> None:
    links = parse_listing(
        LISTING.encode(),
        url="http://en.kremlin.ru/events/president/news",
        selectors=(by_class("hentry_event") + "//h3",),
    )
    assert [link.url for link in links] == ["http://en.kremlin.ru/events/president/news/42376"]
    nothing = parse_listing(
        LISTING.encode(), url="http://en.kremlin.ru/", selectors=(by_class("nope"),)
    )
    assert len(nothing) == 2  # a selector that matches nothing falls back to the heuristic
    with pytest.raises(DiscoverError, match="not valid XPath"):
        parse_listing(LISTING.encode(), url="http://en.kremlin.ru/", selectors=("//[",))


@pytest.mark.parametrize(
    ("content", "ctype", "kind"),
    [
        (RSS.encode(), None, "feed"),
        (b"\xef\xbb\xbf" + ATOM.encode(), "application/atom+xml", "feed"),
        (SITEMAP.encode(), "application/xml", "sitemap"),
        (SITEMAP_INDEX.encode(), "text/xml", "sitemap-index"),
        (LISTING.encode(), "text/html", "listing"),
        (b"", None, "listing"),
    ],
)
def test_detect_kind(content: bytes, ctype: str | None, kind: str) -> None:
    assert detect_kind(content, ctype) == kind


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://en.kremlin.ru/events/president/news/42376", True),
        ("https://www.whitehouse.gov/briefing-room/statements-releases/2021/01/20/x/", True),
        ("https://www.state.gov/secretary-blinkens-call-with-greenlandic-premier-egede/", True),
        ("https://www.gov.uk/government/speeches/pm-remarks-at-the-un", True),
        ("http://en.kremlin.ru/events/president/news", False),
        ("http://en.kremlin.ru/events/president/news/page/2", False),
        ("http://en.kremlin.ru/catalog/tags/54", False),
        ("http://en.kremlin.ru/static/photo_12345.jpg", False),
        ("https://www.state.gov/", False),
        ("https://www.state.gov/press-releases/?page=2&x=long-slug-with-words", False),
    ],
)
def test_looks_like_statement(url: str, expected: bool) -> None:
    assert looks_like_statement(url) is expected


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=2000),
        st.sampled_from([RSS, ATOM, RDF, SITEMAP, SITEMAP_INDEX, LISTING]).flatmap(
            lambda doc: st.tuples(
                st.just(doc.encode()),
                st.integers(0, len(doc)),
                st.integers(0, 200),
                st.binary(max_size=40),
            ).map(lambda t: t[0][: t[1]] + t[3] + t[0][t[1] + t[2] :])
        ),
    )
)
def test_hostile_bytes_give_links_or_one_clear_error(data: bytes) -> None:
    """Random and mutated feeds, sitemaps, listings: a Discovery or one StatementsError."""
    try:
        found = parse_source(data, url="http://127.0.0.1/source")
    except StatementsError as exc:
        assert str(exc).startswith(("http://127.0.0.1/source", "gzip data"))
        return
    assert all(link.url.startswith(("http://", "https://")) for link in found.links)
