"""Shared by the reliability tests (crash, concurrency, damage): real inputs, the real
command as a child process, and checks that an index holds only whole documents.

Inputs are the real pages in tests/pages and the real records in tests/data (see the
SOURCES.md files there for provenance); nothing here depends on ../shared.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from conftest import PAGES, RECORDS, run

from statements.index.library import Library
from statements.scraper.extract import extract_file, iter_pages
from statements.scraper.jsonl import record_from_jsonl
from statements.scraper.record import Statement, make_id

TESTS = Path(__file__).parent
ROOT = TESTS.parent
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


def page_files() -> list[Path]:
    """The real page files of tests/pages (not their expectation files)."""
    return [
        p
        for p in iter_pages(PAGES)
        if not p.name.endswith(".expect.json") and p.name != "SOURCES.md"
    ]


def make_inputs(folder: Path, records: int | None = None) -> tuple[list[str], dict[str, Statement]]:
    """Copy real pages and records into `folder`; return the `add` arguments and the
    records they must give, by id, computed independently of the index (last copy wins,
    as `add` documents)."""
    pages = folder / "pages"
    pages.mkdir(parents=True)
    for page in page_files():
        shutil.copy(page, pages / page.name)
    lines = RECORDS.read_text(encoding="utf-8").splitlines()
    if records is not None:
        lines = lines[:records]
    expected: dict[str, Statement] = {}
    for page in iter_pages(pages):
        record = extract_file(page)
        expected[record.id] = record
    # a record of a statement that is also a page (same URL, so same id) is left out:
    # the page would replace it, and the tests here race pages against records
    from_pages = set(expected)
    kept = []
    for line in lines:  # read as `add` reads a record
        record = record_from_jsonl(json.loads(line))
        if record.id not in from_pages:
            kept.append(line)
            expected[record.id] = record  # one id per URL: the last record given wins
    jsonl = folder / "records.jsonl"
    jsonl.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return [str(pages), str(jsonl)], expected


def child_env() -> dict[str, str]:
    """The environment of a child `statements`: no proxies (requests stay on 127.0.0.1),
    no colour, no debug tracebacks."""
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    env["NO_PROXY"] = "127.0.0.1,localhost"
    env["NO_COLOR"] = "1"
    env.pop("STATEMENTS_DEBUG", None)
    env.pop("STATEMENTS_HOME", None)
    return env


def default_sigint() -> None:
    """Run in a child before exec: Ctrl-C does what it does in a terminal. A test started
    as a background job inherits SIGINT ignored, and an ignored signal stays ignored
    across exec, so the child would never see the Ctrl-C a test sends it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def command(*args: str) -> list[str]:
    """The real `statements` command line, run by this interpreter."""
    return [sys.executable, "-m", "statements.search.cli", *args]


def start(*args: str) -> subprocess.Popen[bytes]:
    """The command as a child in its own process group (so a kill reaches all of it)."""
    return subprocess.Popen(
        command(*args),
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=default_sigint,
    )


