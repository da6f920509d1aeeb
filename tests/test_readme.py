"""The README's examples, run as written: the README is the user's manual, so its
sessions must be true.

Every fenced block of README.md whose lines start with `$ ` and that runs
`statements` is a session: a `$ ` line is a command (a `# comment` after it is
the shell's), the lines up to the next `$ ` line are what it printed. Each
session runs in bash, in a folder of its own where `samples/`, `tests/` and
`../shared` are what they are in a checkout, with `statements` from this venv on
PATH, `STATEMENTS_HOME=.demo-home` (as `make demo` names it) and `NO_COLOR=1`.
What a command printed (stdout and stderr, in the order written) must be what
the README shows, line for line, after trailing spaces are dropped, except:

- a shown line `...` stands for any number of lines, and a shown line ending in
  `…` for any line that starts with the text before it;
- `(exit status N)` at the end of a shown line is the command's exit status and
  not part of its output; without it a command exits 1 when it shows an
  `Error:` line and 0 otherwise;
- clock times (`2026-12-04T19:14:20+00:00`, `2026-12-04 19:53 UTC`) and what is
  derived from them stand for any time;
- `/tmp/` names a folder of the session, and `127.0.0.1:PORT` a real HTTP server
  on a free port of this machine serving what the README says it serves; the
  ids and feed ids of its pages, which the URL decides, change with the port.

SESSIONS says, in README order, what each block needs beforehand: a data home
left by an earlier block, a site, files. A block it does not name fails the
test, so a new example gets run too. Nothing here reaches the internet or
writes into the checkout.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import SHARED
from site_server import Site, serve

from statements.scraper.record import make_id
from statements.search.feed import document_urn

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
FETCH_SITE = ROOT / "tests" / "fetch_site"
KREMLIN_NEWS = ["42376", "56928", "29039", "53035", "34106"]  # the pages of tests/fetch_site
HOME = ".demo-home"

EXIT = re.compile(r"\s+\(exit status (\d+)\)$")
CLOCK = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d|\d{4}-\d\d-\d\d \d\d:\d\d UTC")
LOCAL_URL = re.compile(r"http://127\.0\.0\.1:(\d+)(/[^\s<>\"']*)?")
# an Atom feed's own id comes from the watch's creation time (search/feed.py)
FEED_ID = re.compile(r"^  <id>urn:uuid:[0-9a-f-]{36}</id>$", re.M)


# ---------------------------------------------------------------- the README's sessions


@dataclass
class Command:
    line: int  # in README.md
    text: str
    shown: list[str]
    status: int | None  # the `(exit status N)` the README gives, if any


@dataclass
class Block:
    line: int
    commands: list[Command]

    @property
    def first(self) -> str:
        return self.commands[0].text


def parse(text: str) -> list[Block]:
    """The README's fenced blocks that are `$ statements` sessions."""
    blocks: list[Block] = []
    fence: int | None = None
    body: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            if fence is None:
                fence, body = number, []
                continue
            block = _session(fence, body)
            if block is not None:
                blocks.append(block)
            fence = None
        elif fence is not None:
            body.append((number, line))
    return blocks


def _session(fence: int, body: list[tuple[int, str]]) -> Block | None:
    rows = list(body)
    while rows and not rows[0][1].strip():
        rows.pop(0)
    if not rows or not rows[0][1].startswith("$ "):
        return None
    commands: list[Command] = []
    for number, line in rows:
        if line.startswith("$ "):
            commands.append(Command(number, line[2:], [], None))
            continue
        marked = EXIT.search(line)
        if marked:
            commands[-1].status = int(marked.group(1))
            line = line[: marked.start()]
        commands[-1].shown.append(line)
    if not any(re.match(r"statements\b", c.text) for c in commands):
        return None
    return Block(fence, commands)


# ---------------------------------------------------------------- what each session needs


