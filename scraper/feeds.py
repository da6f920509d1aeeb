"""JSON inputs: GOV.UK content items, RSS items as JSON, and plain statement records.

Three shapes are recognised by their keys:
- GOV.UK content-store item (`base_path`, `document_type`, `details.body` HTML);
- an RSS item converted to JSON (`link`, `pubDate`, `content`/`description`,
  `creator`), as state.gov's press-release feed gives them;
- a record with `title` and `text` (and optionally `url`, `date`, speakers,
  `source`, `place`...), as the corpus JSONL sets hold them. Its text is
  cleaned of the publishing site's boilerplate (kremlin.ru's "События ...
  Дата публикации ... Текстовая версия", the CC licence header, state.gov's
  author line, the White House's location/time lines and end marks).
"""

from __future__ import annotations

import json
import re
from typing import Any

from statements.scraper import clean, dom
from statements.scraper.dates import find_date, parse_date
from statements.scraper.draft import Draft
from statements.scraper.encoding import normalise_text
from statements.scraper.errors import ExtractError
from statements.scraper.metadata import location_from_title, main_section, sections_from_line
from statements.scraper.sites.gov_uk import DOCUMENT_TYPES
from statements.scraper.sites.profile import SiteProfile
from statements.scraper.sites.registry import profile_for_text, profile_for_url


