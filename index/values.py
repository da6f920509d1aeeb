"""The values a field holds in the index: list them, read what a user typed, suggest.

Users filter by the names they know, not by the stored form: `kremlin`,
`kremlin.ru` or `en.kremlin.ru` for the source stored as "President of
Russia", `whitehouse` for "The White House", `english` for `en`. Each is
resolved against the index's own values (the facet table), so it works for
any publisher added later, and a value that matches nothing gets the
nearest values the index holds ("did you mean").
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from statements.index.facets import URL_SCHEME
from statements.index.names import speaker_key
from statements.index.schema import norm_key

if TYPE_CHECKING:
    from statements.index.facets import FacetTable
    from statements.index.models import SearchRequest

FIELDS = ("speaker", "source", "site", "type", "lang")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Value:
    """One value of a field, how many documents hold it, and what else names it
    (a source's web sites, a language's name)."""

    name: str
    count: int
    also: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"value": self.name, "documents": self.count, "also": list(self.also)}


@dataclass
class Resolved:
    """Index values for what the user typed (`values`), or nothing, with the nearest ones."""

    typed: str
    values: list[str] = field(default_factory=list)
    nearest: list[str] = field(default_factory=list)


# ---- listing --------------------------------------------------------------------------


def list_values(table: FacetTable, fieldname: str) -> list[Value]:
    """Every value of `fieldname` with its number of documents (copies included)."""
    live = table.live
    if fieldname == "site":
        counts = Counter(table.host[d] for d in live if table.host[d] >= 0)
        names = table.names.get("host", [])
        return _sorted([Value(names[h], n) for h, n in counts.items()])
    if fieldname == "source":
        hosts = source_hosts(table)
        counts = Counter(table.source[d] for d in live if table.source[d] >= 0)
        names = table.names.get("source", [])
        return _sorted(
            [
                Value(names[s], n, tuple(h for h, _ in hosts[s].most_common()))
                for s, n in counts.items()
            ]
        )
    if fieldname == "lang":
        counts = Counter(table.lang[d] for d in live if table.lang[d] >= 0)
        names = table.names.get("lang", [])
        return _sorted([Value(names[k], n, _language_names(names[k])) for k, n in counts.items()])
    rows = table.count(fieldname, live)
    return [Value(name, n) for name, n in rows if name != "(none)"]


def _sorted(values: list[Value]) -> list[Value]:
    return sorted(values, key=lambda v: (-v.count, v.name.lower()))


def source_hosts(table: FacetTable) -> dict[int, Counter[str]]:
    """For each source, the web sites (URL hosts) its documents came from."""
    out: dict[int, Counter[str]] = defaultdict(Counter)
    names = table.names.get("host", [])
    for d in table.live:
        s, h = table.source[d], table.host[d]
        if s >= 0 and h >= 0:
            out[s][names[h]] += 1
    return out


# ---- resolving ------------------------------------------------------------------------


def resolve_sources(table: FacetTable, typed: str) -> Resolved:
    """The sources a user means: a publisher's name or a run of its words ("state",
    "white house", "whitehouse"), its initials ("ECB"), or a web site it publishes on
    ("kremlin.ru", "kremlin", "www.state.gov")."""
    want = _bare_host(typed)
    squashed = re.sub(r"\W+", "", want)
    names = table.names.get("source", [])
    hosts = source_hosts(table)
    found = []
    for number, name in enumerate(names):
        if _names(name, want, squashed) or any(
            _on_site(host, want) for host in hosts.get(number, ())
        ):
            found.append(name)
    sites = sorted({h for counter in hosts.values() for h in counter})
    return Resolved(typed, found, [] if found else nearest(typed, [*names, *sites]))


def resolve_sites(table: FacetTable, typed: str) -> Resolved:
    """The URL hosts a `--site` value covers: the host and its subdomains."""
    want = _bare_host(typed)
    hosts = table.names.get("host", [])
    found = [h for h in hosts if h == want or h.endswith("." + want)]
    return Resolved(typed, found, [] if found else nearest(typed, hosts))


def resolve_types(table: FacetTable, typed: str) -> Resolved:
    """Types as the search filter matches them (the type, or a type that holds the word)."""
    want = norm_key(typed)
    names = table.names.get("type", [])
    found = [n for n in names if n.lower() == want or want in n.lower()]
    return Resolved(typed, found, [] if found else nearest(typed, names))


def resolve_languages(table: FacetTable, typed: str) -> Resolved:
    """Language codes for a code or a language's name, in English or in itself
    ("en", "English", "russian", "русский"); names come from Babel (CLDR)."""
    want = norm_key(typed)
    codes = table.names.get("lang", [])
    found = [c for c in codes if c.lower() == want]
    if not found:
        found = [c for c in codes if want in (n.lower() for n in _language_names(c))]
    if found:
        return Resolved(typed, found)
    labels = {n: c for c in codes for n in (c, *_language_names(c))}
    return Resolved(typed, [], list(dict.fromkeys(labels[n] for n in nearest(typed, list(labels)))))


def nearest(typed: str, candidates: list[str], n: int = 3) -> list[str]:
    """The candidates closest to `typed`, as a whole or by one of their words
    ("Blinkin" -> "Antony Blinken", "briefings" -> "briefing")."""
    want = norm_key(typed)
    if not want:
        return []
    scored = []
    for name in candidates:
        low = name.lower()
        parts = [low, *_WORD.findall(low)]
        score = max(difflib.SequenceMatcher(None, want, p).ratio() for p in parts)
        if score >= 0.75:
            scored.append((-score, name))
    return [name for _s, name in sorted(scored)[:n]]


def _names(name: str, want: str, squashed: str) -> bool:
    """True when `want` is the name, a run of its words (spaces optional), or its initials."""
    low = name.lower()
    if want == low:
        return True
    words = _WORD.findall(low)
    if not words or not squashed:
        return False
    for i in range(len(words)):
        for j in range(i + 1, len(words) + 1):
            if "".join(words[i:j]) == squashed:
                return True
    initials = "".join(w[0] for w in words if w not in _SMALL)
    return len(squashed) >= 2 and squashed == initials


_SMALL = {"of", "the", "and", "for", "de", "la", "le", "du", "des", "on"}


def _on_site(host: str, want: str) -> bool:
    """`want` is the host, a domain it belongs to, or the site's name ("kremlin" for
    en.kremlin.ru, "whitehouse" for whitehouse.gov, "bbc" for www.bbc.co.uk)."""
    if host == want or host.endswith("." + want):
        return True
    labels = host.split(".")
    if "." in want or len(labels) < 2:
        return False
    name = labels[-2]
    if name in _SECOND_LEVEL and len(labels) > 2:
        name = labels[-3]
    return want == name


# second-level labels under a country code ("co.uk", "gov.au"): the site's name is before them
_SECOND_LEVEL = {"co", "com", "gov", "org", "net", "ac", "edu", "govt", "gob", "gouv", "go"}


def _bare_host(typed: str) -> str:
    value = URL_SCHEME.sub("", typed.strip().lower())
    value = value.split("/", 1)[0] if "." in value.split("/", 1)[0] else value
    return value.removeprefix("www.").strip()


def _language_names(code: str) -> tuple[str, ...]:
    """A language's names in English and in itself ("ru" -> "Russian", "русский")."""
    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:
        return ()
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return ()
    names = [locale.get_display_name("en"), locale.get_display_name(locale)]
    return tuple(dict.fromkeys(n for n in names if n))