def start_piped(*args: str) -> subprocess.Popen[str]:
    """The command as a child whose output the test reads (stdout, stderr as text)."""
    return subprocess.Popen(
        command(*args),
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill(proc: subprocess.Popen[bytes]) -> None:
    """kill -9 the child (and anything it started), then reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def run_child(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(*args),
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=default_sigint,
    )


def cli(*args: str) -> object:
    """The command in this process (CliRunner), for checks after a child was killed."""
    return run(*args, env={"NO_COLOR": "1"})


def listed(home: Path) -> list[dict]:
    """Every document the index lists (`search '*' --all-copies --format jsonl`)."""
    result = cli("search", "*", "--all-copies", "--format", "jsonl", "--home", str(home))
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    out = result.stdout  # type: ignore[attr-defined]
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def documents(home: Path) -> int:
    result = cli("stats", "--format", "json", "--home", str(home))
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    return int(json.loads(result.stdout)["documents"])  # type: ignore[attr-defined]


Versions = dict[str, set[str]]


def versions(*sets: Iterable[Statement]) -> Versions:
    """Every acceptable fingerprint of each id (old and new versions of a record)."""
    out: Versions = defaultdict(set)
    for records in sets:
        for record in records:
            out[record.id].add(record.fingerprint())
    return out


def check_whole(
    home: Path, allowed: Versions, query: str = "security", growing: bool = False
) -> set[str]:
    """The index opens; it lists each document once; every listed document is one whole
    version of an input record (its stored record has that record's fingerprint and
    title) and has a stored capture (so `reindex` cannot lose it); a word search returns
    only whole documents that the listing also shows. Returns the listed ids.

    `growing`: a writer is adding documents meanwhile, so counts taken by two commands
    may differ; the word search runs first, so what it found is listed after it.

    A home where nothing was indexed yet (killed before its first index existed) has
    no index to open: reads then say so in one line, and nothing else is there."""
    if not (home / "CURRENT").exists():
        for args in (("search", query), ("stats",)):
            result = cli(*args, "--home", str(home))
            assert result.exit_code == 1, result.stdout  # type: ignore[attr-defined]
            assert result.stderr.splitlines() == [  # type: ignore[attr-defined]
                f"Error: the data folder {home} holds no index yet (add statements first "
                "with `statements add PATH`, or point --home / STATEMENTS_HOME at your "
                "data folder)"
            ]
        return set()
    result = cli(
        "search", query, "--all-copies", "--format", "json", "-n", "10000", "--home", str(home)
    )
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    found = [h["id"] for h in json.loads(result.stdout)["hits"]]  # type: ignore[attr-defined]
    assert len(found) == len(set(found)), "a word search returned a document twice"
    hits = listed(home)
    ids = [h["id"] for h in hits]
    assert len(ids) == len(set(ids)), "a document is listed twice"
    assert set(found) <= set(ids)
    if not growing:
        assert documents(home) == len(ids)
    unknown = set(ids) - set(allowed)
    assert not unknown, f"documents that were never added: {sorted(unknown)[:5]}"
    with Library(home) as lib:
        for hit in hits:
            record = lib.get(hit["id"])
            assert record.fingerprint() in allowed[hit["id"]], f"{hit['id']} is not whole"
            assert hit["title"] == record.title
        stored = {rid for rid, _capture in lib.captures.iter_all()}
    assert set(ids) <= stored, f"indexed without a capture: {sorted(set(ids) - stored)[:5]}"
    return set(ids)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` cannot be written while inside: a read-only bind mount of it as root
    (root writes through permissions), else its permission bits. Skips the test where
    neither is possible."""
    import pytest

    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
        for p in modes:
            p.chmod(modes[p] & ~0o222)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    target = str(folder)
    bound = subprocess.run(["mount", "--bind", target, target], capture_output=True)
    if bound.returncode != 0:
        pytest.skip("cannot make a read-only folder here (root without mount)")
    try:
        ro = subprocess.run(["mount", "-o", "remount,bind,ro", target], capture_output=True)
        if ro.returncode != 0:
            pytest.skip("cannot remount read-only here")
        yield
    finally:
        subprocess.run(["umount", target], capture_output=True)


@contextlib.contextmanager
def small_disk(folder: Path, megabytes: int) -> Iterator[Path]:
    """A filesystem of `megabytes` at `folder` (a tmpfs; root only, else the test skips)."""
    import pytest

    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(folder)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small filesystem here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path) -> Path:
    """Fill the filesystem of `folder` to the last byte; returns the filler to delete."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for size in (1 << 20, 65536, 4096, 512, 1):
            block = b"\0" * size
            try:
                while True:
                    os.write(fd, block)
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler


def big_batch(path: Path, n: int) -> list[Statement]:
    """`n` distinct records made from the real ones in tests/data (copy k of a record
    rotates its paragraphs by k and gets its own URL, and the id `add` gives it: its
    URL's), written to `path` as .jsonl: enough to take the writer's multi-process path
    (2,000+ documents)."""
    base = [
        Statement.from_dict(json.loads(line))
        for line in RECORDS.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    out = []
    for k in range(n):
        record = base[k % len(base)]
        paras = record.text.split("\n\n")
        turn = k // len(base) % max(len(paras), 1)
        text = "\n\n".join(paras[turn:] + paras[:turn]) + f"\n\nCopy {k}."
        url = f"https://example.org/big/{k}"
        out.append(record.with_(id=make_id(url), url=url, text=text, turns=()))
    lines = [r.to_json() for r in out]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return [record_from_jsonl(json.loads(line)) for line in lines]  # as `add` reads them


def children(pid: int) -> list[int]:
    """Pids whose parent is `pid` (from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and fields[1] == str(pid):
            out.append(int(entry.name))
    return out
