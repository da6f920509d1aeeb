"""Who is speaking: canonical person names from titles, bylines, labels and tags.

Official pages name people in many shapes: "Foreign Minister Sergey Lavrov",
"SECRETARY BLINKEN", "С.В.Лавров", "Лавров Сергей Викторович", kremlin person
tags "Putin Vladimir", state.gov author lines "Antony J. Blinken, Secretary of
State, Mute Egede, Greenlandic Premier". A facet on speakers is only useful if
all of these fold into one name, so everything here ends in `canonical_name`:
titles and honorifics are stripped by vocabulary (named tables below, not
special cases), Cyrillic and transliteration variants go through an alias
table that ships in scraper/data/aliases.tsv and that users extend with their
own TSV file.

English titles put the position before the name ("Title [of Org] Name", or
"Title Name of Country"); the parser finds the last position/connector word
and keeps the name after it, so new positions only need a word in a table.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from statements.scraper.errors import UsageError

DATA_DIR = Path(__file__).parent / "data"
SHIPPED_ALIASES = DATA_DIR / "aliases.tsv"


class Vocabulary(NamedTuple):
    """A named word list; `words` are lower-case, dots removed."""

    name: str
    why: str
    words: frozenset[str]


def _vocab(name: str, why: str, words: str) -> Vocabulary:
    return Vocabulary(name, why, frozenset(w.replace(".", "") for w in words.split()))


HONORIFICS = _vocab(
    "honorifics",
    "forms of address dropped before a name",
    "mr mrs ms miss mx dr sir dame lord lady madam madame mister prof professor rev "
    "reverend he his her excellency majesty highness hon honorable honourable sheikh "
    "sheikha rt right baroness baron viscount earl господин госпожа г-н г-жа "
    "señor señora sr sra srta lic licenciado licenciada ing ingeniero ingeniera doctora "
    "senhor senhora monsieur mme herr frau signor signora",
)

PEERAGE = _vocab(
    "peerage",
    "titles that are part of a name when only one more word follows ('Lord McNally', "
    "'Sheikh Hasina'); before a full name they go ('Sheikh Tamim bin Hamad Al Thani')",
    "lord lady baroness baron viscount earl sheikh sheikha dame",
)

SURNAME_POSTS = _vocab(
    "surname posts",
    "posts that are also surnames: after a given name they end the name ('John Major', "
    "'Martin Luther King Jr.'), where 'Greenlandic Premier' stays a post",
    "king major judge bishop prince pope marshal baron earl lord knight",
)

RANK_ABBREVIATIONS = _vocab(
    "rank abbreviations",
    "ranks and posts written short with a dot ('Gen. Mark Milley', 'Sen. Warren'); only "
    "the dotted form counts, so the names Sen or Gov are not taken for a rank",
    "gen lt col maj capt adm sgt cmdr brig gov sen rep amb sec pres atty supt insp cpl "
    "pvt cdr gen. lt.",
)

POST_NOMINALS = _vocab(
    "post-nominals",
    "letters after a British name ('The Rt Hon Elizabeth Truss MP'), dropped",
    "mp qc kc obe cbe mbe kbe dbe pc mep msp mla frs",
)

POSITIONS = _vocab(
    "positions",
    "job titles and their qualifiers; a name follows them ('Foreign Minister Sergey Lavrov')",
    # English
    "president vice prime minister ministers foreign secretary secretary-general deputy "
    "assistant acting principal under general spokesperson spokesman spokeswoman press "
    "ambassador ambassador-at-large envoy special representative coordinator advisor "
    "adviser director administrator chair chairman chairwoman chairperson commissioner "
    "governor mayor senator congressman congresswoman speaker leader chancellor premier "
    "king queen emir amir sultan prince princess crown patriarch pope pontiff first lady "
    "gentleman second chief head officer official officials senior executive ceo cfo "
    "justice judge attorney surgeon counselor counsellor high permanent member "
    "lieutenant admiral colonel major captain bishop former elect president-elect "
    "vice-president designate interim caretaker главнокомандующий "
    "the-president communications strategic national homeland defense defence "
    "economic health consular political-military international legal "
    "external interior home trade finance treasury education transportation labor "
    "energy environment agriculture commerce justice veterans housing "
    "large coordinator-general undersecretary under-secretary minister-counsellor "
    "chargé charge d'affaires managing founder co-founder partner writer correspondent "
    "journalist pilot test student teacher engineer economist rector artist actor "
    # Russian (lower case; genitive forms as they follow a title)
    "президент президента вице-президент премьер-министр министр министра "
    "председатель председателя заместитель заместителя первый первого глава главы "
    "губернатор губернатора мэр мэра помощник помощника пресс-секретарь секретарь "
    "генеральный генерального советник посол спецпредставитель спецпосланник патриарх "
    "иностранных дел обороны культуры финансов промышленности торговли "
    "директор руководитель начальник генштаба командующий официальный представитель "
    "исполняющий обязанности врио канцлер король эмир султан федеральный "
    # Spanish, Portuguese, Italian, French and German posts before a name
    "presidente presidenta vicepresidente vicepresidenta secretario secretaria "
    "subsecretario subsecretaria ministro ministra canciller gobernador gobernadora "
    "director directora titular vocero vocera portavoz embajador embajadora jefe jefa "
    "procurador procuradora alcalde alcaldesa senadora diputado diputada "
    "secretário secretária embaixador embaixadora porta-voz governador governadora "
    "segretario segretaria portavoce ambasciatore "
    "président présidente ministre secrétaire porte-parole ambassadeur ambassadrice "
    "präsident präsidentin bundeskanzler bundeskanzlerin bundespräsident "
    "bundespräsidentin ministerin staatssekretär staatssekretärin sprecher sprecherin "
    "botschafter botschafterin regierungssprecher",
)

HEAD_POSITIONS = _vocab(
    "head positions",
    "the noun of a job title; a body name does not contain one before its 'of'",
    "spokesperson spokesman spokeswoman director coordinator secretary minister advisor "
    "adviser administrator envoy representative ambassador president chair chairman "
    "chairperson commissioner senior deputy assistant official officials officer",
)

PERSON_TITLES = _vocab(
    "person titles",
    "posts only a person holds; a news title's subject needs one unless the table knows it",
    "president minister secretary spokesperson spokesman spokeswoman director coordinator "
    "advisor adviser administrator envoy representative ambassador chair chairman "
    "chairwoman chairperson commissioner governor mayor senator congressman congresswoman "
    "speaker chancellor premier king queen emir amir sultan prince princess patriarch "
    "pope lady gentleman ceo chief justice judge counselor counsellor secretary-general "
    "president-elect vice-president prime undersecretary "
    "президент министр председатель глава губернатор мэр патриарх пресс-секретарь "
    "секретарь посол помощник советник канцлер король эмир султан",
)

ORGANISATION_WORDS = _vocab(
    "organisation words",
    "words of body names inside a position ('of the National Economic Council')",
    "department ministry bureau office agency council commission committee fund "
    "foundation bank administration government coalition force task services affairs "
    "rights development operations security house state states union organization "
    "organisation team staff board institute corporation company group cabinet nsc "
    "white usa nato oecd asean federation republic kingdom "
    "федерации российской россии республики сша правительства совета думы "
    "государственной федерального собрания администрации",
)

BODY_ACRONYMS = _vocab(
    "body acronyms",
    "short names of bodies; a body only in capitals or with dots ('UN', 'U.S.'), so "
    "the name parts Un, Us, Au stay names ('Kim Jong Un')",
    "us usa uk un eu au nato nsc oecd asean osce imf usaid",
)

CONNECTORS = _vocab(
    "connectors",
    "lower-case words that join a position to its body ('of', 'for the')",
    "of for the and to at on in with & а и по при",
)

PARTICLES = _vocab(
    "name particles",
    "lower-case or short parts of personal names that join two names",
    "bin bint ibn al el ad ash as de da del della di dos das du van von der den la le "
    "ter abu ben mac o аль бен ибн бин фон де ван",
)

STATEMENT_NOUNS = _vocab(
    "statement nouns",
    "what a person's possessive title introduces ('Lavrov's remarks')",
    "remarks statement statements speech address interview comments comment message "
    "article op-ed answers answer greetings greeting opening closing introductory "
    "keynote news press conference briefing testimony letter video address remarks "
    "speaking note notes op-ed essay",
)

TITLE_VERBS = _vocab(
    "title verbs",
    "verbs that end the subject of a news-style title ('President Vladimir Putin chaired')",
    "announces announced launches launched delivers delivered signs signed hosts hosted "
    "meets met holds held chairs chaired visits visited travels traveled travelled "
    "calls called welcomes welcomed condemns condemned congratulates congratulated "
    "joins joined speaks spoke says said takes took gives gave sends sent addresses "
    "addressed attends attended receives received had has will appointed appoints "
    "answered answers opens opened wins won names named urges urged meet travel hold "
    "holds return returns recognizes recognize restricts tests selects leads lead sign "
    "announce join participate participates becomes sworn elected releases release "
    "marks mark expands expand remarks statement briefing gaggle call interview "
    "availability roundtable conference address speech message opening closing keynote "
    "virtual panel discussion joint video welcoming introductory travel trip visit "
    "conclude concludes concluded continue continues",
)

NON_SPEAKING_VERBS = _vocab(
    "non-speaking verbs",
    "verbs after a news title's subject that make it a notice about the person, not a "
    "statement by them ('Secretary Blinken Tests Positive', 'X назначен ...')",
    "tests tested travels travel traveled travelled returns returned appointed appoints "
    "named names elected sworn selects selected dies died hospitalized resigns resigned "
    "назначен назначена назначены освобождён освобожден освобождена умер скончался",
)

NOT_NAMES = _vocab(
    "not names",
    "capitalised title words that are events or things, never part of a person's name",
    "report reports meeting meetings ceremony summit conference day law act bill plan "
    "program programme initiative event visit trip travel call forum session week month "
    "year agreement treaty strategy announcement remarks statement briefing release "
    "nominees nominee election elections attack attacks anniversary celebration reception "
    "gala dinner rally tour order orders portrait message proclamation actions action "
    "relief assistance sanctions update readout text begin end statements events note "
    "editor background summary agenda topics attendees location subject source award "
    "awards team teams prize "
    # news media, whose names head the questions of a press conference ("China Daily:")
    "daily news service times post agency press tv television radio broadcasting "
    "broadcast network herald tribune journal gazette telegraph novosti xinhua reuters "
    "bloomberg afp ap efe ansa tass ria kyodo yonhap nhk bbc cnn cbs abc nbc",
)

#: Chinese titles: a post, the name (two to four characters), a speaking verb:
#: "外交部发言人耿爽主持例行记者会", "外交部发言人陆慷答记者问".
ZH_POSTS = (
    "发言人|部长|外长|副部长|主席|副主席|总理|副总理|总统|大使|国务委员|主任|司长|秘书长|"
    "总书记|总领事|参赞"
)
ZH_SPEAKING = "主持|答|就|发表|表示|接受|介绍|宣布|致辞|讲话|演讲|发言|谈|说|在"
_ZH_TITLE = re.compile(
    rf"(?:{ZH_POSTS})\s*(?P<name>[^\W\d_a-zA-Z就在对向答表关于与和及的]"
    rf"[\u3400-\u9fff·]{{1,3}}?)(?={ZH_SPEAKING})"
)
_INTERVIEWER = re.compile(r"\b(?:conducted|interviewed|moderated|hosted)\s+by\s+", re.I)

_DOC_NOUNS = (
    r"Remarks|Statement|Statements|Briefing|Gaggle|Press\s+Call|Call|Interview|Message|"
    r"Address|Speech|Op-Ed|Letter|Press\s+Conference|News\s+Conference|Conversation|"
    r"Comments|Testimony|Availability|Q&A|Transcript|Answers"
)

# ---- roles that are not persons ------------------------------------------------------

ROLE_LABELS: dict[str, str] = {
    # question / remark / moderator voices; keys compared after _key()
    "q": "question",
    "qs": "question",
    "question": "question",
    "questions": "question",
    "questioner": "question",
    "reporter": "question",
    "journalist": "question",
    "press": "question",
    "вопрос": "question",
    "журналист": "question",
    "remark": "remark",
    "remarks": "remark",
    "comment": "remark",
    "participant": "remark",
    "participants": "remark",
    "audience": "remark",
    "audience member": "remark",
    "audience members": "remark",
    "voice": "remark",
    "voices": "remark",
    "crowd": "remark",
    "реплика": "remark",
    "реплики": "remark",
    "голос": "remark",
    "голос из зала": "remark",
    "участник": "remark",
    # Spanish, Portuguese, French, German and Italian transcripts
    "pregunta": "question",
    "pergunta": "question",
    "domanda": "question",
    "frage": "question",
    "reportero": "question",
    "reportera": "question",
    "periodista": "question",
    "jornalista": "question",
    "journaliste": "question",
    "giornalista": "question",
    "interlocutor": "question",
    "interlocutora": "question",
    "interlocutores": "question",
    "voz": "remark",
    "voz mujer": "remark",
    "voz hombre": "remark",
    "voz en off": "remark",
    "asistente": "remark",
    "asistentes": "remark",
    "público": "remark",
    "moderador": "moderator",
    "moderadora": "moderator",
    "modérateur": "moderator",
    "modératrice": "moderator",
    "moderatore": "moderator",
    "moderatorin": "moderator",
    "presentador": "moderator",
    "presentadora": "moderator",
    "moderator": "moderator",
    "operator": "moderator",
    "host": "moderator",
    "ведущий": "moderator",
    "ведущая": "moderator",
    "модератор": "moderator",
    "interpreter": "unknown",
    "translator": "unknown",
    "aide": "unknown",
    "staff": "unknown",
    "white house aide": "unknown",
    "unidentified": "unknown",
    "переводчик": "unknown",
}
_ANONYMOUS = re.compile(
    r"^(?:a\s+)?(?:senior|administration|state\s+department|u\s?s\s+)[\w\s-]*?\bofficials?\b"
    r"|^\w*\s*aide$|^(?:male|female|unidentified)\b|\bcrew member\b|^audience\b",
    re.I,
)
_OFFICE = re.compile(
    r"^(?:the\s+)?(?:u\.?\s?s\.?\s+|us\s+|united\s+states\s+)?"
    r"(?:office|bureau|department|ministry|embassy|mission|consulate|white\s+house|"
    r"press\s+office|state\s+department|national\s+security\s+council|agency|"
    r"permanent\s+mission|министерство|мид|посольство|пресс-служба|департамент|"
    r"управление|администрация|"
    # bodies in Spanish, Portuguese, French, German and Italian ("Presidencia de la República")
    r"presidencia|presidência|présidence|presidenza|secretaría|ministerio|ministério|"
    r"ministère|ministero|ministerium|bundesministerium|bundesregierung|gobierno|governo|"
    r"gouvernement|embajada|embaixada|ambassade|ambasciata|botschaft|oficina|consulado|"
    r"cancillería)\b",
    re.I,
)

# ---- text normalisation ----------------------------------------------------------------

_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
_PAREN = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")
_INITIAL_GLUE = re.compile(r"(?<![^\W\d_])([^\W\d_])\.(?=[^\W\d_])")
_INITIAL = re.compile(r"^[^\W\d_]{1,2}\.$|^[^\W\d_]$")
_PATRONYMIC = re.compile(r"(?:вич|вна|ична|инична|ич|оглы|кызы)$")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_APOS = re.compile(r"[’ʼ`]")
_DOTTED_BODY = re.compile(r"\b(?:U\.S|U\.K|U\.N|E\.U)\.(?=[\s,-]|$)")


def _clean(raw: str) -> str:
    """Whitespace, invisible characters, label colon and bracketed qualifiers removed."""
    s = _INVISIBLE.sub("", raw)
    s = _SPACES.sub(" ", s).strip()
    s = s.rstrip(":").strip()
    s = _PAREN.sub("", s).strip()
    return s.strip(" ,;:-–—")


@lru_cache(maxsize=65536)
def _key(name: str) -> str:
    """Lookup key: case, accents, dots and spacing do not matter ("С.В.Лавров")."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _APOS.sub("'", s).casefold()
    s = re.sub(r"[.\s,]+", " ", s)
    return s.strip()


