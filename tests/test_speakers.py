"""Canonical speaker names: labels, titles, bylines and tags as they appear in ../shared/corpus.

The titles and author lines below are copied verbatim from the corpus records
(whitehouse-briefing-room, state-gov-press-releases `creator`, kremlin-en-html
manifest, kremlin-ru-records, seed/expected.json); the expected names were read
off each string by hand.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from statements.index.names import install_aliases
from statements.scraper.errors import UsageError
from statements.scraper.people.aliases import SHIPPED_ALIASES, load_aliases, set_default_aliases
from statements.scraper.people.person import canonical_name, merge_speakers
from statements.scraper.people.titles import (
    name_from_tag,
    speakers_from_byline,
    speakers_from_tags,
    speakers_from_title,
)


@pytest.fixture(autouse=True)
def _fresh_aliases(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Each test sees only the shipped table (no user file from the real home)."""
    monkeypatch.delenv("STATEMENTS_ALIASES", raising=False)
    monkeypatch.setenv("STATEMENTS_HOME", str(tmp_path / "home"))
    set_default_aliases(None)
    yield
    set_default_aliases(None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # transliteration variants and Cyrillic forms fold into one name
        ("Sergey Lavrov", "Sergey Lavrov"),
        ("Sergei Lavrov", "Sergey Lavrov"),
        ("Лавров", "Sergey Lavrov"),
        ("С.В.Лавров", "Sergey Lavrov"),
        ("С. В. Лавров", "Sergey Lavrov"),
        ("Сергей Лавров", "Sergey Lavrov"),
        ("Лавров Сергей Викторович", "Sergey Lavrov"),
        (
            "ЛАВРОВ Сергей Викторович – Министр иностранных дел Российской Федерации",
            "Sergey Lavrov",
        ),
        ("В.Путин", "Vladimir Putin"),
        ("В.В.Путин", "Vladimir Putin"),
        ("Путин Владимир", "Vladimir Putin"),
        ("Putin Vladimir", "Vladimir Putin"),
        ("Владимир Путин", "Vladimir Putin"),
        # positions and honorifics removed
        ("Foreign Minister Sergey Lavrov", "Sergey Lavrov"),
        ("President of Russia Vladimir Putin", "Vladimir Putin"),
        ("President of\u00a0Russia\nVladimir Putin", "Vladimir Putin"),
        ("Президент Российской Федерации Владимир Путин", "Vladimir Putin"),
        ("Presidential Press Secretary Dmitry Peskov", "Dmitry Peskov"),
        (
            "President and Chairman of the VTB Bank Management Board Andrei Kostin",
            "Andrei Kostin",
        ),
        ("President of the Republic of Korea Roh Moo-hyun", "Roh Moo-hyun"),
        ("Emir of Qatar Tamim bin Hamad Al Thani", "Tamim bin Hamad Al Thani"),
        ("German Chancellor Angela Merkel", "Angela Merkel"),
        ("Dr. Subrahmanyam Jaishankar", "Subrahmanyam Jaishankar"),
        # surnames and capitals resolved through the table
        ("Biden", "Joe Biden"),
        ("Blinken", "Antony Blinken"),
        ("Antony J. Blinken", "Antony Blinken"),
        ("SECRETARY BLINKEN", "Antony Blinken"),
        ("MS. JEAN-PIERRE", "Karine Jean-Pierre"),
        ("MR PRICE", "Ned Price"),
        ("ACTING ADMINISTRATOR SLAVITT", "Andy Slavitt"),
        ("Dmytro Kuleba", "Dmytro Kuleba"),
        ("Dmitry Kuleba", "Dmytro Kuleba"),
        # unknown people keep their printed form, initials spaced, qualifiers dropped
        ("Е.Корочкина", "Е. Корочкина"),
        ("М.Диас-Канель Бермудес (как переведено)", "М. Диас-Канель Бермудес"),
        ("В.Малкин (Страна.Ru Москва)", "В. Малкин"),
        ("Ioannou Jason Karim (Barak UK Limited)", "Ioannou Jason Karim"),
        # British forms (gov.uk content items)
        ("The Rt Hon Elizabeth Truss MP", "Elizabeth Truss"),
        ("Robert Goodwill MP", "Robert Goodwill"),
        ("The Rt Hon Lord McNally", "Lord McNally"),
        ("Her Majesty the Queen", "Queen Elizabeth II"),
        # a middle initial is dropped so byline and title forms agree
        ("Brian P. McKeon", "Brian McKeon"),
        # the kremlin.ru tooltip after a short label gives the full name
        (
            "А.Лукашенко Лукашенко Александр Григорьевич Президент Республики Беларусь",
            "Alexander Lukashenko",
        ),
        # an initial that is not the table's never folds into a namesake
        ("А.Захарова", "А. Захарова"),
    ],
)
def test_canonical_name(raw: str, expected: str) -> None:
    assert canonical_name(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "Q",
        "Question:",
        "QUESTION",
        "Remark:",
        "Вопрос:",
        "Реплика:",
        "Participant",
        "PARTICIPANT",
        "Moderator",
        "OPERATOR",
        "AUDIENCE MEMBER",
        "SENIOR STATE DEPARTMENT OFFICIAL ONE",
        "SENIOR ADMINISTRATION OFFICIAL",
        "Office of the Spokesperson",
        "U.S. Department of State",
        "THE PRESIDENT",  # a position alone: the document must say who (see turns)
        "",
    ],
)
def test_not_a_person(raw: str) -> None:
    assert canonical_name(raw) is None


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Foreign Minister Sergey Lavrov's opening remarks at a joint meeting of the "
            "collegiums of the foreign ministries of Russia and Belarus, Moscow, November 25, 2025",
            ["Sergey Lavrov"],
        ),
        (
            "Remarks by President Biden and Prime Minister Anthony Albanese of Australia "
            "Before Bilateral Meeting",
            ["Joe Biden", "Anthony Albanese"],
        ),
        (
            "Press Briefing by Press Secretary Karine Jean-Pierre and NSC Coordinator for "
            "Strategic Communications John Kirby",
            ["Karine Jean-Pierre", "John Kirby"],
        ),
        (
            "Secretary Antony J. Blinken and Ukrainian Foreign Minister Dmytro Kuleba at a "
            "Joint Press Availability",
            ["Antony Blinken", "Dmytro Kuleba"],
        ),
        (
            "President Vladimir Putin chaired a meeting of the State Council presidium on "
            "interbudgetary relations",
            ["Vladimir Putin"],
        ),
        ("Владимир Путин провёл совещание с членами Правительства", ["Vladimir Putin"]),
        (
            "29 апреля Владимир Путин и Александр Лукашенко посетят Волгоград",
            ["Vladimir Putin", "Alexander Lukashenko"],
        ),
        ("Acting President Vladimir Putin arrived in Grozny", ["Vladimir Putin"]),
        # a notice about the subject is not a statement by it
        ("Secretary Blinken Tests Positive for COVID-19", []),
        ("Евгений Солнцев назначен временно исполняющим обязанности губернатора", []),
        (
            "Press Briefing by Press Secretary Jen Psaki, Deputy Director of the National "
            "Economic Council Sameera Fazili, and Senior Director for International Economics "
            "and Competitiveness Peter Harrell, February 24, 2021",
            ["Jen Psaki", "Sameera Fazili", "Peter Harrell"],
        ),
        (
            "Press Briefing by Press Secretary Jen Psaki and Secretary of Housing and Urban "
            "Development Marcia L. Fudge, March 18, 2021",
            ["Jen Psaki", "Marcia Fudge"],
        ),
        (
            "Press Briefing by Press Secretary Karine Jean-Pierre and Homeland Security Advisor "
            "and Deputy National Security Advisor Dr. Elizabeth Sherwood-Randall",
            ["Karine Jean-Pierre", "Elizabeth Sherwood-Randall"],
        ),
        (
            "Remarks by President Biden, Prime Minister Ishiba Shigeru of Japan, and President "
            "Yoon Suk Yeol of the Republic of Korea in Trilateral Meeting | Lima, Peru",
            ["Joe Biden", "Ishiba Shigeru", "Yoon Suk Yeol"],
        ),
        (
            "Remarks by President Trump and Secretary of the Department of Health and Human "
            "Services Robert F. Kennedy, Jr., During Swearing-In Ceremony",
            ["Donald Trump", "Robert F. Kennedy Jr."],
        ),
        (
            "On-the-Record Press Call by Kurt Campbell, Deputy Assistant to the President and "
            "Coordinator for the Indo-Pacific",
            ["Kurt Campbell"],
        ),
        (
            "Briefing With Acting Assistant Secretary for Near East Asian Affairs Joey Hood, "
            "Acting Director of the Office of the Global Coalition to Defeat ISIS Patrick "
            "Worman, And Office of Monetary Affairs Director Susannah Cooper On the "
            "Secretary’s Upcoming Participation in the Meeting on Syria, The D-ISIS "
            "Ministerial, and the G20",
            ["Joey Hood", "Patrick Worman", "Susannah Cooper"],
        ),
        (
            "Joint Statement by President Joe Biden and President Luiz Inácio Lula da Silva "
            "Following Call",
            ["Joe Biden", "Luiz Inácio Lula da Silva"],
        ),
        (
            "Acting Assistant Secretary for Democracy, Human Rights and Labor Lisa Peterson on "
            "the Release of the 2021 Country Reports on Human Rights Practices",
            ["Lisa Peterson"],
        ),
        ("Interview of President Trump by Jamie Little, “Fox Sports”", ["Donald Trump"]),
        ("Vladimir Putin’s annual news conference", ["Vladimir Putin"]),
        (
            "Lord McNally’s speaking note for Westminster Legal Policy Forum event",
            ["Lord McNally"],
        ),
        (
            "Andrea Leadsom's speech at Women in Nuclear UK Conference",
            ["Andrea Leadsom"],
        ),
        (
            "Dmitry Medvedev met with President and CEO of Nokia Corporation Olli-Pekka Kallasvuo",
            ["Dmitry Medvedev"],
        ),
        (
            "On March 26, Vladimir Putin will hold talks with Emir of Qatar Tamim bin Hamad "
            "Al Thani",
            ["Vladimir Putin"],
        ),
        (
            "Remarks by APNSA Jake Sullivan on the Anniversary of the October 7th Attacks",
            ["Jake Sullivan"],
        ),
        (
            "Secretary Antony J. Blinken Opening Remarks at D-ISIS Meeting Opening Session",
            ["Antony Blinken"],
        ),
        (
            "Secretary Antony J. Blinken And Jordanian King Abdullah II Before Their Meeting",
            ["Antony Blinken", "Abdullah II"],
        ),
        # travel notices name their subject, not a speaker
        ("Assistant Secretary Noyes’ Travel to New York", []),
        # titles that name nobody as speaker
        ("Public Schedule – June 13, 2021", []),
        ("G7 Foreign Ministers’ Statement on Belarus", []),
        ("Seventh U.S.-Thailand Strategic Dialogue", []),
        ("23rd Commemoration of the August 7th U.S. Embassy Bombings", []),
        ("Senior Leaders from Afghanistan Hold Peace Talks", []),
        ("Opening of Trial of Former Janjaweed Commander for Atrocities in Darfur", []),
        (
            "Joint Statement of the United States and Germany on Support for Ukraine, "
            "European Energy Security, and our Climate Goals",
            [],
        ),
        ("Посещение МГТУ имени Баумана", []),
        (
            "Appointment of Ambassador Jean Manes to serve as Chargé d’affaires to the "
            "Republic of El Salvador",
            [],
        ),
        ("On the Passing of Former Angolan President José Eduardo dos Santos", []),
        (
            "Visit by Israeli Foreign Minister Yair Lapid to Morocco for the Reopening of the "
            "Israeli Liaison Office",
            [],
        ),
        ("Statement by the President", []),
        ("Statement from the White House", []),
        ("Readout of President Biden’s Call with President Macron of France", []),
        ("First Lady Melania Trump’s Official Portrait", []),
        ("Department Press Briefing – June 17, 2021", []),
        ("Congressional Bill S. 4465 Signed into Law", []),
        ("Aleksey Navalny Unjustly Convicted Again", []),
        ("Meeting with President of Serbia Tomislav Nikolic", []),
        # a call's counterpart is not quoted (en.kremlin.ru readout, kremlin_news_62792);
        # a press call and an interview are the named person's own words
        ("Telephone conversation with President of Ukraine Vladimir Zelensky", []),
        ("Press Call with Press Secretary Jen Psaki", ["Jen Psaki"]),
        ("A Conversation with Secretary Antony J. Blinken", ["Antony Blinken"]),
        ("Встреча с Министром культуры Ольгой Любимовой", []),
    ],
)
def test_speakers_from_title(title: str, expected: list[str]) -> None:
    assert speakers_from_title(title) == expected


