"""Turn splitting on real transcripts from ../shared/corpus (copied into tests/transcripts).

Every expected count below was HAND-CHECKED, independently of split_turns: by
counting the labels in the fixture file (or the source HTML) with grep, and
reading the odd cases. The grep used is given per document. Fixtures were made
by tests/transcripts/prepare.py; each file's header names its corpus source.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from statements.scraper.people.turns import split_turns, turn_counts
from statements.scraper.record import Turn

TRANSCRIPTS = Path(__file__).parent / "transcripts"


def load(name: str) -> tuple[dict[str, str], str]:
    """(header fields, body text) of a fixture: "# key: value" lines up to "# ---"."""
    raw = (TRANSCRIPTS / name).read_text(encoding="utf-8")
    head, body = raw.split("# ---\n", 1)
    meta = {}
    for line in head.splitlines():
        key, _, value = line[2:].partition(": ")
        meta[key] = value
    return meta, body


def turns_of(name: str, *, with_date: bool = True) -> tuple[Turn, ...]:
    meta, body = load(name)
    date = dt.date.fromisoformat(meta["date"]) if with_date and meta.get("date") else None
    return split_turns(body, title=meta["title"], language=meta.get("language"), date=date)


# (fixture, expected turns per speaker; "<role>" for voices without a name)
HAND_CHECKED = [
    # gob.mx, a Spanish "versión estenográfica": capital labels "NAME, POST:", the
    # colon sometimes glued to the words ("OBRADOR:Buenos días."), voice-overs
    # "VOZ MUJER"/"VOZ HOMBRE". Counted in the fixture with
    #   grep -oE '^[A-ZÁÉÍÓÚÑÜ ]+(,[^:]*)?:' gobmx_20210628_mananera.txt \
    #     | sed 's/,.*//' | sort | uniq -c
    # 3 president, 1 each for the five officials, 6 VOZ MUJER + 2 VOZ HOMBRE = 8 remarks.
    (
        "gobmx_20210628_mananera.txt",
        {
            "Andrés Manuel López Obrador": 3,
            "Surit Berenice Romero Domínguez": 1,
            "Rocío Nahle García": 1,
            "Olga Sánchez Cordero": 1,
            "Rosa Icela Rodríguez Velázquez": 1,
            "Fabiola Alanís Sámano": 1,
            "<remark>": 8,
        },
    ),
    # en.kremlin.ru, <b>Name:</b> paragraphs. Checked in the source HTML with
    #   grep -o '<b>[^<]*</b>.' pages/kremlin_news_59478.html | sort | uniq -c
    # 4 "Vladimir Putin" + 1 "President of Russia Vladimir Putin" = 5; "Denis Manturov"
    # 3 with ":" + 1 first mention "<b>Industry and Trade Minister </b><b>Denis
    # Manturov</b>" followed by a tooltip ("Manturov Denis Industry and Trade
    # Minister") and then ":" (read in the page) = 4.
    (
        "kremlin_en_59478_manturov.txt",
        {"Vladimir Putin": 5, "Denis Manturov": 4},
    ),
    # en.kremlin.ru, Yamal LNG. grep -c 'Vladimir Putin *:' = 37 (incl. the
    # "President of Russia Vladimir Putin :" first mention) + 1 label wrapped over a
    # line break ("Vladimir\nPutin : I think we should", read by hand) = 38;
    # grep -c '^Question *:' = 15; grep -c '^Remark *:' = 26.
    (
        "kremlin_en_56337_yamal_lng.txt",
        {"Vladimir Putin": 38, "<question>": 15, "<remark>": 26},
    ),
    # whitehouse briefing: grep -c '^MS. JEAN-PIERRE:' = 33, '^MR. KIRBY:' = 26,
    # grep -cP '^[\s\xa0]*Q[\s\xa0]' = 53 (Q followed by non-breaking spaces).
    (
        "whitehouse_2022-06-21_jean-pierre_kirby.txt",
        {"Karine Jean-Pierre": 33, "John Kirby": 26, "<question>": 53},
    ),
    # whitehouse joint press conference: grep -oP '^[\s\xa0]*\K[A-Z][A-Z. ]+:' | uniq -c
    # = 28 PRESIDENT TRUMP, 9 PRIME MINISTER MODI, 1 INTERPRETER; Q lines = 28.
    (
        "whitehouse_2025-02-13_trump_modi.txt",
        {"Donald Trump": 28, "Narendra Modi": 9, "<question>": 28, "<unknown>": 1},
    ),
    # whitehouse remarks: 13 THE PRESIDENT, 5 THE VICE PRESIDENT (Harris, from the
    # date: the title names only Biden), 3 MS. BROWN, 1 each REPRESENTATIVE COELHO,
    # LEADER HOYER, SENATOR LEAHY; 4 Q (same grep as above).
    (
        "whitehouse_2021-07-26_ada_anniversary.txt",
        {
            "Joe Biden": 13,
            "Kamala Harris": 5,
            "Brown": 3,
            "Coelho": 1,
            "Hoyer": 1,
            "Leahy": 1,
            "<question>": 4,
        },
    ),
    # state.gov joint press availability: grep -oE '^[A-Z][A-Z .-]+:' | uniq -c
    # = 3 SECRETARY BLINKEN, 4 FOREIGN MINISTER KULEBA, 2 MR PRICE, 7 QUESTION.
    (
        "state_321084_blinken_kuleba.txt",
        {"Antony Blinken": 3, "Dmytro Kuleba": 4, "Ned Price": 2, "<question>": 7},
    ),
    # state.gov department press briefing: 15 MS PORTER, 14 QUESTION (same grep).
    (
        "state_260304_press_briefing.txt",
        {"Jalina Porter": 15, "<question>": 14},
    ),
    # kremlin.ru 2000 (Wayback), paragraphs: grep -oP '(?:\p{Lu}\.){1,2} ?\p{Lu}\p{Ll}+ ?:'
    # = 32 "С.Доренко:", 31 "В.Путин:".
    (
        "kremlin_ru_wb_24123_ort.txt",
        {"С. Доренко": 32, "Vladimir Putin": 31},
    ),
    # kremlin.ru 2001 internet conference, labels with affiliations; same grep
    # extended with '(?: ?\([^)]*\))?': В.Малкин 4 "(Страна.Ru Москва)" + 2
    # "(Страна.Ru, Москва)" + 1 bare = 7; В.Бородулин 4 + 4 = 8; Б.Кенделл 9;
    # В.Путин 32; Ю.Мухин, Г.Акерман, А.Тимошенко, А.Рогов 1 each; "Вопрос:" 1.
    (
        "kremlin_ru_wb_21201_internet.txt",
        {
            "Vladimir Putin": 32,
            "В. Малкин": 7,
            "В. Бородулин": 8,
            "Б. Кенделл": 9,
            "Ю. Мухин": 1,
            "Г. Акерман": 1,
            "А. Тимошенко": 1,
            "А. Рогов": 1,
            "<question>": 1,
        },
    ),
    # kremlin.ru 2025, ONE line (paragraph breaks lost), labels inline; same grep:
    # 9 В.Путин, 6 А.Лукашенко, 2 А.Пыж, 1 each О.Князева, Н.Бреус, И.Ежов.
    (
        "kremlin_ru_76450_lukashenko.txt",
        {
            "Vladimir Putin": 9,
            "Alexander Lukashenko": 6,
            "А. Пыж": 2,
            "О. Князева": 1,
            "Н. Бреус": 1,
            "И. Ежов": 1,
        },
    ),
    # kremlin.ru 2025, one line, labels after headings without punctuation
    # ("... в узком составе В.Путин:"): grep -o 'Вопрос:' = 3, 'В.Путин:' = 3.
    (
        "kremlin_ru_76736_questions.txt",
        {"Vladimir Putin": 3, "<question>": 3},
    ),
]


@pytest.mark.parametrize(("name", "expected"), HAND_CHECKED, ids=[n for n, _ in HAND_CHECKED])
def test_hand_checked_turn_counts(name: str, expected: dict[str, int]) -> None:
    assert turn_counts(turns_of(name)) == expected


def test_questions_and_remarks_are_roles_not_speakers() -> None:
    for name in ("kremlin_en_56337_yamal_lng.txt", "state_260304_press_briefing.txt"):
        for turn in turns_of(name):
            if turn.role in ("question", "remark"):
                assert turn.speaker is None
            else:
                assert turn.speaker


def test_first_mention_long_label_and_turn_text() -> None:
    turns = turns_of("kremlin_en_59478_manturov.txt")
    assert turns[0].label == "President of Russia Vladimir Putin:"
    assert turns[0].speaker == "Vladimir Putin"
    # (the page text keeps its non-breaking spaces; compare with spaces folded)
    assert " ".join(turns[0].text.split()).startswith("Mr Manturov, I know that you intended")
    assert turns[1].label == "Industry and Trade Minister Denis Manturov:"
    assert turns[1].speaker == "Denis Manturov"
    assert turns[2].label == "Vladimir Putin:"
    # the page footer after the last turn is not part of the words
    assert "Publication date" not in turns[-1].text
    assert "Direct link" not in turns[-1].text


def test_text_before_first_label_is_not_a_turn() -> None:
    meta, body = load("whitehouse_2022-06-21_jean-pierre_kirby.txt")
    turns = split_turns(body, title=meta["title"])
    assert turns[0].label == "MS. JEAN-PIERRE:"
    assert turns[0].text.startswith("Hello.")
    assert not any("Brady Press Briefing Room" in t.text for t in turns)
    # the hard-wrapped body of a turn is kept, with the next label cut off
    assert "NSC" not in turns[0].label
    assert not turns[0].text.rstrip().endswith("MR. KIRBY:")


def test_the_president_comes_from_title_or_date() -> None:
    meta, body = load("whitehouse_2021-07-26_ada_anniversary.txt")
    by_title = split_turns(body, title=meta["title"])
    presidents = {t.speaker for t in by_title if t.label == "THE PRESIDENT:"}
    assert presidents == {"Joe Biden"}
    # without a date the vice president, absent from the title, stays unresolved
    vps = [t for t in by_title if t.label == "THE VICE PRESIDENT:"]
    assert vps and all(t.speaker is None and t.role == "unknown" for t in vps)
    # with no title, the date alone names both
    dated = split_turns(body, date=dt.date(2021, 7, 26))
    assert {t.speaker for t in dated if t.label == "THE PRESIDENT:"} == {"Joe Biden"}
    assert {t.speaker for t in dated if t.label == "THE VICE PRESIDENT:"} == {"Kamala Harris"}


def test_russian_one_line_inline_labels() -> None:
    meta, body = load("kremlin_ru_76736_questions.txt")
    assert "\n" not in body.strip()  # the corpus lost paragraph breaks
    turns = split_turns(body, title=meta["title"], language="ru")
    assert [t.role for t in turns] == ["question", "speaker"] * 3
    assert turns[0].label == "Вопрос:"
    assert " ".join(turns[0].text.split()).startswith("Владимир Владимирович, пасхал")
    # the page footer after the last answer is cut off
    assert "Дата публикации" not in turns[-1].text
    assert "Опубликован в раздел" not in turns[-1].text


def test_kremlin_ru_footer_cut_from_last_turn_only() -> None:
    turns = turns_of("kremlin_ru_76450_lukashenko.txt")
    last = turns[-1].text
    assert last.endswith("Поэтому я также доволен этим ходом.")
    for furniture in ("География", "Лица Лукашенко", "Статус материала", "kremlin.ru/d/76450"):
        assert furniture not in last
    # a word like "Темы" inside an earlier answer does not cut it
    text = "В.Путин: Темы разные, работы много. Вопрос: Какие? В.Путин: Все."
    assert split_turns(text)[0].text == "Темы разные, работы много."


def test_russian_affiliation_and_qualifier_labels() -> None:
    turns = turns_of("kremlin_ru_wb_21201_internet.txt")
    labels = {t.label for t in turns}
    assert "В.Малкин (Страна.Ru Москва):" in labels
    assert "Б.Кенделл (BBC, Москва):" in labels
    # snippet from kremlin-ru-records (records 76685, 76450-style tooltip, 76863)
    text = (
        "Начало встречи. В.Путин (по-немецки): Herzlich willkommen. "
        "М.Диас-Канель Бермудес (как переведено) : Спасибо, господин Президент. "
        "А.Лукашенко Лукашенко Александр Григорьевич Президент Республики Беларусь: "
        "Спасибо. А.Лукашенко: Ещё раз спасибо."
    )
    got = [(t.label, t.speaker) for t in split_turns(text, language="ru")]
    assert got == [
        ("В.Путин (по-немецки):", "Vladimir Putin"),
        ("М.Диас-Канель Бермудес (как переведено):", "М. Диас-Канель Бермудес"),
        ("А.Лукашенко:", "Alexander Lukashenko"),
        ("А.Лукашенко:", "Alexander Lukashenko"),
    ]


def test_full_russian_name_in_page_resolves_initials() -> None:
    # participants list as printed on kremlin.ru ("Surname Given Patronymic – post")
    text = (
        "Участники: Корочкина Елена Александровна – председатель фонда. "
        "В.Путин: Добрый день. Е.Корочкина: Здравствуйте."
    )
    turns = split_turns(text, language="ru")
    assert [t.speaker for t in turns] == ["Vladimir Putin", "Елена Корочкина"]


@pytest.mark.parametrize(
    "text",
    [
        # sentences with colons, real shapes from the corpus
        "Let me repeat: we are ready.\n\nThe United Kingdom: a partner.\n\nMy question is: why?",
        "VESSEL NAME: ARMAN 114\nVESSEL FLAG: Panama\nVESSEL TYPE: Crude Oil Tanker",
        "Дата публикации: 15 января 2000 года. Ссылка на материал: kremlin.ru/d/24123",
        "The Secretary said: we will not waver.",
        "",
    ],
)
def test_not_a_transcript_gives_empty_tuple(text: str) -> None:
    assert split_turns(text) == ()


def test_state_gov_press_release_without_turns_is_empty() -> None:
    # a statement body (state-gov-press-releases style): author line, paragraphs
    text = (
        "Antony J. Blinken, Secretary of State\n\n"
        "The United States condemns the attack. Our message is clear: violence must end.\n\n"
        "We call on all parties to exercise restraint."
    )
    assert split_turns(text, title="Attack on Hospital in Afrin, Syria") == ()


def test_heading_list_is_not_a_transcript() -> None:
    # state-gov-press-releases state-353131 (excerpt): "Heading: text" paragraphs
    text = (
        "The Senior Officials Meeting focused on work under the GAP’s six lines of effort:\n\n"
        "Get Shots in Arms: Officials discussed how to increase political will.\n\n"
        "Bolster Supply Chain Resilience: Officials discussed supply chains.\n\n"
        "Support Health Workers: Officials discussed health workers.\n\n"
        "Strengthen Global Health Security Architecture: Officials discussed financing."
    )
    assert split_turns(text, title="The COVID-19 Global Action Plan Senior Officials Meeting") == ()


def test_addressee_inside_a_question_is_not_a_label() -> None:
    # state-gov-press-releases state-333488 (excerpt)
    text = (
        "MR PRICE: Ryo Nakamura of Nikkei.\n\n"
        "QUESTION: Thank you very much for taking my question.\n\n"
        "To Secretary Blinken: India plans to deploy S-400 missile defense system. Did you "
        "discuss this topic with your Indian counterparts today?\n\n"
        "SECRETARY BLINKEN: Thank you."
    )
    turns = split_turns(text)
    assert [t.label for t in turns] == ["MR PRICE:", "QUESTION:", "SECRETARY BLINKEN:"]
    assert "To Secretary Blinken: India plans" in turns[1].text