def kremlin_site(site: Site, feed: list[str]) -> None:
    """The five en.kremlin.ru pages of tests/fetch_site at their own paths, and an RSS
    feed listing `feed` (paths; one with no page answers 404)."""
    for pid in KREMLIN_NEWS:
        body = (FETCH_SITE / f"kremlin_news_{pid}.html").read_bytes()
        site.page(f"/events/president/news/{pid}", body, etag=True)
    items = "".join(f"<item><link>{site.url(p)}</link></item>" for p in feed)
    rss = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>President of Russia</title><link>{site.base}</link>{items}</channel></rss>"
    )
    site.page("/feed.xml", rss, content_type="application/rss+xml", etag=True)


def news(*pids: str) -> list[str]:
    return [f"/events/president/news/{pid}" for pid in pids]


def russian_corpus(work: Path) -> None:
    """corpus.jsonl as the trace example made it (bench.dataset: each corpus record
    through the extractor), from the two Russian record sets only: the phrase is
    Russian and the other 2,319 records are English, so they add nothing to its
    trace, and indexing them would take a minute."""
    from bench.dataset import corpus_dir, write_jsonl
    from statements.scraper.extract import extract_bytes

    records = []
    for name in ("kremlin-ru-records", "kremlin-ru-wayback-2000s"):
        with open(corpus_dir() / name / "records.jsonl", encoding="utf-8") as fh:
            records += [
                extract_bytes(line.encode(), name="record.json") for line in fh if line.strip()
            ]
    write_jsonl(records, work / "corpus.jsonl")


@dataclass
class Session:
    first: str  # the block's first command, to pair README blocks with these entries
    base: str | None = None  # start from a copy of the data home this earlier block left
    feed: list[str] | None = None  # serve the kremlin pages with this feed
    setup: list[str] = field(default_factory=list)  # commands run first, not shown
    prepare: Callable[[Path], None] | None = None  # run in the session folder first
    needs: str | None = None  # a file under ../shared the session reads
    volatile: tuple[re.Pattern[str], ...] = ()  # more output that varies between runs


SAMPLES = "statements add samples/"
SESSIONS = [
    Session(SAMPLES),
    Session(
        "statements extract samples/globalsecurity-lavrov-2025-11-25.txt --format text",
        setup=[": > /tmp/empty.html"],
    ),
    Session("statements add samples/ tests/pages/kremlin-en-38841.html /nonexistent"),
    Session(
        "head -n 1 ../shared/corpus/state-gov-press-releases/records.jsonl > record.jsonl",
        needs="corpus/state-gov-press-releases/records.jsonl",
    ),
    Session("statements search sanctions --said-by Lavrov --facet said-by --limit 2", base=SAMPLES),
    Session("statements export --source kremlin --facet year > kremlin.jsonl", base=SAMPLES),
    Session("statements show u7a6b467a0520a79e --turns", base=SAMPLES),
    Session("statements stats --format json", base=SAMPLES),
    Session("statements speakers biden", base=SAMPLES),
    Session(
        "printf 'Ned Price\\tEdward Price\\n' >> \"$STATEMENTS_HOME/aliases.tsv\"", base=SAMPLES
    ),
    Session(
        "statements sources add http://127.0.0.1:8000/feed.xml --name kremlin",
        feed=[*news(*KREMLIN_NEWS), "/gone"],
    ),
    Session(
        "statements sources list      # after a second update, answered 304",
        feed=news("42376", "56928"),
        setup=[
            "statements sources add http://127.0.0.1:43419/feed.xml --name kremlin",
            "statements update --delay 0 --quiet",
            "statements update --delay 0 --quiet",
        ],
    ),
    Session(SAMPLES, feed=news(*KREMLIN_NEWS), volatile=(FEED_ID,)),
    Session(
        'statements trace "стратегическая стабильность" --said-by --occurrences --width 30',
        setup=["statements add corpus.jsonl"],
        prepare=russian_corpus,
        needs="corpus/kremlin-ru-records/records.jsonl",
    ),
]
# README blocks and these entries are paired in order; the first command checks the pair
# (two sessions start with `statements add samples/`; `base=SAMPLES` names the first).

