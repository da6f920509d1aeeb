"""kremlin.ru, the Russian site of the President of Russia.

Same page template as en.kremlin.ru, Russian labels. Text captures of it (the
corpus JSONL records, Wayback copies) start with "События" or the CC licence
footer and end with the "Статус материала ... Текстовая версия" block; related
items ("Смотрите также <title> <date>") and calendar links sit inside the text.
"""

import re

from statements.scraper.sites.kremlin_en import PROFILE as EN
from statements.scraper.sites.kremlin_en import SECTION_TYPES
from statements.scraper.sites.profile import SiteProfile, patterns

_RU_MONTH = r"(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
_RU_DATE = rf"\d{{1,2}} {_RU_MONTH} \d{{4}} года"
# one character of a related item's title; «quoted names» may hold a full stop
_ITEM = r"(?:[^.!?:<>«»\n]|«[^»\n]{0,120}»)"
#: A date-and-time line as the Russian site prints it ("8 мая 2025 года 10:10")
DATELINE = rf"{_RU_DATE},?\s+\d{{1,2}}:\d\d"
# A person tooltip left inline by a scraper: "Мирзиёев Шавкат Миромонович Президент
# Республики Узбекистан ." (full name, position, then the sentence's own punctuation
# after a space: the space is the tell).
_TOOLTIP = (
    r" (?-i:[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)? [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+(?:вич|вна|ична))"
    r"(?: [^.:;!?«»<>\n]{1,160}?)? (?=[.,:;](?:\s|$))"
)

# The same tooltip glued to the surname it explains, tell-tale doubled surname:
# "Вячеслав Володин Володин Вячеслав Викторович ..." / "Владимира Путина Путин Владимир
# Владимирович". The in-text word stays; the full name goes; when a turn label carries
# it ("А.Репик Репик Алексей Евгеньевич председатель ...:") the position text goes too.
_NAME = r"[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+(?:вич|вна|ична)"
_LABEL_TOOLTIP = (
    rf"(?-i:(?P<keep>[А-ЯЁ]\.(?:[А-ЯЁ]\.)?(?P<s>[А-ЯЁ][а-яё-]+)) (?P=s) {_NAME}"
    r"[^:.!?<>\n]{0,200}?(?=\s?:))"
)
_DOUBLED_TOOLTIP = rf"(?-i:(?P<keep>\b(?P<s>[А-ЯЁ][а-яё-]{{2,}}?)[а-яё]{{0,3}}) (?P=s) {_NAME}\b)"

PROFILE = SiteProfile(
    name="kremlin.ru",
    hosts=("kremlin.ru", "static.kremlin.ru"),
    source="President of Russia",
    language="ru",
    body=EN.body,
    lead=EN.lead,
    drop=EN.drop,
    title=EN.title,
    date=EN.date,
    place=EN.place,
    person_tags=EN.person_tags,
    section=EN.section,
    banner_lines=patterns(
        r"^Все материалы сайта доступны по лицензии:?$",
        r"^Creative Commons Attribution 4\.0 International$",
        r"^События$",
        r"^Текстовая версия$",
        r"^Версия для печати$",
    ),
    tail_lines=patterns(
        r"^Статус материала",
        r"^Опубликован в раздел(?:е|ах):",
        r"^Дата публикации:",
        r"^Ссылка на материал:",
        r"^Официальный сайт президента России:?$",
    ),
    inline_boxes=patterns(
        # one-line captures: "Все материалы сайта доступны по лицензии: Creative Commons ..."
        r"Все материалы сайта доступны по лицензии:?\s*Creative Commons Attribution 4\.0"
        r" International\s*",
        # related-items box: "Смотрите также <title> <date> [Дополнительно <title> <date>]"
        # (the first item's title may hold a full stop: "Все новости о поездке в Мурманск. ...")
        rf"\s*Смотрите также\s+[^!?:<>\n]{{1,200}}?\s{_RU_DATE}"
        rf"(?:\s+(?:Дополнительно\s+)?{_ITEM}{{1,300}}?\s{_RU_DATE})*",
        # an attached document: "Смотрите также Указ № 206 pdf, 45.1 кБ"
        r"\s*(?:Смотрите также\s+)?(?:Указ|Распоряжение|Закон|Документ)\s+№\s*[\d-]+(?:-[а-я]+)?"
        r"\s+(?:pdf|docx?|rtf|zip),\s*[\d.,]+\s*[кМ]Б",
        rf"\s*Дополнительно(?:\s+{_ITEM}{{1,300}}?\s{_RU_DATE})+(?=\s|$)",
        # a box left at the very end linking to a section ("Смотрите также Новости Совета ...")
        r"\s*Смотрите также\s[^.!?:<>\n]{1,80}$",
        r"\s*Добавить в Календарь Календари Яндекс iCal Google",
        rf"\s*Анонс на {_RU_DATE}(?:,?\s*\d{{1,2}}:\d\d)?",
        _TOOLTIP,
        _LABEL_TOOLTIP,
        _DOUBLED_TOOLTIP,
    ),
    signatures=patterns(
        r"kremlin\.ru/d/\d+",
        r"Официальный сайт президента России",
        r"Администрация Президента России",
    ),
    section_types=SECTION_TYPES,
    default_type="news",
    section_line=EN.section_line,
    capture_prefix=re.compile(r"^\s*События\s+"),
    capture_dateline=re.compile(DATELINE),
    capture_footer_end=re.compile(r"\sСтатус материала\s|\sОпубликован в раздел(?:е|ах):"),
    capture_footer_start=re.compile(r"\s(?:География|Темы|Лица|Статус материала)\s"),
    # "Лица Беглов Александр Дмитриевич Статус материала": the persons list of the footer
    capture_persons=re.compile(r"\sЛица\s(?P<v>.{1,2000}?)\s(?:Статус материала|$)", re.S),
    capture_turn_label=re.compile(
        r"(?<=[.!?…»>)\]]) (?=[А-ЯЁ]\.(?:[А-ЯЁ]\.)?\s?[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)*"
        r"(?: [А-ЯЁ][а-яё]+)?(?: \([^()]{1,60}\))?\s?:)"
    ),
)
