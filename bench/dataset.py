"""The benchmark's document sets, built from the real records in ../shared/corpus.

The corpus holds about 2,600 real statements. Larger sets (up to 500,000) are
made from them by re-cutting real text, not by inventing words: copy k of a
record keeps its title, speakers, source, date and turns, rotates its paragraphs by
k and borrows one paragraph from another record, so that every document is
distinct (no two share a copy fingerprint) while term statistics stay those of
real statements.

The sets are streamed: `scaled` is a generator and `write_batches` writes it
straight to .jsonl files, so the bench process holds the ~2,600 base records,
one document at a time and an 8-byte key per copy, never the 500,000 (writing
100,000 peaked at 150 MB). `scaled(base, m)` is a prefix of `scaled(base, n)`
for m < n, so the sizes are nested like a growing archive.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from statements.scraper.record import Statement

#: Set to the corpus folder to run the bench from a checkout that is not beside it.
ENV_CORPUS = "STATEMENTS_BENCH_CORPUS"

JSONL_SETS = (
    "state-gov-press-releases/records.jsonl",
    "whitehouse-briefing-room/records.jsonl",
    "kremlin-ru-records/records.jsonl",
    "kremlin-ru-wayback-2000s/records.jsonl",
)


def corpus_dir() -> Path:
    """Where the shared corpus is: $STATEMENTS_BENCH_CORPUS, else `shared/corpus` in the
    nearest folder above this checkout, else above the main checkout of its git worktrees.

    The worktrees (/work/wt-*) and the main checkout (/work/main) all sit beside
    /work/shared; a worktree placed elsewhere still finds it through git's common dir.
    """
    if os.environ.get(ENV_CORPUS):
        return Path(os.environ[ENV_CORPUS]).expanduser()
    here = Path(__file__).resolve().parent
    starts = [here]
    try:
        common = subprocess.run(
            ["git", "rev-parse", "--path-format=absolute", "--git-common-dir"],
            cwd=here,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        starts.append(Path(common).parent)
    except (OSError, subprocess.CalledProcessError):
        pass  # not a git checkout: the folders above this one only
    for start in starts:
        for folder in (start, *start.parents):
            if (folder / "shared" / "corpus").is_dir():
                return folder / "shared" / "corpus"
    raise SystemExit(
        f"bench needs the shared corpus (shared/corpus above {here}); set {ENV_CORPUS}"
    )


def base_records() -> list[Statement]:
    """Every JSONL record of the corpus, through the real extractor (JSON feed items)."""
    from statements.scraper.errors import ExtractError
    from statements.scraper.extract import extract_bytes

    shared = corpus_dir()
    out: list[Statement] = []
    skipped = 0
    for rel in JSONL_SETS:
        with open(shared / rel, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                try:
                    out.append(extract_bytes(line.encode("utf-8"), name="record.json"))
                except ExtractError:
                    skipped += 1  # e.g. a feed item with no body: reported, not benchmarked
    unique = {r.id: r for r in out}  # a few feed items share a URL, hence an id
    out = list(unique.values())
    if skipped:
        print(
            f"bench: {skipped} corpus records gave no statement and were skipped", file=sys.stderr
        )
    return out


def scaled(records: list[Statement], n: int, seed: int = 7) -> Iterator[Statement]:
    """`n` documents: the real records first, then re-cut copies of them.

    No two copies of one record share their rotation and the words of their
    borrowed paragraph: the index groups documents whose words are all the same
    as republished copies (counted once), and the set must not make copies the
    corpus does not have.
    """
    import hashlib

    from statements.index.analysis import words

    rng = random.Random(seed)
    paras = [r.text.split("\n\n") for r in records]
    used: set[bytes] = set()  # (record, rotation, borrowed words) already cut
    for i in range(n):
        k, j = divmod(i, len(records))
        rec = records[j]
        if k == 0:
            yield rec
            continue
        own = paras[j]
        rot = k % max(1, len(own))
        for _attempt in range(50):  # a record with few paragraphs runs out of cuts late
            other = paras[rng.randrange(len(paras))]
            borrowed = other[rng.randrange(len(other))] if other else ""
            key = hashlib.blake2b(
                f"{j}\0{rot}\0{' '.join(words(borrowed))}".encode(), digest_size=8
            ).digest()
            if key not in used and borrowed.strip():
                break
        used.add(key)
        text = "\n\n".join(own[rot:] + own[:rot] + [borrowed])
        # turns are kept so that said-by search is measured at full size too
        yield rec.with_(id=f"{rec.id}~{k}", url=None, text=text)


def jsonl_line(record: Statement) -> str:
    """One line as `statements add` reads it, marked complete: taken as given, id
    included, with no extraction to fill gaps (what the bench times is indexing)."""
    return json.dumps({**record.to_dict(), "complete": True}, ensure_ascii=False) + "\n"


def write_jsonl(records: Iterable[Statement], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(jsonl_line(r))


def read_jsonl(paths: Iterable[Path]) -> Iterator[Statement]:
    """The records of .jsonl files, one at a time."""
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield Statement.from_dict(json.loads(line))


@dataclass
class Dataset:
    """A document set on disk: `documents` records in batch files of `batch` each."""

    documents: int
    batch: int
    files: list[str] = field(default_factory=list)  # names inside the folder, in order
    text_bytes: int = 0  # UTF-8 bytes of the body text of every document
    title_bytes: int = 0
    turn_bytes: int = 0  # UTF-8 bytes of the turns' text (indexed again for --said-by)

    def paths(self, folder: Path) -> list[Path]:
        return [folder / f for f in self.files]


MANIFEST = "manifest.json"


def write_batches(base: list[Statement], n: int, batch: int, folder: Path) -> Dataset:
    """Write `scaled(base, n)` as .jsonl files of `batch` records (0: one file), once.

    A folder with a manifest for the same size and batch is reused as it is, so an
    interrupted bench resumes without writing gigabytes again.
    """
    batch = batch or n
    manifest = folder / MANIFEST
    if manifest.exists():
        data = Dataset(**json.loads(manifest.read_text()))
        if (data.documents, data.batch) == (n, batch) and all(
            p.exists() for p in data.paths(folder)
        ):
            return data
    folder.mkdir(parents=True, exist_ok=True)
    data = Dataset(documents=n, batch=batch)
    fh = None
    try:
        for i, r in enumerate(scaled(base, n)):
            if i % batch == 0:
                if fh:
                    fh.close()
                name = f"batch-{i // batch + 1:04d}.jsonl"
                data.files.append(name)
                fh = open(folder / name, "w", encoding="utf-8")  # noqa: SIM115
            assert fh is not None
            fh.write(jsonl_line(r))
            data.text_bytes += len(r.text.encode("utf-8"))
            data.title_bytes += len(r.title.encode("utf-8"))
            data.turn_bytes += sum(len(t.text.encode("utf-8")) for t in r.turns)
    finally:
        if fh:
            fh.close()
    manifest.write_text(json.dumps(asdict(data), indent=1))
    return data