BLOCKS = parse(README.read_text(encoding="utf-8"))


def test_every_readme_session_is_known() -> None:
    firsts = [b.first for b in BLOCKS]
    known = [s.first for s in SESSIONS]
    assert firsts == known, (
        "the README's $ statements sessions changed: give each one its entry in SESSIONS\n"
        + "\n".join(difflib.unified_diff(known, firsts, "SESSIONS", "README.md", lineterm=""))
    )


# ---------------------------------------------------------------- running a session


def environment(folder: Path) -> dict[str, str]:
    """This venv's `statements` first on PATH, a private user home, no colour, no
    proxy, no STATEMENTS_* setting of whoever runs the tests."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("STATEMENTS_", "XDG_")) and "proxy" not in k.lower()
    }
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        HOME=str(folder / "user"),
        STATEMENTS_HOME=HOME,
        NO_COLOR="1",
        NO_PROXY="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",  # stdout and stderr interleave as they were written
        PYTHONIOENCODING="utf-8",
    )
    return env


def shell(command: str, work: Path, env: dict[str, str]) -> tuple[str, int]:
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=120,
    )
    return done.stdout.decode("utf-8", "replace"), done.returncode


@contextmanager
def serving(feed: list[str] | None) -> Iterator[Site | None]:
    if feed is None:
        yield None
        return
    with serve() as site:
        kremlin_site(site, feed)
        yield site


class Rewrite:
    """The README's text of one block as it reads in this run: `/tmp/` is the
    session's folder, the README's local server is the real one, and the ids of its
    pages (decided by their URL, port included) are those of the real URLs."""

    def __init__(self, block: Block, folder: Path, site: Site | None) -> None:
        self.tmp = f"{folder / 'tmp'}/"
        self.base = site.base if site else None
        self.ids: dict[str, str] = {}
        if site is None:
            return
        text = "\n".join(line for c in block.commands for line in [c.text, *c.shown])
        for match in LOCAL_URL.finditer(text):
            readme, real = make_id(match.group(0)), make_id(site.base + (match.group(2) or ""))
            self.ids[readme] = real
            self.ids[document_urn(readme)] = document_urn(real)

    def __call__(self, text: str) -> str:
        for readme, real in self.ids.items():
            text = text.replace(readme, real)
        if self.base:
            text = re.sub(r"http://127\.0\.0\.1:\d+", self.base, text)
        return re.sub(r"(?<![\w/.])/tmp/", self.tmp, text)


@dataclass
class Ran:
    command: Command
    output: str
    status: int


class Sessions:
    """Runs each session at most once per test module, so a session can start from a
    copy of the data home an earlier one left."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.ran: dict[int, tuple[Path, list[Ran], Rewrite]] = {}

    def get(self, index: int) -> tuple[Path, list[Ran], Rewrite]:
        if index not in self.ran:
            self.ran[index] = self._run(index)
        return self.ran[index]

    def _run(self, index: int) -> tuple[Path, list[Ran], Rewrite]:
        session, block = SESSIONS[index], BLOCKS[index]
        if session.needs and not (SHARED / session.needs).exists():
            pytest.skip(f"the example reads ../shared/{session.needs}, absent here")
        folder = self.root / f"readme-line-{block.line}"
        work = folder / "work"
        for made in (work, folder / "tmp", folder / "user"):
            made.mkdir(parents=True)
        for name in ("samples", "tests"):
            (work / name).symlink_to(ROOT / name)
        (folder / "shared").symlink_to(SHARED)  # ../shared, seen from the work folder
        if session.base:
            base, _, _ = self.get(
                next(i for i, s in enumerate(SESSIONS) if s.first == session.base)
            )
            shutil.copytree(base / "work" / HOME, work / HOME)
        if session.prepare:
            session.prepare(work)
        env = environment(folder)
        with serving(session.feed) as site:
            rewrite = Rewrite(block, folder, site)
            for command in session.setup:
                output, status = shell(rewrite(command), work, env)
                assert status == 0, f"setup `{command}` failed:\n{output}"
            ran = [Ran(c, *shell(rewrite(c.text), work, env)) for c in block.commands]
        return folder, ran, rewrite


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Sessions:
    return Sessions(tmp_path_factory.mktemp("readme"))