@pytest.mark.parametrize(
    ("line", "persons", "offices"),
    [
        ("Office of the Spokesperson", [], ["Office of the Spokesperson"]),
        ("U.S. Department of State", [], ["U.S. Department of State"]),
        ("Antony J. Blinken, Secretary of State", ["Antony Blinken"], []),
        ("Ned Price, Department Spokesperson", ["Ned Price"], []),
        (
            "Antony J. Blinken, Secretary of State, Mute Egede, Greenlandic Premier, Pele "
            "Broberg, Greenlandic Foreign Minister, Jeppe Kofod, Danish Foreign Minister",
            ["Antony Blinken", "Mute Egede", "Pele Broberg", "Jeppe Kofod"],
            [],
        ),
        (
            "Julie J. Chung, Acting Assistant SecretaryBureau of Western Hemisphere Affairs",
            ["Julie J. Chung"],
            ["Bureau of Western Hemisphere Affairs"],
        ),
        (
            "Sung Kim, Acting Assistant Secretary  Bureau of East Asian and Pacific Affairs",
            ["Sung Kim"],
            ["Bureau of East Asian and Pacific Affairs"],
        ),
        (
            "Lisa Peterson, Acting Assistant SecretaryBureau of Democracy, Human Rights, and Labor",
            ["Lisa Peterson"],
            ["Bureau of Democracy, Human Rights, and Labor"],
        ),
        (
            "Antony J. Blinken, Secretary of State, Surangel Whipps, Jr., President of Palau",
            ["Antony Blinken", "Surangel Whipps"],
            [],
        ),
        (
            "Antony J. Blinken, Secretary of State, Sheikh Mohammed bin Zayed Al Nahyan, "
            "Crown\u00a0Prince\u00a0of Abu Dhabi",
            ["Antony Blinken", "Mohammed bin Zayed Al Nahyan"],
            [],
        ),
        (
            "Wendy R. Sherman, Deputy Secretary of State, Alexandra de Hoop\u00a0Scheffer, "
            "Director of the German Marshall Fund, Irene\u00a0Braam, Executive\u00a0Director "
            "of the Bertelsmann\u00a0Foundation",
            ["Wendy Sherman", "Alexandra de Hoop Scheffer", "Irene Braam"],
            [],
        ),
        (
            "Antony J. Blinken, Secretary of State, Lloyd Austin, Secretary of Defense, Dr. S. "
            "Jaishankar, Indian Minister of External Affairs, Rajnath Singh, Indian Minister "
            "of Defense",
            ["Antony Blinken", "Lloyd Austin", "Subrahmanyam Jaishankar", "Rajnath Singh"],
            [],
        ),
        (
            "Acting Assistant Secretary for Near East Asian Affairs Joey Hood, Acting Director "
            "of the Office of the Global Coalition to Defeat ISIS Patrick Worman, And Office of "
            "Monetary Affairs Director Susannah Cooper",
            ["Joey Hood", "Patrick Worman", "Susannah Cooper"],
            [],
        ),
        (
            "Jessica Stern, U.S. Special Envoy to Advance the Human Rights of Lesbian, Gay, "
            "Bisexual, Transgender, Queer and Intersex (LGBTQI+) PersonsBureau of Democracy, "
            "Human Rights, and Labor",
            ["Jessica Stern"],
            ["Bureau of Democracy, Human Rights, and Labor"],
        ),
        (
            "Antony J. Blinken, Secretary of State, Ambassador at Large for International "
            "Religious Freedom Rashad Hussain",
            ["Antony Blinken", "Rashad Hussain"],
            [],
        ),
    ],
)
def test_speakers_from_byline(line: str, persons: list[str], offices: list[str]) -> None:
    assert speakers_from_byline(line) == (persons, offices)