def _word(token: str) -> str:
    return token.casefold().replace(".", "").strip(",;:'’")


def _is_initial(token: str) -> bool:
    return bool(_INITIAL.match(token)) and token[:1].isupper()


def _is_particle(token: str) -> bool:
    return _word(token) in PARTICLES.words


def _titlecase(token: str) -> str:
    """ "BLINKEN" -> "Blinken", "JEAN-PIERRE" -> "Jean-Pierre", "MCKEON" -> "Mckeon"."""
    parts = []
    for p in token.split("-"):
        p = p[:1].upper() + p[1:].lower()
        if p.startswith("Mc") and len(p) > 2:
            p = "Mc" + p[2:].capitalize()  # "MCCABE" -> "McCabe"
        parts.append(p)
    return "-".join(parts)


def _decap(s: str) -> str:
    """Title-case tokens written in capitals (labels, "ЛАВРОВ Сергей"); keep initials."""
    out = []
    for tok in s.split(" "):
        letters = [c for c in tok if c.isalpha()]
        if (
            len(letters) > 1
            and all(c.isupper() for c in letters)
            and "".join(letters).lower() not in BODY_ACRONYMS.words
        ):
            tok = _titlecase(tok)
        out.append(tok)
    return " ".join(out)


# ---- alias table --------------------------------------------------------------------------


