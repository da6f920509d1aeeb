"""Building only: `statements add` beside SQLite FTS5 on the same records, same run.

Prints, for one batch of N documents given to one `statements add` (a child
process, as a user runs it): wall time and CPU time (user + sys of the whole
process tree, worker processes included), the peak resident memory of the
tree (the sum over the process group, sampled from /proc every 50 ms: the
kernel's ru_maxrss is the largest single process, not the sum), the size of
each part of the data home against the characters of text it holds, and
FTS5's build time over the same records. `--series K` then adds K batches of
`--step` new documents one `add` at a time and prints each add's time with
the median and the largest (issue 11: no add more than 3x the median).

The machine is shared: wall times vary with its load, CPU times less so; the
FTS5 ratio is taken in the same run for that reason.

Usage: python -m bench.build [--size 20000] [--series 10 --step 2000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.dataset import base_records, scaled, write_jsonl
from bench.fts5 import Fts5

PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and every process below it (children of children too)."""
    kids: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        kids.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * PAGE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(kids.get(pid, []))
    return total


def run_add(args: list[str]) -> dict[str, float]:
    """One `statements add` as a child: wall s, CPU s of its tree, peak tree RSS bytes."""
    exe = Path(sys.executable).with_name("statements")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen([str(exe), "add", *args], stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _out, err = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"statements add failed: {err[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "peak_mb": peak[0] / 1e6}


def parts(home: Path) -> dict[str, int]:
    """Bytes per part of a data home: the Whoosh index, records.sqlite, the
    captures, and everything else (facet caches, stamps)."""
    out: dict[str, int] = {}
    for path in home.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(home).parts
        if rel[0].startswith("captures.sqlite"):
            key = "captures.sqlite"
        elif len(rel) > 1 and rel[1] == "whoosh":
            key = rel[1] + "/"
        elif len(rel) > 1 and rel[1].startswith("records.sqlite"):
            key = "records.sqlite"
        else:
            key = "other"
        out[key] = out.get(key, 0) + path.stat().st_size
    return out


def fts5_build(records: list, path: Path) -> tuple[float, float]:
    """FTS5 over the same records in this process: (wall s, CPU s)."""
    for p in path.parent.glob(path.name + "*"):
        p.unlink()
    t, c = time.perf_counter(), time.process_time()
    Fts5(path).build(records)
    return time.perf_counter() - t, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=20000, help="documents in the one batch")
    ap.add_argument("--series", type=int, default=0, help="then this many incremental adds")
    ap.add_argument("--step", type=int, default=2000, help="documents per incremental add")
    ap.add_argument("--keep", help="build in this folder and keep it")
    args = ap.parse_args()
    base = base_records()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="statements-build-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        records = list(scaled(base, args.size))
        chars = sum(len(r.text) for r in records)
        batch = work / "batch.jsonl"
        write_jsonl(records, batch)
        home = work / "home"
        shutil.rmtree(home, ignore_errors=True)
        fts = fts5_build(records, work / "fts.db")
        ours = run_add([str(batch), "--home", str(home)])
        fts_again = fts5_build(records, work / "fts.db")  # after ours: same load, both sides
        fts_s, fts_cpu = min(fts, fts_again)
        print(f"## one batch of {args.size:,} documents ({chars / 1e6:.1f} M characters of text)")
        print(
            f"statements add: {ours['wall_s']:.1f} s wall, {ours['cpu_s']:.1f} s CPU (tree), "
            f"peak RSS of the tree {ours['peak_mb']:.0f} MB"
        )
        print(
            f"FTS5 build: {fts_s:.2f} s wall, {fts_cpu:.2f} s CPU; ratio "
            f"{ours['wall_s'] / fts_s:.1f}x wall, {ours['cpu_s'] / fts_cpu:.1f}x CPU"
        )
        sizes = parts(home)
        total = sum(sizes.values())
        for key in sorted(sizes):
            print(f"  {key:<18}{sizes[key] / 1e6:9.1f} MB  {sizes[key] / chars:5.2f}x text")
        print(f"  {'total':<18}{total / 1e6:9.1f} MB  {total / chars:5.2f}x text")
        del records
        if args.series:
            series_home = work / "series"
            shutil.rmtree(series_home, ignore_errors=True)
            more = list(scaled(base, args.series * args.step, seed=11))
            times = []
            for k in range(args.series):
                part = work / f"step-{k}.jsonl"
                write_jsonl(more[k * args.step : (k + 1) * args.step], part)
                got = run_add([str(part), "--home", str(series_home)])
                times.append(got["wall_s"])
                print(
                    f"add {k + 1:>2}: {got['wall_s']:6.1f} s wall, {got['cpu_s']:6.1f} s CPU, "
                    f"peak {got['peak_mb']:.0f} MB",
                    flush=True,
                )
            med = statistics.median(times)
            print(
                f"{args.series} adds of {args.step:,}: median {med:.1f} s, max {max(times):.1f} s "
                f"({max(times) / med:.2f}x the median)"
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