def test_tags_surname_given() -> None:
    # kremlin-en-html manifest tags: places and topics mixed with persons
    tags = [
        "Belarus",
        "Economy and finance",
        "Foreign policy",
        "Lukashenko Alexander",
        "Chelyabinsk Region",
        "Puchkov Vladimir",
        "el-Sisi Abdel Fattah",
        "Kirill Patriarch of Moscow and All Russia",
        "Zelensky Vladimir",
        "Kobzev Igor",
        "Support for\u00a0business",
    ]
    assert speakers_from_tags(tags) == [
        "Alexander Lukashenko",
        "Vladimir Puchkov",
        "Abdel Fattah el-Sisi",
        "Patriarch Kirill",
        "Volodymyr Zelenskyy",
        "Igor Kobzev",
    ]
    assert name_from_tag("Nikolic Tomislav") == "Tomislav Nikolic"
    assert name_from_tag("Gurria Angel") == "Angel Gurria"  # not in the table: swapped


def test_merge_speakers_dedups_by_canonical_form_in_order() -> None:
    assert merge_speakers(
        ["Foreign Minister Sergey Lavrov", "Q"],
        ["С.В.Лавров", "Blinken", "Sergei Lavrov"],
        ["Antony J. Blinken", "Office of the Spokesperson"],
    ) == ("Sergey Lavrov", "Antony Blinken")


