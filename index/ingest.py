"""The one ingest path: inputs become (Statement, Capture) pairs for the index.

Every way a statement reaches the index goes through here, so that a fix to
how an input is read is made once:

    Inputs(args)              page files, folders, .jsonl record files and URLs
                              (`statements add`; `statements extract` reads pages only)
    from_response(response)   a fetched page (`add URL`, `extract URL`, `update`)
    from_capture(id, capture) a stored capture again (`reindex`)

A pair's capture is what `reindex` extracts again later: the page's bytes, or
None for a `.jsonl` record, which the index keeps as given. Failures of one
input are reported to a callback and the batch carries on; library code
never prints. Pages and records are read with the user's speaker aliases, which
the index installs into the scraper first (`names.install_aliases`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from statements.index.names import install_aliases
from statements.index.store import RECORD_CAPTURE, Capture
from statements.scraper.errors import RecordError, StatementsError
from statements.scraper.record import Statement

if TYPE_CHECKING:
    from statements.scraper.network.response import Response

Pair = tuple[Statement, Capture | None]
#: Told of each input that failed: what it was (path, URL, `file:line`) and why.
OnFail = Callable[[str, str], None]
#: Told once for each page or record read.
OnRead = Callable[[], None]

RECORDS_SUFFIX = ".jsonl"


def looks_like_url(value: str) -> bool:
    """An http(s) address, as opposed to a path (the only inputs fetched)."""
    return value.lower().startswith(("http://", "https://"))


def record_files(folder: Path) -> list[Path]:
    """The .jsonl record files under `folder`, sorted, hidden paths skipped (as pages are)."""
    from statements.scraper.extract import iter_pages

    return list(iter_pages(folder, suffixes=(RECORDS_SUFFIX,)))


# ---- one input ------------------------------------------------------------------------


def from_response(response: Response, name: str | None = None) -> Pair:
    """The statement a fetched page holds, with the page as its capture.

    `name` is what the user gave (the URL before redirects), kept with the capture so
    that a re-extraction names it the same way; a followed link has none.
    """
    capture = Capture(response.content, response.url, response.content_type, name)
    return _extract(capture), capture


def read_url(url: str) -> Pair:
    """Fetch a URL once (politely, with a timeout) and extract its statement."""
    from statements.scraper.network.fetch import fetch

    response = fetch(url)
    if not response.url:  # the final URL after redirects; the one asked for otherwise
        from dataclasses import replace

        response = replace(response, url=url)
    return from_response(response, name=url)


def read_file(path: Path) -> Pair:
    """The statement in a saved page file, with the file's bytes as its capture."""
    from statements.scraper.extract import read_page

    capture = Capture(read_page(path), None, None, str(path))  # read once, for both
    return _extract(capture), capture


def from_capture(rid: str, capture: Capture) -> Statement:
    """A record again from its capture, with the current extractor (the id is kept)."""
    if capture.content_type == RECORD_CAPTURE:
        try:
            return Statement.from_dict(json.loads(capture.data.decode("utf-8"))).with_(id=rid)
        except ValueError as exc:
            raise RecordError(f"stored record {rid} is unreadable: {exc}") from None
    return _extract(capture).with_(id=rid)


def _extract(capture: Capture) -> Statement:
    """The statement in a page's bytes, its names folded with the user's aliases: how
    a page is read whether it was fetched, read from a file or stored as a capture,
    so `reindex` gives the record `add` gave."""
    from statements.scraper.extract import extract_bytes

    install_aliases()
    return extract_bytes(
        capture.data, url=capture.url, content_type=capture.content_type, name=capture.name
    )


def with_turns(record: Statement) -> Statement:
    """A JSONL record without turns gets them split from its text (`add --split-turns`).

    Pages get theirs from the extractor; record sets exported by other tools
    (the corpus's JSONL files) carry the transcript only as text, and without
    turns `--said-by` could not see who said what in them. Off by default: a
    JSONL record is otherwise indexed exactly as given.
    """
    if record.turns or not record.text:
        return record
    from statements.scraper.people.turns import split_turns

    install_aliases()
    turns = split_turns(record.text, title=record.title, language=record.language, date=record.date)
    return record.with_(turns=turns) if turns else record


def unexpected(exc: Exception) -> str:
    """The one-line report of an input that failed in an unforeseen way.

    A file that cannot be read is the user's to fix; anything else is a bug in
    the extractor, reported for this input while the rest of the batch goes on.
    """
    if isinstance(exc, OSError):
        return f"cannot read ({exc.strerror or exc}); check the file's permissions"
    return (
        f"could not be processed ({type(exc).__name__}: {exc}); "
        "the rest was indexed, please report this page as a bug"
    )


# ---- many inputs ----------------------------------------------------------------------