# ---- applying -------------------------------------------------------------------------


def site_filter(docs: set[int], table: FacetTable, sites: tuple[str, ...]) -> set[int]:
    """The documents of `docs` whose URL is on one of `sites` (a host and its subdomains)."""
    names = table.names.get("host", [])
    wanted = {h for typed in sites for h in resolve_sites(table, typed).values}
    numbers = {n for n, host in enumerate(names) if host in wanted}
    host = table.host
    return {d for d in docs if host[d] in numbers}


def resolve_speakers(names: tuple[str, ...], known: set[str]) -> set[str]:
    """Index keys for the speaker names a user typed.

    A canonical name or alias resolves through `scraper.people`; a name the
    index does not hold as such ("Egede", "blinken") matches the known
    speakers whose name ends with it or holds it as a whole word ("Mute Egede").
    """
    out: set[str] = set()
    for name in names:
        key = speaker_key(name)
        if not key:
            continue
        if key in known:
            out.add(key)
            continue
        words = key.split()
        found = {
            k for k in known if k.endswith(" " + key) or (len(words) == 1 and key in k.split())
        }
        out |= found or {key}
    return out


def resolve_request(table: FacetTable, request: SearchRequest) -> tuple[SearchRequest, list[str]]:
    """The request with sources and languages as the index names them, and a note for
    each value that names nothing in the index (with the nearest values it holds)."""
    from dataclasses import replace

    notes: list[str] = []
    kept: dict[str, list[str]] = {"source": [], "lang": []}  # as the index names them
    for fieldname, typed_values, resolver in (
        ("source", request.sources, resolve_sources),
        ("lang", request.langs, resolve_languages),
        ("type", request.types, resolve_types),
        ("site", request.sites, resolve_sites),
    ):
        for typed in typed_values:
            found = resolver(table, typed)
            if fieldname in kept:
                kept[fieldname].extend(found.values or [typed])
            if not found.values:
                notes.append(_note(fieldname, found))
    if request.speakers:
        known = set(table.keys.get("speaker", []))
        for typed in request.speakers:
            if not resolve_speakers((typed,), known) & known:
                names = table.names.get("speaker", [])
                notes.append(_note("speaker", Resolved(typed, [], nearest(typed, names))))
    changed = replace(
        request,
        sources=tuple(dict.fromkeys(kept["source"])),
        langs=tuple(dict.fromkeys(kept["lang"])),
    )
    return changed, notes


def _note(fieldname: str, found: Resolved) -> str:
    option = {"lang": "--lang", "site": "--site"}.get(fieldname, f"--{fieldname}")
    text = f"no {fieldname} {found.typed!r} in the index"
    if found.nearest:
        text += "; did you mean " + " or ".join(f"{option} {n!r}" for n in found.nearest) + "?"
    return text + f" (every value: statements search --list-values {fieldname})"