def test_shipped_table_is_well_formed() -> None:
    rows = [
        line
        for line in SHIPPED_ALIASES.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(rows) > 200
    assert all(len(r.split("\t")) == 2 for r in rows)
    table = load_aliases()
    # every Russian and US official of the corpus used in the tests resolves
    for alias, canon in [
        ("Лавров Сергей Викторович", "Sergey Lavrov"),
        ("В.В.Путин", "Vladimir Putin"),
        ("Putin Vladimir", "Vladimir Putin"),
        ("Путин Владимир", "Vladimir Putin"),
        ("Jean-Pierre", "Karine Jean-Pierre"),
        ("Starmer", "Keir Starmer"),
    ]:
        assert table.lookup(alias) == canon


def test_user_alias_file_from_env_extends_and_overrides(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    user = tmp_path / "my-aliases.tsv"
    user.write_text(
        "# my people\nNatalya Menshchikova\tН.Меньщикова\nSergei Lavrov\tSergey Lavrov\n",
        encoding="utf-8",
    )
    assert canonical_name("Н.Меньщикова") == "Н. Меньщикова"
    monkeypatch.setenv("STATEMENTS_ALIASES", str(user))
    set_default_aliases(None)
    install_aliases()  # the index reads the user's files; the scraper does not know them
    assert canonical_name("Н.Меньщикова") == "Natalya Menshchikova"
    assert canonical_name("Sergey Lavrov") == "Sergei Lavrov"  # a later row wins
    assert canonical_name("Blinken") == "Antony Blinken"  # shipped rows still there


def test_user_alias_file_in_data_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "aliases.tsv").write_text("Jake Sullivan\tJ. Sullivan\n", encoding="utf-8")
    set_default_aliases(None)
    install_aliases()  # the index reads the user's files; the scraper does not know them
    assert canonical_name("J. Sullivan") == "Jake Sullivan"


def test_extra_alias_path_passed_in(tmp_path: Path) -> None:
    extra = tmp_path / "x.tsv"
    extra.write_text("Olaf Scholz\tScholz\n", encoding="utf-8")
    table = load_aliases(extra)
    assert table.lookup("SCHOLZ") == "Olaf Scholz"
    assert extra in table.sources


def test_bad_alias_file_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("Sergey Lavrov Lavrov\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"bad\.tsv line 1: expected 'canonical name<TAB>alias'"):
        load_aliases(bad)
    with pytest.raises(UsageError, match="cannot read alias file"):
        load_aliases(tmp_path / "missing.tsv")


# ---- issue 9: names are never merged, never cut ------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # a middle initial tells people apart
        ("George H. W. Bush", "George H. W. Bush"),
        ("George H.W. Bush", "George H. W. Bush"),
        ("President George W. Bush", "George W. Bush"),
        ("John Quincy Adams", "John Quincy Adams"),
        ("John Adams", "John Adams"),
        ("John F. Kennedy", "John F. Kennedy"),
        ("Chair Jerome H. Powell", "Jerome H. Powell"),
        # never cut, whatever the length
        ("Mr. Alain Claude Bilie By Nze", "Alain Claude Bilie By Nze"),
        ("H.E. Mr. Alain Claude Bilie By Nze", "Alain Claude Bilie By Nze"),
        ("Martin Luther King Jr.", "Martin Luther King Jr."),
        ("Prime Minister John Major", "John Major"),
        # a word that belongs to the name stays; before a full name it is a title
        ("Sheikh Hasina", "Sheikh Hasina"),
        ("Prime Minister Sheikh Hasina", "Sheikh Hasina"),
        ("Sheikh Mohammed bin Zayed Al Nahyan", "Mohammed bin Zayed Al Nahyan"),
        # family name first keeps its order; "Un" is a name, "UN" a body
        ("Hun Manet", "Hun Manet"),
        ("Prime Minister Hun Manet", "Hun Manet"),
        ("His Excellency Xi Jinping", "Xi Jinping"),
        ("Kim Jong Un", "Kim Jong Un"),
        ("U.S. Ambassador to the UN Linda Thomas-Greenfield", "Linda Thomas-Greenfield"),
        # only honorifics and ranks go
        ("King Abdullah II", "Abdullah II"),
        ("General Lloyd Austin", "Lloyd Austin"),
        ("Gen. Mark Milley", "Mark Milley"),
        ("Dr. Anthony Fauci", "Anthony Fauci"),
        # a post misspelt on the page is still a post
        ("Prime Mininster Netanyahu", "Netanyahu"),
    ],
)
def test_names_are_kept_whole(raw: str, expected: str) -> None:
    assert canonical_name(raw) == expected