class AliasTable:
    """Maps any spelling of a person (key-normalised) to one canonical name."""

    def __init__(self) -> None:
        self._map: dict[str, str] = {}
        self._aliases: dict[str, list[str]] = {}
        self.sources: list[Path] = []

    def add(self, canonical: str, alias: str) -> None:
        canonical = _SPACES.sub(" ", canonical).strip()
        old = self._map.get(_key(alias))
        if old is not None and old != canonical and alias in self._aliases.get(old, []):
            self._aliases[old].remove(alias)  # a later row moved the alias to someone else
        self._map[_key(alias)] = canonical
        self._map.setdefault(_key(canonical), canonical)
        rows = self._aliases.setdefault(canonical, [])
        if _key(alias) != _key(canonical) and alias not in rows:
            rows.append(alias)

    def aliases_of(self, canonical: str) -> list[str]:
        """The spellings the table folds into `canonical`, in file order."""
        return list(self._aliases.get(canonical, []))

    def lookup(self, name: str) -> str | None:
        return self._map.get(_key(_INITIAL_GLUE.sub(r"\1. ", name)))

    def __len__(self) -> int:
        return len(self._map)

    def read(self, path: Path) -> None:
        """Add the rows of a TSV file; raises UsageError naming the bad line."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise UsageError(
                f"cannot read alias file {path}: {exc.strerror or exc}",
                "fix the path in STATEMENTS_ALIASES or remove the variable",
            ) from None
        except UnicodeDecodeError:
            raise UsageError(f"alias file {path} is not UTF-8 text", "save it as UTF-8") from None
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = [p.strip() for p in line.split("\t")]
            if len(parts) != 2 or not all(parts):
                raise UsageError(
                    f"{path} line {n}: expected 'canonical name<TAB>alias', got {line!r}",
                    "separate the two names with one tab character",
                )
            self.add(parts[0], parts[1])
        self.sources.append(path)


def user_alias_files() -> list[Path]:
    """User alias files in precedence order (later wins): data home, then env."""
    files: list[Path] = []
    home = os.environ.get("STATEMENTS_HOME")
    if home:
        candidate = Path(home) / "aliases.tsv"
    else:
        try:
            import platformdirs

            candidate = Path(platformdirs.user_data_dir("statements")) / "aliases.tsv"
        except Exception:  # platformdirs missing or no home directory: no user file
            candidate = None  # type: ignore[assignment]
    if candidate is not None and candidate.is_file():
        files.append(candidate)
    env = os.environ.get("STATEMENTS_ALIASES")
    if env:
        files.append(Path(env))  # named explicitly: a missing file is an error
    return files


def alias_files(extra: Path | None = None) -> list[Path]:
    """Every alias file a table is read from: the shipped one, the user's, `extra`."""
    return [SHIPPED_ALIASES, *user_alias_files(), *([Path(extra)] if extra else [])]


