"""`make bench`: `statements trace` over 20,000 documents, end to end, against SQLite FTS5.

The index is built from the same re-cut corpus records as bench/run.py
(bench/dataset.py). Figures:

- the whole `statements trace PHRASE --format json` process, start included
  (target: at most 1 s), also with --said-by and with --occurrences: wall time,
  and the CPU time the process used (the figure that holds on a shared machine);
- `Library.trace` inside one process;
- the peer: SQLite FTS5 finds the documents with the phrase, and Python counts
  the occurrences per speaker and per year with a regex over their text: the
  same answer a user would put together from FTS5 by hand.

Usage: python -m bench.trace [--size 20000] [--repeat 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.dataset import base_records, scaled
from bench.fts5 import Fts5

PHRASES = [  # traced as phrases
    "nuclear weapons",
    "human rights",
    "climate change",
    "energy security",
    "press conference",
    "humanitarian assistance",
]
TARGET_MS = 1000.0
OUT = Path(__file__).parent / "out"


def build(size: int, work: Path) -> tuple[Path, Fts5]:
    from statements.index.library import Library

    records = list(scaled(base_records(), size))
    home = work / f"trace-home-{size}"
    fts_path = work / f"trace-fts-{size}.db"
    if not (home / "CURRENT").exists():
        shutil.rmtree(home, ignore_errors=True)
        t = time.perf_counter()
        with Library(home) as lib:
            summary = lib.add((r, None) for r in records)
        assert summary.added == size, f"indexed {summary.added} of {size}"
        print(f"built {size} documents in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    fresh = not fts_path.exists()
    fts = Fts5(fts_path)
    if fresh:
        fts.build(records)
    return home, fts


def fts_trace(fts: Fts5, phrase: str) -> dict:
    """The peer: FTS5 selects the documents, a regex counts per speaker and year."""
    pattern = re.compile(r"\b" + r"\W+".join(map(re.escape, phrase.split())) + r"\w*", re.I)
    rows = fts.db.execute(
        "SELECT d.rowid, d.text, m.date FROM docs d JOIN meta m ON m.rowid = d.rowid "
        "WHERE docs MATCH ?",
        (f'"{phrase}"',),
    ).fetchall()
    per: Counter[str] = Counter()
    years: Counter[str] = Counter()
    first: dict[str, str] = {}
    for rowid, text, date in rows:
        n = len(pattern.findall(text))
        if not n:
            continue
        years[(date or "undated")[:4]] += n
        for (who,) in fts.db.execute("SELECT speaker FROM spk WHERE rowid = ?", (rowid,)):
            per[who] += n
            if date and (who not in first or date < first[who]):
                first[who] = date
    return {"documents": len(rows), "people": per, "years": years, "first": first}


def median_ms(fn, items: list[str], repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for item in items:
        fn(item)  # warm
        for _ in range(repeat):
            t = time.perf_counter()
            fn(item)
            times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def cli_ms(home: Path, phrase: str, *extra: str) -> tuple[float, float]:
    """(wall ms, CPU ms) of one whole `statements trace` process. The CPU time (user +
    system, from the kernel's accounting of children) is what the process itself
    cost; on a shared machine the wall time also holds the waits for a core."""
    import resource

    exe = Path(sys.executable).with_name("statements")
    cmd = [str(exe), "trace", phrase, "--home", str(home), "--format", "json", *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(cmd, check=True, capture_output=True, env=dict(os.environ, NO_COLOR="1"))
    elapsed = (time.perf_counter() - t) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    json.loads(done.stdout)
    return elapsed, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep", help="keep (and reuse) the built indexes in this folder")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="statements-trace-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        home, fts = build(args.size, work)
        from statements.index.library import Library
        from statements.index.trace import TraceRequest

        with Library(home) as lib:
            found = {p: lib.trace(TraceRequest(p)) for p in PHRASES}
            ours = median_ms(lambda p: lib.trace(TraceRequest(p)), PHRASES, args.repeat)
            said = median_ms(
                lambda p: lib.trace(TraceRequest(p, said_by=True)), PHRASES, args.repeat
            )
        peer = median_ms(lambda p: fts_trace(fts, p), PHRASES, args.repeat)
        cli = {
            "plain": [cli_ms(home, p) for p in PHRASES for _ in range(args.repeat)],
            "--said-by": [cli_ms(home, p, "--said-by") for p in PHRASES for _ in range(2)],
            "--occurrences": [cli_ms(home, p, "--occurrences") for p in PHRASES for _ in range(2)],
        }
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    result = {
        "documents": args.size,
        "phrases": {
            p: {"documents": t.documents, "occurrences": t.occurrences, "people": len(t.people)}
            for p, t in found.items()
        },
        "in_process_ms": round(ours, 1),
        "in_process_said_by_ms": round(said, 1),
        "fts5_regex_ms": round(peer, 1),
        "cli_wall_ms": {k: round(statistics.median(w for w, _c in v), 1) for k, v in cli.items()},
        "cli_wall_max_ms": {k: round(max(w for w, _c in v), 1) for k, v in cli.items()},
        "cli_cpu_ms": {k: round(statistics.median(c for _w, c in v), 1) for k, v in cli.items()},
        "cli_cpu_max_ms": {k: round(max(c for _w, c in v), 1) for k, v in cli.items()},
        "load_average": os.getloadavg()[0],
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "trace.json").write_text(json.dumps(result, indent=2))
    print(f"\n## statements trace at {args.size:,} documents (medians over {len(PHRASES)} phrases)")
    for p, f in result["phrases"].items():
        print(f"  {p!r}: {f['occurrences']} occurrences in {f['documents']} documents")
    ratio = ours / peer if peer else float("nan")
    print(f"trace in process        {ours:8.1f} ms   FTS5 + regex {peer:8.1f} ms   {ratio:.1f}x")
    print(f"trace --said-by         {said:8.1f} ms")
    print(f"load average {result['load_average']:.1f} on {os.cpu_count()} cores")
    for k in cli:
        wall, cpu = result["cli_wall_ms"][k], result["cli_cpu_ms"][k]

        def verdict(ms: float) -> str:
            return "ok" if ms <= TARGET_MS else "MISSED"

        print(
            f"CLI trace {k:<15} wall {wall:7.1f} ms median, {verdict(wall)}   "
            f"CPU {cpu:7.1f} ms median ({result['cli_cpu_max_ms'][k]:.0f} max), {verdict(cpu)}"
            f"   (target <= {TARGET_MS:.0f} ms)"
        )


if __name__ == "__main__":
    main()
