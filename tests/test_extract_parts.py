"""The pieces under extract: site profiles, metadata helpers, text cleaning, capture headers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from statements.scraper import clean, dom
from statements.scraper.capture import read_capture
from statements.scraper.metadata import (
    detect_language,
    document_number,
    location_from_title,
    statement_type,
    type_from_title,
)
from statements.scraper.sites.kremlin_ru import PROFILE as KREMLIN_RU
from statements.scraper.sites.registry import PROFILES, profile_for_text, profile_for_url

PAGES = Path(__file__).parent / "pages"


# ---- site profiles ----------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_profile_selectors_are_valid_xpath(profile) -> None:  # type: ignore[no-untyped-def]
    for field in ("body", "lead", "drop", "title", "date", "place", "section", "speakers"):
        for xp in getattr(profile, field):
            etree.XPath(xp)  # raises on a malformed expression
    assert profile.hosts
    # GOV.UK names its organisations per page; every other profile knows its publisher
    assert profile.source or profile.republisher or profile.name == "gov.uk"


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("http://en.kremlin.ru/events/president/news/62792", "en.kremlin.ru"),
        ("http://kremlin.ru/events/president/news/76841", "kremlin.ru"),
        ("https://www.state.gov/briefings/x/", "state.gov"),
        ("https://bidenwhitehouse.archives.gov/briefing-room/x/", "whitehouse.gov"),
        ("https://www.gov.uk/government/speeches/x", "gov.uk"),
        ("https://www.globalsecurity.org/wmd/library/news/russia/x.htm", "globalsecurity.org"),
        ("https://www.rusemb.org.uk/fnapr/1234", "mid.ru"),
        ("https://mid.ru/en/foreign_policy/news/1/", "mid.ru"),
    ],
)
def test_profile_for_url(url: str, name: str) -> None:
    profile = profile_for_url(url)
    assert profile is not None and profile.name == name


def test_unknown_hosts_have_no_profile() -> None:
    assert profile_for_url("https://example.org/kremlin.ru") is None
    assert profile_for_url("https://notkremlin.ru/x") is None
    assert profile_for_url(None) is None


def test_profile_from_capture_banner() -> None:
    seed = (PAGES / "globalsecurity-lavrov-2025-11-25.txt").read_text("utf-8")
    profile = profile_for_text(seed)
    assert profile is not None and profile.republisher == "GlobalSecurity.org"


# ---- metadata helpers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Foreign Minister Sergey Lavrov's opening remarks at a joint meeting", "remarks"),
        ("Press Briefing by Press Secretary Jen Psaki", "briefing"),
        ("Secretary Blinken’s Call with Israeli Foreign Minister Ashkenazi", "readout"),
        ("Telephone conversation with President of Ukraine Vladimir Zelensky", "readout"),
        ("Interview to Anadolu Agency", "interview"),
        ("Statement by President Joe Biden on the Anniversary", "statement"),
        ("Телефонный разговор с Премьер-министром Индии Нарендрой Моди", "readout"),
        ("Интервью телеканалу ОРТ", "interview"),
        ("Заявление Президента Российской Федерации", "statement"),
        ("Meeting of the Valdai International Discussion Club", None),
    ],
)
def test_type_from_title(title: str, kind: str | None) -> None:
    assert type_from_title(title) == kind


def test_type_falls_back_to_section_then_hint() -> None:
    table = {"transcripts": "transcript", "news": "news"}
    assert statement_type("Meeting with Alexei Miller", ["News", "Transcripts"], table) == (
        "transcript"
    )
    assert statement_type("Meeting with Alexei Miller", ["News"], table) == "news"
    assert statement_type("Something", [], table, hint="Briefing") == "briefing"
    assert statement_type("Interview to Anadolu Agency", ["Transcripts"], table) == "interview"


def test_location_from_title() -> None:
    title = "Lavrov's remarks at a joint meeting, Moscow, November 25, 2025"
    assert location_from_title(title) == "Moscow"
    assert location_from_title("Comment on consular hours, London, 12 March 2024") == "London"
    assert location_from_title("Meeting with President of Serbia Tomislav Nikolic") is None


def test_document_number() -> None:
    assert document_number("1964-25-11-2025") == "1964-25-11-2025"
    assert document_number("No. 123-4") == "123-4"
    assert document_number("SC/15938") == "SC/15938"
    assert document_number("25 November 2025 13:29") is None
    assert document_number("Mr Ryzhenkov,") is None


def test_detect_language() -> None:
    assert detect_language("Состоялся телефонный разговор Владимира Путина") == "ru"
    assert detect_language("Vladimir Putin had a telephone conversation") == "en"
    assert detect_language("12 34") is None


# ---- text cleaning ------------------------------------------------------------------------


def _kremlin_record(name: str) -> dict:
    return json.loads((PAGES / name).read_text("utf-8"))


def test_tag_footer_cut_at_the_first_tag_list_after_the_last_sentence() -> None:
    text = _kremlin_record("kremlin-ru-record-76841.json")["text"]
    body, footer = clean.cut_tag_footer(
        text, KREMLIN_RU.capture_footer_end, KREMLIN_RU.capture_footer_start
    )
    # the related-items box before the footer is removed later, by the profile's inline boxes
    assert body.endswith("Нарендре Моди 22 апреля 2025 года")
    assert "Статус материала" not in body and "Лица" not in body
    assert footer.lstrip().startswith(("География", "Темы", "Лица"))
    assert "Текстовая версия" in footer


def test_see_also_box_with_a_full_stop_in_its_title() -> None:
    text = (
        "сего самого доброго! Успехов! Смотрите также Все новости о поездке в Мурманск. "
        "Международный форум «Арктика – территория диалога» 27 марта 2025 года "
        "Рад вас всех приветствовать."
    )
    got = clean.remove_boxes(text, KREMLIN_RU.inline_boxes)
    assert got == "сего самого доброго! Успехов! Рад вас всех приветствовать."


def test_attachment_box_does_not_eat_the_decree() -> None:
    text = (
        "2. Настоящий Указ вступает в силу со дня его подписания. "
        "Смотрите также Указ № 206 pdf, 45.1 кБ"
    )
    got = clean.remove_boxes(text, KREMLIN_RU.inline_boxes)
    assert got == "2. Настоящий Указ вступает в силу со дня его подписания."


def test_inline_person_tooltip_removed() -> None:
    text = (
        "разговор с Шавкатом Мирзиёевым Мирзиёев Шавкат Миромонович "
        "Президент Республики Узбекистан . Обсуждены"
    )
    got = clean.fix_space_before_punctuation(clean.remove_boxes(text, KREMLIN_RU.inline_boxes))
    assert got == "разговор с Шавкатом Мирзиёевым. Обсуждены"


def test_tidy_and_unwrap() -> None:
    assert clean.tidy("  a  b \n\n\n\n c\t d  \n") == "a b\n\nc d"
    wrapped = "one two\nthree four\n\nfive\nsix"
    assert clean.unwrap(wrapped) == "one two three four\n\nfive six"


def test_banner_lines_and_tail() -> None:
    text = "Skip to main content\nBody line.\nShare\nMore body.\nNEWSLETTER\nJoin us"
    kept = clean.drop_banner_lines(text)
    assert kept == "Body line.\nMore body.\nNEWSLETTER\nJoin us"
    from statements.scraper.sites.globalsecurity import PROFILE as GS

    assert clean.cut_tail(kept, GS.tail_lines) == "Body line.\nMore body."


# ---- HTML text ------------------------------------------------------------------------------


def test_html_text_keeps_turn_labels_at_paragraph_start() -> None:
    tree = dom.parse(
        "<html><body><div id='b'><p><b>President of Russia<br>Vladimir Putin</b>: Good"
        " afternoon.</p><p>Second<br>line</p><figure><figcaption>A caption</figcaption>"
        "</figure><div class='share-box'>Share this</div>tail text</div></body></html>"
    )
    assert tree is not None
    root = tree.get_element_by_id("b")
    dom.prune(root)
    assert dom.text_of(root) == (
        "President of Russia Vladimir Putin: Good afternoon.\n\nSecond\nline\n\ntail text"
    )


# ---- plain-text captures ----------------------------------------------------------------------


def test_capture_date_before_title_embassy_layout() -> None:
    draft = read_capture((PAGES / "rusemb-capture.txt").read_text("utf-8"))
    assert draft.title.startswith("Embassy comment on the new opening hours")
    assert draft.date is not None and draft.date.isoformat() == "2024-03-12"  # not the capture date
    assert draft.section == "EMBASSY COMMENTS"


def test_capture_without_dateline_takes_date_from_title() -> None:
    text = (
        "Remarks by the Foreign Minister at the conference, Geneva, 3 May 2021\n\n"
        "Thank you, Chair. We meet at a difficult time for the organisation.\n"
    )
    draft = read_capture(text)
    assert draft.title.startswith("Remarks by the Foreign Minister")
    assert draft.date is not None and draft.date.isoformat() == "2021-05-03"
    assert draft.location == "Geneva"
    assert draft.text == "Thank you, Chair. We meet at a difficult time for the organisation."


def test_republisher_capture_names_the_original_publisher() -> None:
    """GlobalSecurity reposts news agencies too: the line above the title is the publisher."""
    seed = (PAGES / "globalsecurity-lavrov-2025-11-25.txt").read_text("utf-8")
    text = seed.replace("The Ministry of Foreign Affairs of the Russian Federation", "Sputnik")
    draft = read_capture(text)
    assert draft.source == "Sputnik"
    assert draft.republished_by == "GlobalSecurity.org"
    assert draft.section == "Weapons of Mass Destruction (WMD)"


def test_strip_markdown() -> None:
    text = (
        "Today, I signed an [executive\norder](https://example.gov/a_(b)/) directing"
        " <s>Ninety-seven</s> [Ninety-eight] <…>\n\n\\*Mt. Olive Baptist Church\\*\n\n"
        "<!-- -->\n\n# Heading\n\n- Securing **$25 million** for housing\n\n3 * 4 = 12"
    )
    assert clean.strip_markdown(text) == (
        "Today, I signed an executive\norder directing Ninety-seven [Ninety-eight] <…>\n\n"
        "Mt. Olive Baptist Church\n\nHeading\n\n- Securing $25 million for housing\n\n3 * 4 = 12"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "увидеться. А.Репик Репик Алексей Евгеньевич председатель организации "
            "«Деловая Россия»: Спасибо",
            "увидеться. А.Репик: Спасибо",
        ),
        (
            "беседа Владимира Путина Путин Владимир Владимирович с Председателем",
            "беседа Владимира Путина с Председателем",
        ),
        # a full name in running text without the doubled-surname tell is the text itself
        (
            "мой прадед Конарев Григорий Иванович единолично",
            "мой прадед Конарев Григорий Иванович единолично",
        ),
    ],
)
def test_doubled_surname_tooltips(text: str, expected: str) -> None:
    assert clean.remove_boxes(text, KREMLIN_RU.inline_boxes) == expected


def test_resolve_initials_only_when_one_full_name_fits() -> None:
    from statements.scraper.extract import resolve_initials

    fuller = ["Евгений Солнцев", "Vladimir Putin", "Анна Петрова", "Алексей Петров"]
    got = resolve_initials(["Е. Солнцев", "Vladimir Putin", "А. Петров", "И. Иванов"], fuller)
    assert got == {"Е. Солнцев": "Евгений Солнцев", "А. Петров": "Алексей Петров"}
    assert resolve_initials(["А. Петров"], ["Алексей Петров", "Андрей Петров"]) == {}


def test_html_title_and_date_fallbacks() -> None:
    from statements.scraper.html_page import read_html

    page = (
        "<html><head><title>Remarks at the Summit | Example Ministry</title></head><body>"
        "<article><p>Thank you all for coming to this summit. We have much to discuss"
        " today about trade, security and the climate.</p></article></body></html>"
    )
    draft = read_html(page, url="https://example.org/news/2021/09/03/remarks/", name="x")
    assert draft.title == "Remarks at the Summit"
    assert draft.date is not None and draft.date.isoformat() == "2021-09-03"
    # a month-only path is not a date (no guessing the day)
    draft = read_html(page, url="https://example.org/news/2021/09/remarks/", name="x")
    assert draft.date is None


def test_extract_record_cleans_like_a_json_page() -> None:
    from statements.scraper.extract import extract_bytes, extract_record

    raw = (PAGES / "kremlin-ru-record-76841.json").read_bytes()
    from_dict = extract_record(json.loads(raw), name="records.jsonl:13")
    assert from_dict == extract_bytes(raw, name="kremlin-ru-record-76841.json")
    assert not from_dict.text.startswith("События")
