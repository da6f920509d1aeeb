"""Where a request may go: URLs checked before any request, host addresses classified.

A public feed must not be able to point the fetcher at `http://127.0.0.1/admin`
or a machine on the local network: every address a host resolves to is
classified (`address_kind`), and the fetcher refuses non-public ones unless the
source itself is on one.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from statements.scraper.errors import FetchError


def host_key(url: str) -> str:
    """ "https://www.example.org": what per-host state (delay, robots.txt, failures) is kept by."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def resolve_host(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to (an address itself for an IP literal)."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def address_kind(address: str) -> str:
    """public, loopback, private, link-local or reserved (0.0.0.0 counts as loopback:
    connecting to it reaches this machine)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback or ip.is_unspecified:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_global:
        return "public"
    if ip.is_private:
        return "private"
    return "reserved"


def check_url(url: str) -> str:
    """The URL without its fragment, or a FetchError saying what is wrong with it."""
    import httpx

    url = url.strip()
    shown = repr(url) if len(url) <= 200 else repr(url[:200] + "...")
    fix = "give a full address such as https://www.example.org/news/statement"
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https"):
        raise FetchError(f"{shown} is not an http(s) URL", fix)
    if any(ord(ch) <= 32 or ord(ch) == 127 for ch in url):
        raise FetchError(f"{shown} contains spaces or control characters", fix)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError as exc:
        raise FetchError(f"{shown} is not a valid URL ({exc})", fix) from None
    if not parts.hostname:
        raise FetchError(f"{shown} has no host name", fix)
    url = url.split("#", 1)[0]
    try:
        httpx.URL(url).raw_host  # noqa: B018  (IDNA-encodes the host: bad labels raise)
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise FetchError(f"{shown} is not a valid URL ({exc})", fix) from None
    return url