# ---------------------------------------------------------------- comparing


def lines(text: str, volatile: tuple[re.Pattern[str], ...]) -> list[str]:
    text = CLOCK.sub("<clock time>", text)
    for pattern in volatile:
        text = pattern.sub("<varies>", text)
    out = [line.rstrip() for line in text.splitlines()]
    while out and not out[-1]:
        out.pop()
    return out


def agrees(shown: list[str], real: list[str]) -> bool:
    """Whether the real lines are the shown ones: a `...` line stands for any run of
    lines, a line ending in `…` for any line that starts with the text before it."""
    reach = {0}
    for want in shown:
        if want.strip() == "...":
            reach = set(range(min(reach), len(real) + 1)) if reach else set()
        elif want.endswith("…"):
            reach = {j + 1 for j in reach if j < len(real) and real[j].startswith(want[:-1])}
        else:
            reach = {j + 1 for j in reach if j < len(real) and real[j] == want}
    return len(real) in reach


def expected_status(command: Command) -> int:
    if command.status is not None:
        return command.status
    return 1 if any(line.startswith("Error:") for line in command.shown) else 0


@pytest.mark.parametrize(
    "index", range(len(SESSIONS)), ids=[s.first.split(" > ")[0][:50] for s in SESSIONS]
)
def test_readme_session_prints_what_the_readme_shows(sessions: Sessions, index: int) -> None:
    if index >= len(BLOCKS) or BLOCKS[index].first != SESSIONS[index].first:
        pytest.fail("README sessions and SESSIONS differ: see test_every_readme_session_is_known")
    _folder, ran, rewrite = sessions.get(index)
    volatile = SESSIONS[index].volatile
    problems = []
    for r in ran:
        shown = lines("\n".join(rewrite(line) for line in r.command.shown), volatile)
        real = lines(r.output, volatile)
        where = f"README.md:{r.command.line}: $ {r.command.text}"
        if not agrees(shown, real):
            diff = difflib.unified_diff(shown, real, "README", "real", lineterm="", n=2)
            problems.append(where + "\n" + "\n".join(diff))
        if r.status != expected_status(r.command):
            problems.append(
                f"{where}\nexit status {r.status}, the README says "
                f"{expected_status(r.command)}\n{r.output}"
            )
    assert not problems, "\n\n".join(problems)


def test_the_comparison_holds_every_line_and_elides_only_where_asked() -> None:
    real = ["3 documents match", "#  Title", "1  A long title", "   snippet …", "", "year"]
    assert agrees(real, real)
    assert agrees(["3 documents match", "...", "year"], real)
    assert agrees(["3 documents match", "#  Title", "1  A long…", "...", "year"], real)
    assert not agrees(["4 documents match", "...", "year"], real)  # a changed line
    assert not agrees(["3 documents match", "#  Title", "year"], real)  # lines left out
    assert not agrees([*real, "2020  1"], real)  # a line the command did not print
    assert not agrees(["3 documents match", "...", "year", "...", "more"], real)


def test_a_session_is_its_commands_and_their_shown_output() -> None:
    text = (
        "```\n$ statements add x   # a comment\n1 added\n"
        "$ statements search --since 2025-13\nError: bad date   (exit status 2)\n```\n"
        "```sh\nmake demo\n```\n```\n$ ls\nREADME.md\n```\n"
    )
    (block,) = parse(text)
    assert block.line == 1
    assert [(c.text, c.shown, c.status) for c in block.commands] == [
        ("statements add x   # a comment", ["1 added"], None),
        ("statements search --since 2025-13", ["Error: bad date"], 2),
    ]
    assert [expected_status(c) for c in block.commands] == [0, 2]