def test_variants_fold_only_through_the_alias_table(tmp_path: Path) -> None:
    assert canonical_name("Joseph R. Biden") == canonical_name("Joe Biden") == "Joe Biden"
    assert canonical_name("Jerome Powell") != canonical_name("Jerome H. Powell")
    extra = tmp_path / "aliases.tsv"
    extra.write_text("Jerome H. Powell\tJerome Powell\n", "utf-8")
    set_default_aliases(load_aliases(extra))
    assert canonical_name("Jerome Powell") == "Jerome H. Powell"


# ---- within one document, a short form is the full name the page gives ------------------


def test_short_forms_resolve_to_the_documents_full_name() -> None:
    from statements.scraper.people.document_names import resolve

    page = ["Jerome H. Powell", "Luigi Di Maio", "Bilawal Bhutto Zardari", "Евгений Солнцев"]
    assert resolve("Powell", page) == "Jerome H. Powell"
    assert resolve("Di Maio", page) == "Luigi Di Maio"
    assert resolve("Bhutto Zardari", page) == "Bilawal Bhutto Zardari"
    assert resolve("Е. Солнцев", page) == "Евгений Солнцев"
    assert resolve("Xi", ["Xi Jinping", "Joe Biden"]) == "Xi Jinping"  # family name first
    assert resolve("Blinknen", ["Antony Blinken"]) == "Antony Blinken"  # a typo of the page
    # two people fit: nothing is guessed
    assert resolve("George Bush", ["George H. W. Bush", "George W. Bush"]) is None
    assert resolve("George W. Bush", ["George H. W. Bush"]) is None
    assert resolve("Smith", ["Jane Doe"]) is None