def load_aliases(extra: Path | None = None) -> AliasTable:
    """The shipped table, then the user's files, then `extra` (later rows win)."""
    table = AliasTable()
    table.read(SHIPPED_ALIASES)
    for path in user_alias_files():
        table.read(path)
    if extra is not None:
        table.read(Path(extra))
    return table


_DEFAULT: AliasTable | None = None


def default_aliases() -> AliasTable:
    """The table used when none is passed; loaded once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_aliases()
    return _DEFAULT


def set_default_aliases(table: AliasTable | None) -> None:
    """Replace (or with None, reset) the process-wide table, e.g. after --aliases FILE."""
    global _DEFAULT
    _DEFAULT = table
    _parse_cached.cache_clear()


# ---- parsing one "Title Name" phrase ----------------------------------------------------


class Person(NamedTuple):
    """A parsed person: canonical name and the position words printed before it."""

    name: str
    position: str  # lower-case, e.g. "president", "press secretary", "" if none

    @property
    def titled(self) -> bool:
        """True when a real position or honorific was printed before the name."""
        return any(w in PERSON_TITLES.words or w in HONORIFICS.words for w in self.position.split())


@lru_cache(maxsize=16384)
def role_of(label: str) -> str | None:
    """ "question"/"remark"/"moderator"/"unknown" for voices that are not named persons."""
    s = _clean(label)
    k = _key(s)
    if k in ROLE_LABELS:
        return ROLE_LABELS[k]
    if _ANONYMOUS.search(k):
        return "unknown"
    return None


def is_office(text: str) -> bool:
    """True for organisations such as "Office of the Spokesperson" (a source, not a person).

    "Department Spokesperson" or "National Security Council Senior Director for
    ..." are positions: a head position word before the first "of"/"for" (or
    at the end) makes the phrase a job title, not a body.
    """
    s = _clean(text)
    if not _OFFICE.match(s):
        return False
    toks = s.split(" ")
    head = re.split(r"\s(?:of|for|to)\s", s, maxsplit=1)[0].split(" ")
    if any(_word(t) in HEAD_POSITIONS.words for t in head[1:]):
        return False  # "Department Spokesperson"
    if (
        len(toks) > 1
        and _word(toks[-1]) in HEAD_POSITIONS.words
        and _word(toks[-2])
        not in (
            "the",
            "of",
        )
    ):
        return False  # "U.S. Agency for International Development Deputy Administrator"
    tail = toks[len(head) :]
    # "Office of Monetary Affairs Director Susannah Cooper" is a person with a title
    return not (any(_word(t) in HEAD_POSITIONS.words for t in tail) and _has_trailing_name(toks))


_CONTRACTION = re.compile(r"['’](?:m|s|re|ll|ve|d)$", re.I)
_LONG_POSITIONS = sorted(w for w in POSITIONS.words | PERSON_TITLES.words if len(w) >= 7)
_ROMAN = re.compile(r"^(?:II|III|IV|VI|VII|VIII)$")


def _is_acronym(token: str) -> bool:
    """ "APNSA", "ISIS", "NSC": capitals inside a mixed-case phrase are bodies or posts."""
    t = token.strip(",.")
    return (
        len(t) >= 2
        and t.isupper()
        and t.isalpha()
        and not _ROMAN.match(t)
        and not (_CYRILLIC.search(t))
    )


def _is_title_word(token: str) -> bool:
    w = _word(token)
    return (
        w in POSITIONS.words
        or w in ORGANISATION_WORDS.words
        or w in HONORIFICS.words
        or (token.endswith(".") and w in RANK_ABBREVIATIONS.words)
        or (w in BODY_ACRONYMS.words and (token.isupper() or "." in token))
        or _is_acronym(token)
    )


@lru_cache(maxsize=8192)
def _misspelt_position(word: str) -> bool:
    """A long word one edit away from a post ("mininster", "secetary", "presdient").

    Only asked of words in the leading run of posts before a name, so a surname
    that looks like a post ("Spieker Smith") is not taken for one elsewhere.
    """
    if len(word) < 7 or not word.isalpha():
        return False
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    return (
        process.extractOne(word, _LONG_POSITIONS, scorer=OSA.distance, score_cutoff=1) is not None
    )


def _is_namey(token: str) -> bool:
    """A token that can be part of a personal name."""
    if _is_particle(token) or _is_initial(token):
        return True
    t = token.strip(",")
    if not t or not t[0].isupper() or _CONTRACTION.search(t):
        return False  # "I’m", "Biden’s"
    return all(c.isalpha() or c in "-'’." for c in t)


def _has_trailing_name(tokens: list[str]) -> bool:
    return (
        bool(tokens)
        and not _is_title_word(tokens[-1])
        and _word(tokens[-1]) not in (CONNECTORS.words)
    )


def _trailing_name(run: list[str]) -> list[str]:
    """The personal name at the end of "Org words Given [X.] [bin] Surname"."""
    out = [run[-1]]
    j = len(run) - 2
    need_given = True
    while j >= 0:
        t = run[j]
        if _is_particle(t) or _is_initial(t):
            out.insert(0, t)
            j -= 1
            if _is_particle(t) and j >= 0:
                out.insert(0, run[j])
                j -= 1
                need_given = False
            continue
        if need_given:
            out.insert(0, t)
            j -= 1
            need_given = False
            continue
        break
    return out


def _core_count(tokens: list[str]) -> int:
    return sum(1 for t in tokens if not (_is_particle(t) or _is_initial(t)))


def _alias_in_run(run: list[str], table: AliasTable) -> str | None:
    """The longest suffix of the run that the alias table knows.

    A suffix never drops an initial: "А.Захарова" is not "Maria Zakharova"
    just because "Захарова" is in the table.
    """
    for i in range(len(run)):
        if i and any(_is_initial(t) for t in run[:i]):
            break
        hit = table.lookup(" ".join(run[i:]))
        if hit:
            return hit
    return None


def _alias_prefix(run: list[str], table: AliasTable) -> str | None:
    for i in range(len(run), 0, -1):
        hit = table.lookup(" ".join(run[:i]))
        if hit:
            return hit
    return None


def _format(tokens: list[str]) -> str:
    """Join name tokens, every one kept: a middle initial tells people apart ("George
    H. W. Bush", "George W. Bush"); variants of one person fold through the alias table."""
    s = " ".join(tokens)
    s = _INITIAL_GLUE.sub(r"\1. ", s)
    return _SPACES.sub(" ", s).strip(" ,")


def _russian_order(tokens: list[str]) -> list[str]:
    """ "Лавров Сергей Викторович" -> "Сергей Лавров"; "Сергей Викторович Лавров" too."""
    if len(tokens) == 3 and _PATRONYMIC.search(tokens[2].lower()):
        return [tokens[1], tokens[0]]
    if len(tokens) == 3 and _PATRONYMIC.search(tokens[1].lower()):
        return [tokens[0], tokens[2]]
    return tokens


def parse_person(
    phrase: str, *, strict: bool = False, table: AliasTable | None = None
) -> Person | None:
    """Parse "Title [of Org] Name [of Country]" into a canonical `Person`, or None.

    `strict` (used for titles and bylines, where most phrases are not people)
    also rejects untitled single words and long runs of capitalised words that
    the alias table does not know.
    """
    table = table or default_aliases()
    return (
        _parse_cached(phrase, strict, id(table))
        if table is _DEFAULT
        else _parse(phrase, strict, table)
    )


@lru_cache(maxsize=65536)
def _parse_cached(phrase: str, strict: bool, _table_id: int) -> Person | None:
    return _parse(phrase, strict, default_aliases())


def _parse(phrase: str, strict: bool, table: AliasTable) -> Person | None:
    s = _clean(phrase)
    if not s or role_of(s) or is_office(s):
        return None
    hit = table.lookup(s)
    if hit:
        return Person(hit, "")
    # "ЛАВРОВ Сергей Викторович – Министр иностранных дел": the name comes first
    if " – " in s or " — " in s:
        left = re.split(r" [–—] ", s, maxsplit=1)[0]
        return _parse(left, strict, table)
    s = _DOTTED_BODY.sub(lambda m: m.group().replace(".", ""), s)  # "U.S." is not initials
    letters = [c for c in s if c.isalpha()]
    if any(c.islower() for c in letters) and not _CYRILLIC.search(s):
        # mixed case: a lone capitalised word is an acronym ("APNSA Jake Sullivan"), a
        # trailing run of them a name in capitals ("CEO of Nokia OLLI-PEKKA KALLASVUO")
        toks = _INITIAL_GLUE.sub(r"\1. ", s).split(" ")
        k = len(toks)
        while k > 0 and _is_acronym(toks[k - 1].replace("-", "")):
            k -= 1
        if len(toks) - k >= 2:
            toks[k:] = [_titlecase(t) for t in toks[k:]]
        s = " ".join(toks)
    else:
        s = _decap(_INITIAL_GLUE.sub(r"\1. ", s))
    s = re.sub(r",?\s+(Jr|Sr)\.?$", r" \1.", s)
    tokens = [t.rstrip("’'") for t in s.split(" ") if t.rstrip("’'")]  # "Noyes’ Travel"
    while len(tokens) > 1 and tokens[-1].isupper() and _word(tokens[-1]) in POST_NOMINALS.words:
        tokens.pop()  # "Elizabeth Truss MP"
    # kremlin.ru tooltips: "А.Лукашенко Лукашенко Александр Григорьевич Президент ..."
    if len(tokens) > 2 and _is_initial(tokens[0]) and _key(tokens[2]) == _key(tokens[1]):
        full = tokens[2:5]
        if len(full) == 3 and _PATRONYMIC.search(full[2].lower()):
            tokens = full  # "Лукашенко Александр Григорьевич"
        elif len(full) >= 2 and full[1][:1] == tokens[0][:1] and not _is_title_word(full[1]):
            tokens = [full[1], full[0]]  # "Сассу-Нгессо Дени Президент ..."
        else:
            tokens = tokens[:2]
    hit = table.lookup(" ".join(tokens))
    if hit:
        return Person(hit, "")
    # "Title Name of Country": cut the country when a name precedes "of"
    for i in range(2, len(tokens)):
        if (
            _word(tokens[i]) == "of"
            and _is_namey(tokens[i - 1])
            and not _is_title_word(tokens[i - 1])
            and any(_is_title_word(t) for t in tokens[: i - 1])
        ):
            tokens = tokens[:i]
            break
    # a verb ends the name ("President Biden Announces Key Nominees"); right after a
    # post the word is a given name ("Secretary General Mark Rutte", "Gen. Will Smith")
    for i, t in enumerate(tokens):
        if i and _word(t) in TITLE_VERBS.words and not _is_title_word(tokens[i - 1]):
            tokens = tokens[:i]
            break
    last = -1
    connector_seen = False
    for i, t in enumerate(tokens):
        w = _word(t)
        if w in CONNECTORS.words and not _is_initial(t) and not (i and _is_particle(t)):
            last, connector_seen = i, True
        elif _is_title_word(t):
            last = i
        elif last == i - 1 and i < len(tokens) - 1 and _misspelt_position(w):
            last = i  # "Prime Mininster Netanyahu": a post misspelt in the page
    if (
        last >= 1
        and _word(tokens[last]) in SURNAME_POSTS.words
        and all(_SUFFIX.match(t) for t in tokens[last + 1 :])
        and _is_namey(tokens[last - 1])
        and not _is_title_word(tokens[last - 1])
        and _word(tokens[last - 1]) not in CONNECTORS.words
    ):
        # the name ends in a word that is also a post: "Prime Minister John Major",
        # "Martin Luther King Jr."; the name starts after the post before it
        last = next(
            (
                j
                for j in range(last - 2, -1, -1)
                if _is_title_word(tokens[j]) or _word(tokens[j]) in CONNECTORS.words
            ),
            -1,
        )
    position = " ".join(_word(t) for t in tokens[: last + 1] if _word(t) not in HONORIFICS.words)
    titled = last >= 0
    run = [t for t in tokens[last + 1 :] if t]
    if not run:
        return None
    hit = _alias_in_run(run, table)
    if hit:
        return Person(hit, position)
    cyr = bool(_CYRILLIC.search(" ".join(run)))
    if cyr:
        run = _russian_order(run)
    if any(t[:1].islower() and not _is_particle(t) for t in run):
        return None  # "... and our Climate Goals"
    if strict and len(run) > 1:
        hit = _alias_prefix(run[:-1], table)
        if hit:
            return Person(hit, position)  # "Antony J. Blinken Opening"
    if connector_seen and _word(tokens[last]) in CONNECTORS.words:
        # "President of Russia Vladimir Putin": org words then the name
        if len(run) < 3:
            return None
        run = _trailing_name(run)
    elif connector_seen and strict and _core_count(run) < 2:
        return None  # "Senior Director for International Economics"
    elif connector_seen and _core_count(run) > 2:
        run = _trailing_name(run)  # "... for International Religious Freedom Rashad Hussain"
    elif _core_count(run) > (6 if titled or not strict else 4) or (cyr and _core_count(run) > 2):
        if strict:
            return None
        run = _trailing_name(run)
    if not all(_is_namey(t) for t in run) or any(_word(t) in NOT_NAMES.words for t in run):
        return None
    if strict and not titled and _core_count(run) < 2:
        return None
    if len(run) == 1 and last >= 0 and _word(tokens[last]) in PEERAGE.words:
        run = [tokens[last].capitalize(), *run]  # "Lord McNally"
    name = _format(run)
    return Person(table.lookup(name) or name, position)


def canonical_name(raw: str, language: str | None = None) -> str | None:
    """One canonical person name for any printed form, or None when it is not a person.

    Honorifics and positions are removed ("Foreign Minister Sergey Lavrov" ->
    "Sergey Lavrov"), capitals are title-cased ("SECRETARY BLINKEN" -> "Blinken")
    and the alias table folds variants ("Blinken" -> "Antony Blinken",
    "С.В.Лавров" -> "Sergey Lavrov"). "Q", "Question", "Remark", "Вопрос",
    "Moderator" and offices ("Office of the Spokesperson") give None.
    `language` is accepted for callers that know it; the script decides here.
    """
    del language  # the script of the name is a better guide than the page language
    p = parse_person(raw)
    return p.name if p else None


def name_from_tag(tag: str) -> str | None:
    """A kremlin person tag ("Putin Vladimir", "el-Sisi Abdel Fattah") as a canonical name.

    Tags are written "Surname Given"; the alias table is asked first, then the
    first word is moved to the end.
    """
    s = _clean(tag)
    if not s:
        return None
    table = default_aliases()
    hit = table.lookup(s)
    if hit:
        return hit
    tokens = s.split(" ")
    if len(tokens) < 2 or not all(_is_namey(t) for t in tokens):
        return None
    if _CYRILLIC.search(s):
        return canonical_name(s)
    name = " ".join([*tokens[1:], tokens[0]])
    return table.lookup(name) or name


def speakers_from_tags(tags: Iterable[str]) -> list[str]:
    """Canonical names of the person tags of a page (non-person tags give nothing).

    A tag is a person only if it has the "Surname Given" shape and none of its
    words is a position or body word ("Foreign policy", "Moscow Region" are not).
    """
    out: list[str] = []
    for tag in tags:
        t = _clean(tag)
        hit = default_aliases().lookup(t)
        if hit:
            out.append(hit)
            continue
        toks = t.split(" ")
        if (
            2 <= len(toks) <= 4
            and all(_is_namey(x) for x in toks)
            and not any(_is_title_word(x) or x.lower().endswith(("region", "area")) for x in toks)
        ):
            name = name_from_tag(t)
            if name:
                out.append(name)
    return list(merge_speakers(out))


def merge_speakers(*groups: Iterable[str]) -> tuple[str, ...]:
    """All names of the groups, canonical and de-duplicated, in first-seen order."""
    seen: set[str] = set()
    out: list[str] = []
    for group in groups:
        for raw in group:
            if not raw:
                continue
            name = canonical_name(raw)
            if name and _key(name) not in seen:
                seen.add(_key(name))
                out.append(name)
    return tuple(out)


# ---- titles -------------------------------------------------------------------------------

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_TITLE_PREFIX = re.compile(r"^(?:CORRECTED|UPDATED|FACT SHEET|Fact Sheet)\s*:\s*", re.I)
_TITLE_PLACE = re.compile(r"\s*\|.*$")
_TITLE_DATE = re.compile(
    rf",?\s*(?:(?:{_MONTHS})\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}})\s*$"
    r"|\s+[–—-]\s+.*\d{4}\s*$",
)
_LEADING_DATE = re.compile(
    rf"^(?:On\s+)?(?:(?:{_MONTHS})\s+\d{{1,2}}|\d{{1,2}}(?:[–-]\d{{1,2}})?\s+[а-яё]+),?\s+", re.I
)
_DOC_BY = re.compile(
    rf"^(?:[\w&-]+\s+){{0,3}}?(?:{_DOC_NOUNS})(?:\s+as\s+Prepared\s+for\s+Delivery)?\s+(?:by|of|from|with)\s+",
    re.I,
)
_POSSESSIVE = re.compile(r"^(.{3,120}?)['’]s\s+((?:[\w-]+\s+){0,3}[\w-]+)")
_SEGMENT_SPLIT = re.compile(r"(,\s+and\s+|,\s+And\s+|,\s+|\s+and\s+|\s+And\s+|\s+&\s+|\s+и\s+)")
_SUFFIX = re.compile(r"^(?:Jr|Sr|II|III|IV)\.?,?$")
# "Appointment of ...", "The Passing of ...", "Visit by ...", "U.S. Actions Against ..."
_ABOUT_TITLE = re.compile(r"^(?:(?:On\s+)?The\s+|U\.S\.\s+)?(\S+)\s+(?:of|by|against|for)\s", re.I)
_STOP_WORDS = frozenset(
    _vocab(
        "stop words",
        "prepositions that end the speaker part of a title ('... Kuleba at a Joint ...')",
        "on at in before after during for to following previewing announcing honoring "
        "celebrating marking calling commemorating regarding about aboard via upon ahead by "
        "into en with",
    ).words
)
_STOP = re.compile(
    r"\s+(?=(?:"
    + "|".join(sorted(w if w != "en" else r"en\s+route" for w in _STOP_WORDS))
    + r")\s)"
    r"|['’]s\s|\s*:\s|\s+[–—]\s|,?\s+(?=(?:conducted|interviewed|moderated|hosted)\s+by\s)",
    re.I,
)


def _segments(who: str) -> list[tuple[str, str]]:
    """(separator before, part) pairs of "A, B and C"; the first separator is ""."""
    bits = _SEGMENT_SPLIT.split(who.strip(" ,"))
    out: list[tuple[str, str]] = []
    sep = ""
    for i, bit in enumerate(bits):
        if i % 2:
            sep = bit.strip()
        elif bit.strip():
            out.append((sep, bit.strip()))
    return out


def _pure_position(part: str) -> bool:
    """True when every word is a position, body or connector word ("Deputy Assistant")."""
    toks = _clean(part).split(" ")
    return all(_is_title_word(t) or _word(t) in CONNECTORS.words for t in toks)


def _persons_in(who: str, table: AliasTable, *, need_title: bool = False) -> list[Person] | None:
    """Parse "A, B and C" into persons; None unless every part names someone.

    A part without a name is glued to the next one (the "and" belonged to a
    position: "Secretary of Housing and Urban Development Marcia L. Fudge");
    a trailing position after a plain comma is an apposition ("Kurt Campbell,
    Deputy Assistant to the President") and a trailing office ("Bureau of
    Consular Affairs") is dropped, and so is a "Jr." after a name.
    """
    parts = _segments(who)
    out: list[Person] = []
    pending = ""
    for i, (sep, part) in enumerate(parts):
        if _SUFFIX.match(part) and out and not pending:
            continue
        phrase = f"{pending} and {part}" if pending else part
        p = _parse(phrase, True, table)
        if p and need_title and not (p.titled or table.lookup(p.name) == p.name):
            p = None  # a news title's subject must be a known person or carry a post
        if p:
            out.append(p)
            pending = ""
        elif (
            i == len(parts) - 1
            and out
            and not pending
            and (
                is_office(part)
                or _OFFICE.match(_clean(part))
                or (sep == "," and _pure_position(part))
            )
        ):
            pending = ""
        else:
            pending = phrase
    if pending or not out:
        return None
    return out


def _who_at_stops(text: str, table: AliasTable, *, verbs: bool) -> list[Person]:
    """The persons before the first stop word at which the prefix parses as people."""
    ends = [m.start() for m in _STOP.finditer(text)]
    if verbs:
        verb_ends = [
            m.start()
            for m in re.finditer(r"\s+(\S+)", text)
            if _word(m.group(1)) not in _STOP_WORDS
            and (
                _word(m.group(1)) in TITLE_VERBS.words
                or (
                    m.group(1)[:1].islower()
                    and _word(m.group(1)) not in CONNECTORS.words
                    and not _is_particle(m.group(1))
                )
            )
        ]
        if verb_ends:
            # a news-style subject ends at its verb: never look past the first one
            # ("Встреча с Министром культуры Ольгой Любимовой" names no speaker), and
            # a notice about the subject is not a statement by it ("... Tests Positive")
            first = min(verb_ends)
            verb = text[first:].split(None, 1)[0]
            speaking = _word(verb) not in NON_SPEAKING_VERBS.words
            ends = [e for e in ends if e < first] + ([first] if speaking else [])
            if not ends:
                return []
    ends = [*sorted(set(ends)), len(text)] if not (verbs and ends) else sorted(set(ends))
    for end in ends:
        prefix = text[:end].strip()
        if not prefix:
            continue
        persons = _persons_in(prefix, table, need_title=verbs)
        if persons:
            return persons
    return []


# "Remarks by Anna Bjerde, World Bank Managing Director of Operations, at the ...": a post
# between commas after a name, closed before the title's next part
_CLOSED_APPOSITION = re.compile(
    r"(?<=[^\W\d_]), ([^,]{3,90}), (?=(?:at|in|on|before|to|for|during|with)\s)"
)


def _drop_post(m: re.Match[str]) -> str:
    post = m.group(1)
    if any(_word(t) in HEAD_POSITIONS.words for t in post.split()) and (
        parse_person(post, strict=True) is None
    ):
        return " "
    return m.group(0)


def title_persons(title: str, language: str | None = None) -> list[Person]:
    """Persons named as speakers by a title, with the position printed before each."""
    del language
    table = default_aliases()
    t = _clean(_INVISIBLE.sub("", title))
    t = _TITLE_PREFIX.sub("", t)
    t = _TITLE_PLACE.sub("", t)
    t = _TITLE_DATE.sub("", t)
    t = _LEADING_DATE.sub("", t).strip()
    t = re.sub(r"\s+(?:on|at|in|of)$", "", t)  # "... conducted by X on <date>"
    t = _CLOSED_APPOSITION.sub(_drop_post, t)
    found: list[Person] = []
    zh = _ZH_TITLE.search(t)
    if zh:
        return [Person(table.lookup(zh.group("name")) or zh.group("name"), "")]
    m = _DOC_BY.search(t)
    if m:
        found += _who_at_stops(t[m.end() :], table, verbs=False)
    for m in _INTERVIEWER.finditer(t):
        found += _who_at_stops(t[m.end() :], table, verbs=False)  # "..., conducted by X"
    pm = _POSSESSIVE.match(t)
    if pm and any(_word(w) in STATEMENT_NOUNS.words for w in pm.group(2).split()):
        found += _persons_in(pm.group(1), table) or []
    about = _ABOUT_TITLE.match(t)
    if about and not _is_title_word(about.group(1)):
        return _dedup(found)  # "Appointment of Ambassador X", "Visit by ...": about, not by
    if not found and not pm:
        first = t.split(" ", 1)[0]
        if not re.match(rf"^(?:{_DOC_NOUNS}|Readout|Meeting|Department|Joint)$", first, re.I):
            found += _who_at_stops(t, table, verbs=True)
    return _dedup(found)


_HEADING = re.compile(rf"^(?:{_DOC_NOUNS})\s+(?:by|of|from|with)\s", re.I)


def heading_persons(text: str, lines: int = 4) -> list[str]:
    """Speakers named by the subtitle lines that open a text ("Interview with Piero
    Cipollone, conducted by Miha Jenko on 10 July 2025", "Speech by ...")."""
    found: list[str] = []
    for line in text.strip().split("\n\n")[:lines]:
        line = " ".join(line.split())
        if len(line) <= 200 and (_HEADING.match(line) or _INTERVIEWER.search(line)):
            found += speakers_from_title(line)
    return found


def _dedup(found: list[Person]) -> list[Person]:
    out: list[Person] = []
    seen: set[str] = set()
    for p in found:
        if _key(p.name) not in seen:
            seen.add(_key(p.name))
            out.append(p)
    return out


def speakers_from_title(title: str, language: str | None = None) -> list[str]:
    """Canonical names of the speakers a title names.

    Handles "Remarks by President Biden and Prime Minister X of Y ...",
    "Press Briefing by Press Secretary Karine Jean-Pierre and NSC Coordinator
    ... John Kirby", "Foreign Minister Sergey Lavrov's remarks ...",
    "Secretary Antony J. Blinken and ... at a Joint Press Availability",
    "President Vladimir Putin chaired ..." and "Владимир Путин провёл ...".
    Titles that only name a counterpart ("Meeting with ...") give [].
    """
    return [p.name for p in title_persons(title, language)]


# ---- state.gov author lines -------------------------------------------------------------

_GLUED_OFFICE = re.compile(
    r"(?<=[a-z)])(?:\s{2,}|(?=[A-Z]))(?=(?:Bureau|Office)\s+(?:of|to|for)\b)"
    r"|(?<=\bServices)\s+(?=Bureau\s+of\b)"
)


def speakers_from_byline(line: str) -> tuple[list[str], list[str]]:
    """(persons, offices) of a state.gov author line.

    "Antony J. Blinken, Secretary of State, Mute Egede, Greenlandic Premier" ->
    (["Antony Blinken", "Mute Egede"], []); "Office of the Spokesperson" ->
    ([], ["Office of the Spokesperson"]). Bureau names glued to a position
    ("Assistant SecretaryBureau of ...") are split off and returned as offices.
    """
    table = default_aliases()
    s = _INVISIBLE.sub("", line)
    s = _SPACES.sub(lambda m: "  " if len(m.group()) > 1 else " ", s).strip()
    s = _GLUED_OFFICE.sub(", ", s)
    s = _SPACES.sub(" ", s)
    parts = [p.strip() for p in s.split(",") if p.strip()]
    persons: list[str] = []
    offices: list[str] = []
    in_office = False
    for part in parts:
        if _SUFFIX.match(part) and persons:
            continue  # "Surangel Whipps, Jr.": the suffix is dropped, the name kept
        if is_office(part):
            offices.append(_clean(part))
            in_office = True
            continue
        p = _parse(part, True, table)
        if p:
            persons.append(p.name)
            in_office = False
        elif in_office and not any(_word(t) in HEAD_POSITIONS.words for t in part.split()):
            # "Bureau of Democracy, Human Rights, and Labor": the office name goes on
            offices[-1] = f"{offices[-1]}, {_clean(part)}"
        else:
            in_office = False
    return list(merge_speakers(persons)), list(dict.fromkeys(offices))