def load_json(text: str, name: str) -> dict[str, Any]:
    """The one JSON object a page holds; `ExtractError` for bad JSON or several items."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > 1 and exc.msg == "Extra data":
            raise ExtractError(
                f"{name}: holds {len(lines)} JSON lines; `statements extract` reads one "
                "statement per file (import a JSONL file with `statements add`)"
            ) from None
        raise ExtractError(
            f"{name}: not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno}); "
            "give a complete JSON item or an HTML/text page"
        ) from None
    data = normalise_json(data)
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if isinstance(data, list):
        raise ExtractError(f"{name}: a JSON list of {len(data)} items; give one item per file")
    if not isinstance(data, dict):
        raise ExtractError(f"{name}: JSON is not an object; give one statement item")
    return data


def normalise_json(value: Any) -> Any:
    """NBSP and friends normalised in every string (JSON escapes them as \\u00a0)."""
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, list):
        return [normalise_json(v) for v in value]
    if isinstance(value, dict):
        return {k: normalise_json(v) for k, v in value.items()}
    return value


def read_json(data: dict[str, Any], *, url: str | None, name: str) -> Draft:
    if "base_path" in data and ("details" in data or "document_type" in data):
        return read_govuk(data, url=url)
    if ("link" in data or "guid" in data) and ("content" in data or "description" in data):
        return read_rss_item(data, url=url)
    if isinstance(data.get("title"), str) and isinstance(data.get("text"), str):
        return read_record(data, url=url)
    raise ExtractError(
        f"{name}: JSON item of an unknown shape (no title/text, GOV.UK or RSS fields); "
        "give a record with 'title' and 'text'"
    )


# ---- GOV.UK ---------------------------------------------------------------------------


def read_govuk(item: dict[str, Any], *, url: str | None) -> Draft:
    details = item.get("details") or {}
    links = item.get("links") or {}
    body = details.get("body") or ""
    if isinstance(body, list):  # multi-part bodies: [{"content_type": "text/html", ...}]
        body = next(
            (b.get("content", "") for b in body if "html" in str(b.get("content_type"))), ""
        )
    draft = Draft(
        title=_s(item.get("title")),
        text=dom.fragment_text(str(body)) if body else "",
        # the page's own address, also when the item came from the content API
        url=("https://www.gov.uk" + item["base_path"]) if item.get("base_path") else url,
        location=_s(details.get("location")) or None,
        language=_s(item.get("locale")) or None,
    )
    draft.date = parse_date(
        _s(details.get("delivered_on"))
        or _s(details.get("first_public_at"))
        or _s(item.get("first_published_at"))
    )
    draft.persons = [_s(p.get("title")) for p in links.get("speaker") or [] if isinstance(p, dict)]
    if details.get("speaker_without_profile"):
        draft.persons.append(_s(details["speaker_without_profile"]))
    orgs = [o for o in links.get("organisations") or [] if isinstance(o, dict)]
    lead_ids = set(details.get("emphasised_organisations") or ())
    orgs.sort(key=lambda o: o.get("content_id") not in lead_ids)
    if not orgs:
        orgs = [o for o in links.get("worldwide_organisations") or [] if isinstance(o, dict)]
    draft.source = _s(orgs[0].get("title")) if orgs else "GOV.UK"
    doc_type = _s(item.get("document_type"))
    draft.type = DOCUMENT_TYPES.get(doc_type)
    draft.section = doc_type.replace("_", " ").capitalize() if doc_type else None
    draft.profile = profile_for_url(draft.url)
    return draft


# ---- RSS items --------------------------------------------------------------------------


def read_rss_item(item: dict[str, Any], *, url: str | None) -> Draft:
    link = url or _s(item.get("link")) or None
    profile = profile_for_url(link)
    html = _s(item.get("content")) or _s(item.get("description"))
    text = dom.fragment_text(html)
    creator = _s(item.get("creator") or item.get("dc:creator") or item.get("author"))
    draft = Draft(
        title=" ".join(_s(item.get("title")).split()),
        url=link,
        date=parse_date(_s(item.get("pubDate") or item.get("published") or item.get("date"))),
        profile=profile,
    )
    draft.text = _clean_record_text(text, draft, profile, creator=creator)
    cats = item.get("categories") or item.get("category") or []
    draft.sections = [c for c in (cats if isinstance(cats, list) else [cats]) if isinstance(c, str)]
    _fill(draft, profile)
    return draft


# ---- plain records ------------------------------------------------------------------------

_SPEAKER_KEYS = ("speakers", "speaker", "speaker_raw", "people", "persons")


def read_record(rec: dict[str, Any], *, url: str | None) -> Draft:
    link = url or _s(rec.get("url")) or None
    profile = profile_for_url(link) or profile_for_text(rec["text"])
    draft = Draft(
        title=" ".join(rec["title"].split()),
        url=link,
        location=_s(rec.get("place") or rec.get("location")) or None,
        language=_s(rec.get("language")) or None,
        document_number=_s(rec.get("document_number")) or None,
        source=_s(rec.get("source")) or None,
        republished_by=_s(rec.get("republished_by")) or None,
        profile=profile,
    )
    if "date" in rec:  # the record's own date, even null, is the publisher's word
        draft.date = parse_date(_s(rec.get("date")))
    for key in _SPEAKER_KEYS:
        value = rec.get(key)
        if isinstance(value, str) and value:
            draft.persons.append(value)
        elif isinstance(value, list):
            draft.persons.extend(str(v) for v in value if isinstance(v, str) and v)
    sections = rec.get("sections") or rec.get("sections_from_text") or rec.get("section")
    if isinstance(sections, str):
        sections = [sections]
    draft.sections = [s for s in sections or [] if isinstance(s, str)]
    if isinstance(rec.get("category"), str):
        draft.type_hint = rec["category"]
    if isinstance(rec.get("type"), str) and rec["type"]:
        draft.type = rec["type"]
    creator = _s(rec.get("creator") or rec.get("author"))
    draft.text = _clean_record_text(rec["text"], draft, profile, creator=creator)
    if "date" not in rec:
        draft.date = find_date(draft.title)
    if draft.sections:
        draft.section = main_section(draft.sections, profile.section_types if profile else {})
    _fill(draft, profile)
    return draft


_ATTRIBUTION = re.compile(r"^The (?:below|following) is attributable to (?P<who>[^:]{3,120}):$")


def _clean_record_text(text: str, draft: Draft, profile: SiteProfile | None, creator: str) -> str:
    """A record's text without its site's header, footer, banners and inline boxes."""
    text = text.replace("\r\n", "\n")
    if profile is not None:
        text = _one_line_capture(text, draft, profile)
        if not draft.sections:
            draft.sections = sections_from_line(text, profile.section_line)
        if profile.head_end_line is not None:
            text = _split_head(text, draft, profile.head_end_line)
        text = clean.remove_boxes(text, profile.inline_boxes)
        text = clean.cut_tail(text, profile.tail_lines)
        text = clean.drop_banner_lines(text, profile.banner_lines)
    else:
        text = clean.drop_banner_lines(text)
    # markdown/HTML in the text can hide a banner line ("\\*\\*\\*", "<td>END 12:24 A.M.</td>"):
    # drop banners again once it is plain text
    text = clean.drop_banner_lines(
        clean.strip_markdown(text), profile.banner_lines if profile is not None else ()
    )
    if creator or (profile is not None and profile.byline_first_paragraph):
        text = _take_bylines(text, draft, creator, profile)
    if _hard_wrapped(text):
        text = clean.unwrap(text)
    text = clean.fix_space_before_punctuation(text) if draft.language == "ru" else text
    return clean.remove_repeated_head(clean.tidy(text), draft.title)


_RU_FULL_NAME = re.compile(
    r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)? [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+(?:вич|вна|ична)\b"
)


def _one_line_capture(text: str, draft: Draft, profile: SiteProfile) -> str:
    """kremlin.ru-style captures: "События <title> <lead> <date time> <place> <body> <footer>"."""
    if profile.capture_prefix is None or not profile.capture_prefix.match(text):
        return text
    body, footer = clean.cut_tag_footer(
        text, profile.capture_footer_end, profile.capture_footer_start
    )
    if profile.capture_persons is not None:
        m = profile.capture_persons.search(footer)
        if m:
            # Russian tags are "Surname Given Patronymic": the patronymic ends each name
            draft.tags.extend(_RU_FULL_NAME.findall(m.group("v")))
    body = profile.capture_prefix.sub("", body, count=1)
    if draft.title and body.startswith(draft.title):
        body = body[len(draft.title) :].lstrip()
    if profile.capture_dateline is not None:
        m = profile.capture_dateline.search(body, 0, 3000)
        if m:
            lead, rest = body[: m.start()].strip(), body[m.end() :].lstrip()
            if draft.date is None:
                draft.date = find_date(m.group(0))
            if draft.location and rest.startswith(draft.location):
                rest = rest[len(draft.location) :].lstrip()
            body = f"{lead}\n\n{rest}" if lead else rest
    body = clean.remove_boxes(body, profile.inline_boxes)
    body = clean.fix_space_before_punctuation(body)
    if profile.capture_turn_label is not None:
        body = profile.capture_turn_label.sub("\n\n", body)
    return body


def _split_head(text: str, draft: Draft, head_end: re.Pattern[str]) -> str:
    """Cut the header above the line matching `head_end`; its last lines name the place.

    The White House opens transcripts with the venue and city, then the time:
    "East Room" / "Albuquerque, New Mexico" / "4:07 P.M. MDT".
    """
    lines = text.split("\n")
    for i, line in enumerate(lines[:12]):
        if head_end.match(line.strip()):
            head = [h.strip() for h in lines[:i] if h.strip()]
            if head and draft.location is None:
                draft.location = ", ".join(head[-2:])
            return "\n".join(lines[i + 1 :])
    return text


#: An author line that names a post: "Sung Kim, Acting Assistant Secretary Bureau of ..."
_POST_LINE = re.compile(
    r"^[^,.:;]{3,60}, .{0,80}\b(?:Secretary|Spokesperson|Ambassador|Minister|Director|"
    r"Coordinator|Envoy|Counselor|Administrator|Advisor|Adviser|Representative|Office of)\b",
)
_TIME_ONLY = re.compile(r"^\d{1,2}:\d\d\s*[ap]\.?m\.?(?:\s+[A-Z]{2,4})?$", re.I)


def _take_bylines(text: str, draft: Draft, creator: str, profile: SiteProfile | None) -> str:
    """Move state.gov's author/office lines (and the place lines under them) out of the body.

    A leading paragraph is an author line when the feed's creator field holds it,
    or (state.gov only) when it reads "Name, Post". Below it, up to two short
    lines without sentence punctuation are the place and venue, and a bare time
    line ("2:00 p.m. EDT") is dropped.
    """
    paras = text.split("\n\n")
    key = " ".join(creator.split()).casefold()
    state_like = profile is not None and profile.byline_first_paragraph
    while paras and len(draft.bylines) < 12:
        first = " ".join(paras[0].split())
        is_author = bool(key) and first.casefold() in key
        if first and (is_author or (state_like and len(first) < 160 and _POST_LINE.match(first))):
            draft.bylines.append(first)
            paras.pop(0)
        else:
            break
    if state_like:
        places: list[str] = []
        while len(paras) > 1 and len(places) < 3:
            line = paras[0].strip()
            if _TIME_ONLY.match(line):
                paras.pop(0)
            elif _is_place_line(line):
                places.append(paras.pop(0).strip())
            else:
                break
        if places and draft.location is None:
            draft.location = places[0]
    if paras:
        m = _ATTRIBUTION.match(paras[0].strip())
        if m:
            draft.persons.append(m.group("who"))
    return "\n\n".join(paras)


def _is_place_line(para: str) -> bool:
    p = para.strip()
    return 0 < len(p) <= 60 and "\n" not in p and not re.search(r"[.:;!?]$|:", p)


def _hard_wrapped(text: str) -> bool:
    """Most lines of multi-line paragraphs end near one column: a hard wrap, not verse."""
    lengths = [
        len(line) for para in text.split("\n\n") if "\n" in para for line in para.split("\n")[:-1]
    ]
    return len(lengths) >= 5 and sum(55 <= n <= 80 for n in lengths) / len(lengths) > 0.6


def _fill(draft: Draft, profile: SiteProfile | None) -> None:
    if profile is not None:
        if draft.source is None:
            draft.source = profile.source
        if profile.republisher and draft.republished_by is None:
            draft.republished_by = profile.republisher
        if draft.language is None:
            draft.language = profile.language
    if draft.location is None:
        draft.location = location_from_title(draft.title)


def _s(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