def test_a_lone_surname_the_page_never_completes_is_no_speaker() -> None:
    from statements.scraper.people.document_names import settle
    from statements.scraper.record import Turn

    turns = (
        Turn("SECRETARY BLINKNEN:", "Thank you.", "Blinknen"),
        Turn("MR ICE:", "Next question.", "Ice"),
        Turn("QUESTION:", "Thanks.", None, "question"),
    )
    got = settle([["Antony Blinken"], [], [], ["Blinknen", "Ice"]], turns, text="Thanks, all.")
    assert got.speakers == ("Antony Blinken",)
    assert [(t.speaker, t.role) for t in got.turns] == [
        ("Antony Blinken", "speaker"),
        (None, "unknown"),
        (None, "question"),
    ]
    # the text completes a surname ("Prime Minister Fumio Kishida" ... "PRIME MINISTER KISHIDA:")
    text = "Let me welcome Prime Minister Fumio Kishida to Washington."
    got = settle([["Joe Biden"], ["Kishida"]], (), text=text)
    assert got.speakers == ("Joe Biden", "Fumio Kishida")


# ---- real pages: the page's own speaker, and nobody it only mentions ---------------------

SPEAKER_PAGES = Path(__file__).parent / "speaker_pages"


def test_blog_post_gives_its_authors_not_the_people_it_mentions() -> None:
    """ECB Blog post (ecb-html in ../shared/corpus, see speaker_pages/SOURCES.md): five
    authors in its markup; the text cites Jacques Delors, Draghi, Blanchard, Lane."""
    from statements.scraper.extract import extract_file

    rec = extract_file(SPEAKER_PAGES / "ecb-blog-20250725.html")
    assert rec.speakers == (
        "Othman Bouabdallah",
        "Ettore Dorrucci",
        "Carolin Nerlich",
        "Christiane Nickel",
        "Aurelian Vlad",
    )
    assert "Jacques Delors" in rec.text and "Draghi" in rec.text


def test_title_surname_and_page_markup_give_one_full_name() -> None:
    """federalreserve.gov: the title says "Chair Powell", `p.speaker` "Chair Jerome H. Powell"."""
    from statements.scraper.extract import extract_file

    rec = extract_file(SPEAKER_PAGES / "fed-powell-20250211.html")
    assert rec.title.startswith("Testimony by Chair Powell")
    assert rec.speakers == ("Jerome H. Powell",)


def test_headline_case_title_name_ends_where_the_text_shows() -> None:
    """state.gov record state-359916 (speaker_pages/SOURCES.md): in the headline-case
    title "Secretary Raimondo Co-Host Supply Chain Ministerial" every word is
    capitalised; the text writes "co-host" in lower case and names "Secretary of
    Commerce Gina Raimondo", so the speaker is Gina Raimondo, not "Raimondo Co-Host
    Supply Chain Ministerial"."""
    from statements.scraper.extract import extract_record

    data = json.loads((SPEAKER_PAGES / "state-gov-359916.json").read_text(encoding="utf-8"))
    assert "speakers" not in data  # the record names nobody: the title and text must
    rec = extract_record(data)
    assert rec.speakers == ("Antony Blinken", "Gina Raimondo")


def test_a_headline_name_is_cut_only_where_the_text_shows_it_ends() -> None:
    from statements.scraper.people.document_names import confirmed
    from statements.scraper.people.titles import is_headline_case, title_speakers

    assert is_headline_case(
        "Secretary Blinken and Secretary Raimondo Co-Host Supply Chain Ministerial"
    )
    assert not is_headline_case(
        "President Vladimir Putin chaired a meeting of the Security Council"
    )
    assert not is_headline_case("Владимир Путин провёл совещание с членами Правительства")
    assert not is_headline_case("2016年11月15日外交部发言人耿爽主持例行记者会")
    # a family name first: "Eui-yong" is never an ordinary word of the text
    text = "FOREIGN MINISTER CHUNG: Thank you. Eui-yong and I have worked closely together."
    assert confirmed("Chung Eui-yong", text) == "Chung Eui-yong"
    # the text prints the whole name, though it also writes "green" in lower case
    assert confirmed("Mark Green", "Mark Green spoke about green energy.") == "Mark Green"
    # a statement never names its speaker in its text: the title's name is kept
    title = "Statement from National Security Advisor Jake Sullivan on the Hostage Rescue"
    assert title_speakers(title, "We welcome the rescue of four hostages.") == ["Jake Sullivan"]