class Inputs:
    """The pairs a list of inputs gives: URLs, page files, folders and .jsonl files.

    Each failure goes to `on_fail` (what failed, why) and is kept in `failed`; the
    batch carries on. `records=False` reads pages only (`extract`): a folder's
    .jsonl files are left out. `explain` words a failure nobody foresaw.
    """

    def __init__(
        self,
        args: list[str],
        *,
        split_turns: bool = False,
        records: bool = True,
        on_fail: OnFail | None = None,
        on_read: OnRead | None = None,
        explain: Callable[[Exception], str] = unexpected,
    ) -> None:
        self.args = args
        self.split_turns = split_turns
        self.records = records
        self.on_fail = on_fail
        self.on_read = on_read
        self.explain = explain
        self.failed: list[tuple[str, str]] = []

    def _fail(self, what: str, message: str) -> None:
        self.failed.append((what, message))
        if self.on_fail is not None:
            self.on_fail(what, message)

    def _read(self) -> None:
        if self.on_read is not None:
            self.on_read()

    def __iter__(self) -> Iterator[Pair]:
        install_aliases()  # records' names are folded with the user's aliases too
        for arg in self.args:
            try:
                if looks_like_url(arg):
                    yield read_url(arg)
                    self._read()
                    continue
                path = Path(arg)
                if not path.exists():
                    self._fail(
                        arg, "no such file or folder (give a page file, folder, .jsonl or URL)"
                    )
                elif path.is_dir():
                    yield from self._folder(path)
                elif self.records and path.suffix.lower() == RECORDS_SUFFIX:
                    yield from self._jsonl(path)
                else:
                    yield read_file(path)
                    self._read()
            except StatementsError as exc:
                self._fail(arg, str(exc))
            except Exception as exc:  # one input's failure must not cost the batch
                self._fail(arg, self.explain(exc))

    def _folder(self, folder: Path) -> Iterator[Pair]:
        from statements.scraper.extract import iter_pages

        for page in iter_pages(folder):
            try:
                yield read_file(page)
                self._read()
            except StatementsError as exc:
                self._fail(str(page), str(exc))
            except Exception as exc:  # one page's failure must not cost the folder
                self._fail(str(page), self.explain(exc))
        if self.records:
            for records in record_files(folder):
                yield from self._jsonl(records)

    def _jsonl(self, path: Path) -> Iterator[Pair]:
        from statements.scraper.jsonl import record_from_jsonl

        try:
            handle = path.open(encoding="utf-8", errors="replace")
        except OSError as exc:
            self._fail(str(path), f"cannot read ({exc.strerror})")
            return
        with handle:
            for lineno, line in enumerate(_capped_lines(handle), 1):
                where = f"{path}:{lineno}"
                if line is None:
                    self._fail(where, _too_long())
                    continue
                if not line.strip():
                    continue
                try:
                    record = record_from_jsonl(json.loads(line), name=where)
                except ValueError as exc:
                    self._fail(where, f"not a JSON record ({exc})")
                    continue
                except StatementsError as exc:
                    self._fail(where, str(exc))
                    continue
                yield (with_turns(record) if self.split_turns else record), None
                self._read()


def count_inputs(args: list[str]) -> int:
    """How many pages and records `args` hold: a URL or file is one, a .jsonl file
    one per non-empty line, a folder its pages plus the lines of its .jsonl files."""
    from statements.scraper.extract import iter_pages

    def lines(path: Path) -> int:
        try:
            with path.open("rb") as fh:
                return sum(1 for line in fh if line.strip())
        except OSError:
            return 0

    total = 0
    for arg in args:
        path = Path(arg)
        if looks_like_url(arg) or not path.exists():
            total += 1
        elif path.is_dir():
            total += sum(1 for _ in iter_pages(path))
            total += sum(lines(p) for p in record_files(path))
        elif path.suffix.lower() == RECORDS_SUFFIX:
            total += lines(path)
        else:
            total += 1
    return total


def _capped_lines(handle: IO[str]) -> Iterator[str | None]:
    """The lines of a .jsonl file; None for a line longer than the page size cap (16 MB),
    which is skipped without ever being held whole (a 100 MB record took 1.8 GB)."""
    from statements.scraper.encoding import MAX_BYTES

    while True:
        line = handle.readline(MAX_BYTES + 1)
        if not line:
            return
        if len(line) <= MAX_BYTES or line.endswith("\n"):
            yield line
            continue
        while line and not line.endswith("\n"):  # the rest of the long line, read past
            line = handle.readline(1 << 20)
        yield None


def _too_long() -> str:
    from statements.scraper.encoding import MAX_BYTES

    return (
        f"the record is longer than {MAX_BYTES // (1024 * 1024)} MB, the size cap of one "
        "statement; skipped (split the text, or give the page itself)"
    )