def test_chinese_titles_name_the_spokesperson() -> None:
    # fmprc.gov.cn titles (mfa-prc-html manifest)
    assert speakers_from_title("2016年11月15日外交部发言人耿爽主持例行记者会") == ["耿爽"]
    assert speakers_from_title("外交部发言人陆慷就新西兰克赖斯特彻奇枪击事件答记者问") == ["陆慷"]
    assert speakers_from_title("外交部发言人就全国人大常委会审议通过香港国安法发表谈话") == []


def test_subtitle_names_the_interviewer() -> None:
    from statements.scraper.people.titles import heading_persons

    text = (
        "Interview with Delo\n\n"
        "Interview with Piero Cipollone, conducted by Miha Jenko on 10 July 2025\n\n"
        "Mr Cipollone, the ECB is actively exploring the digital euro."
    )
    assert heading_persons(text) == ["Piero Cipollone", "Miha Jenko"]


# ---- the speaker facet keeps two people two ----------------------------------------------

# SYNTHETIC records: the titles are the Presidents' real State of the Union addresses; the
# one-line texts are ours. `person` is who gave each (read off the title by hand), the
# speakers are printed in the shapes pages use.
BUSH_RECORDS = [
    ("1990-01-31", "Address on the State of the Union", ["George H. W. Bush"], "George H. W. Bush"),
    (
        "1991-01-29",
        "Address on the State of the Union",
        ["President George H.W. Bush"],
        "George H. W. Bush",
    ),
    ("1992-01-28", "Address on the State of the Union", ["George H. W. Bush"], "George H. W. Bush"),
    ("2002-01-29", "State of the Union Address", ["George W. Bush"], "George W. Bush"),
    ("2003-01-28", "State of the Union Address", ["President George W. Bush"], "George W. Bush"),
    ("1961-01-30", "Annual Message to the Congress", ["John F. Kennedy"], "John F. Kennedy"),
    ("1825-12-06", "First Annual Message", ["John Quincy Adams"], "John Quincy Adams"),
    ("1797-11-22", "Fifth Annual Message", ["John Adams"], "John Adams"),
]


def test_bush_and_bush_stay_two_facet_values(tmp_path: Path) -> None:
    from collections import Counter

    from statements.index.library import Library
    from statements.index.models import SearchRequest
    from statements.scraper.record import Statement

    records = [
        Statement.from_dict(
            {
                "id": f"sotu-{date}",
                "title": title,
                "text": f"Mr. Speaker, members of the Congress: the state of the union ({date}).",
                "date": date,
                "speakers": speakers,
                "language": "en",
            }
        )
        for date, title, speakers, _person in BUSH_RECORDS
    ]
    expected = Counter(person for *_rest, person in BUSH_RECORDS)
    with Library(tmp_path / "home") as lib:
        lib.add((r, None) for r in records)
        result = lib.search(SearchRequest(query="union", facets=("speaker",), limit=100))
        assert dict(result.facets["speaker"]) == expected
        assert expected["George H. W. Bush"] == 3 and expected["George W. Bush"] == 2
        only = lib.search(SearchRequest(query="union", speakers=("George W. Bush",), limit=100))
        assert {h.id for h in only.hits} == {"sotu-2002-01-29", "sotu-2003-01-28"}


# ---- `statements speakers`: counts, aliases, duplicates, and the reindex note ------------

# Speaker values as the corpus' pages print them (state.gov records 1529 / 1999, 1159,
# kremlin-ru, federalreserve.gov); one SYNTHETIC record each, text ours.
LISTED = [
    ("a", ["Jerome H. Powell"]),
    ("b", ["Jerome H. Powell"]),
    ("c", ["Jerome Powell"]),
    ("d", ["Hayashi Yoshimasa"]),
    ("e", ["Yoshimasa Hayashi"]),
    ("f", ["Eva-Maria Liimets", "Sergey Lavrov"]),
    ("g", ["Eva-Marie Liimets"]),
    ("h", ["George H. W. Bush"]),
    ("i", ["George W. Bush"]),
]


def test_speakers_command_lists_counts_aliases_and_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json
    from collections import Counter

    from conftest import run

    from statements.index.library import Library
    from statements.scraper.record import Statement

    home = tmp_path / "home"
    monkeypatch.setenv("STATEMENTS_HOME", str(home))
    set_default_aliases(None)
    records = [
        Statement.from_dict(
            {
                "id": rid,
                "title": f"Remarks {rid}",
                "text": "Thank you all for coming today.",
                "speakers": names,
                "date": "2024-01-01",
            }
        )
        for rid, names in LISTED
    ]
    with Library(home) as lib:
        lib.add((r, None) for r in records)

    def speakers() -> tuple[dict, str]:
        result = run("speakers", "--format", "json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout), result.stderr

    data, note = speakers()
    assert note == ""
    expected = Counter(n for _rid, names in LISTED for n in names)
    assert {s["name"]: s["documents"] for s in data["speakers"]} == expected
    lavrov = next(s for s in data["speakers"] if s["name"] == "Sergey Lavrov")
    assert "С.В.Лавров" in lavrov["aliases"]
    pairs = {(d["keep"], d["merge"], d["reason"]) for d in data["duplicates"]}
    assert pairs == {
        ("Jerome H. Powell", "Jerome Powell", "short form"),
        ("Hayashi Yoshimasa", "Yoshimasa Hayashi", "word order"),
        ("Eva-Maria Liimets", "Eva-Marie Liimets", "spelling"),
    }  # and never the two Bushes
    assert data["reindex_needed"] is False

    # the user adds the suggested rows: the tool says a reindex is needed, then applies them
    rows = [d["alias_row"] for d in data["duplicates"]]
    (home / "aliases.tsv").write_text("\n".join(rows) + "\n", "utf-8")
    set_default_aliases(None)
    data, note = speakers()
    assert data["reindex_needed"] is True
    assert "run `statements reindex`" in note
    result = run("reindex")
    assert result.exit_code == 0, result.stderr
    data, note = speakers()
    assert (note, data["reindex_needed"], data["duplicates"]) == ("", False, [])
    counts = {s["name"]: s["documents"] for s in data["speakers"]}
    assert counts["Jerome H. Powell"] == 3 and "Jerome Powell" not in counts
    assert counts["George H. W. Bush"] == counts["George W. Bush"] == 1


# ---- "the President": the page's date and publisher tell who ------------------------------


def test_office_holder_by_date_and_publisher() -> None:
    import datetime as dt

    from statements.scraper.people.offices import country_of, holder, title_office_holder

    assert country_of("The White House", None) == "us"
    assert country_of(None, "https://bidenwhitehouse.archives.gov/briefing-room/x/") == "us"
    assert country_of(None, "http://en.kremlin.ru/events/president/news/1") == "ru"
    assert country_of("Some Ministry", "https://example.org/") is None
    assert holder("president", dt.date(1990, 1, 31), "us") == "George H. W. Bush"
    assert holder("president", dt.date(2002, 1, 29), "us") == "George W. Bush"
    assert holder("president", dt.date(1963, 11, 22), "us") == "Lyndon B. Johnson"
    assert holder("secretary", dt.date(2022, 3, 1), "us") == "Antony Blinken"
    assert holder("president", dt.date(2005, 5, 9), "ru") == "Vladimir Putin"
    assert holder("president", None, "us") is None  # no date: nobody is guessed
    title = "Statement by the President on H.R. 7776, the James M. Inhofe National Defense Act"
    assert title_office_holder(title, dt.date(2022, 12, 23), "us") == "Joe Biden"
    assert title_office_holder(title, dt.date(2022, 12, 23), None) is None
    assert title_office_holder("Remarks by the President and the First Lady", None, "us") is None


def test_statement_by_the_president_names_the_holder_of_the_day() -> None:
    """whitehouse-briefing-room records (../shared/corpus) whose titles name only the office."""
    from statements.scraper.extract import extract_record

    base = {"source": "The White House", "text": "Today I signed into law H.R. 7776."}
    rec = extract_record({**base, "title": "Statement by the President", "date": "2025-12-18"})
    assert rec.speakers == ("Donald Trump",)
    rec = extract_record({**base, "title": "Statement from the President", "date": "2024-09-30"})
    assert rec.speakers == ("Joe Biden",)


def test_a_signers_surname_is_the_office_holder_of_the_day_a_labels_is_not() -> None:
    import datetime as dt

    from statements.scraper.people.document_names import settle

    order = dt.date(2000, 3, 7)  # "(Presidential Sig.)<Clinton>" under Executive Order 13147
    assert settle([], signers=["Clinton"], date=order, country="us").speakers == ("Bill Clinton",)
    assert settle([["Clinton"]], date=order, country="us").speakers == ()  # "SENATOR CLINTON:"
    assert settle([], signers=["Clinton"], date=None).speakers == ()
