"""Where the milliseconds of one `statements search` process go.

A faceted search at 20,000 documents is mostly start-up: the interpreter, the
imports, opening the index. This prints

- the whole process, `statements search WORD --facet speaker --facet year`,
  median and p95 of wall time (and the fastest run, the nearest thing to a quiet
  machine) and of CPU time (user + system of the child, the figure that holds
  on a shared machine), beside `python -c pass`, the floor
  no Python program goes under; other installs given with --compare are run
  interleaved with this one, so that load on the machine hits them alike;
- a breakdown of one process into stages (interpreter and site, the imports
  of each package, opening the index, the search, the table, the exit), each
  the median over the runs; the imports are split by package with
  `python -X importtime`, each module's own time counted to the first of our
  groups (typer, tabulate, whoosh, our packages) that imported it.

Usage: python -m bench.startup --home HOME [--repeat 15] [--words w1,w2]
           [--compare /other/venv/bin/statements ...]

HOME must hold an index (bench/run.py --keep DIR leaves one; or
`statements add --home HOME records.jsonl`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

WORDS = ["security", "sanctions", "nuclear", "energy", "economy", "border"]
FACETS = ["--facet", "speaker", "--facet", "year"]

# Runs inside a fresh interpreter started as the installed `statements` script is:
# the stages of one faceted search, by the monotonic clock the parent also reads.
PROBE = r"""
import time
def _now():
    return (time.monotonic(), time.process_time())
_t = {"started": _now()}
import sys
import typer
_t["typer"] = _now()
import tabulate
_t["tabulate"] = _now()
try:  # the console script (the search command's module only), else every command
    from statements.search import console
    console.load(console.command_name(sys.argv[1:]))
    run = console.main
except ImportError:
    from statements.search.cli import app as run
_t["commands"] = _now()
import statements.index.library, statements.index.snapshot, statements.index.search
import statements.search.tables
_t["search modules"] = _now()
PART = "  of which "

def _timed(owner, name, label):
    inner = getattr(owner, name)
    def wrapper(*a, **k):
        t = _now()
        try:
            return inner(*a, **k)
        finally:
            e = _now()
            s = _t.get(label, (0.0, 0.0))
            _t[label] = (s[0] + e[0] - t[0], s[1] + e[1] - t[1])
    setattr(owner, name, wrapper)

# each name patched where it is called from (a module's own reference to it)
_timed(statements.index.library.Library, "_open_view", "open index")
_timed(statements.index.snapshot, "open_index", PART + "Whoosh imports, TOCs")
_timed(statements.index.snapshot, "load_or_build", PART + "facet table")
_timed(statements.index.search, "run_search", "query and facets")
_timed(statements.search.tables, "render_table", "table")
sys.argv = ["statements", *sys.argv[1:]]
try:
    run()
except SystemExit:
    pass
_t["ran"] = _now()
sys.stderr.write("\nPROBE " + repr(_t) + "\n")
"""

PART = "  of which "  # a part of the stage above it, not counted again in the sum

# importtime groups: a module's own time goes to the nearest of these above it
GROUPS = {
    "typer": "typer (its Click)",
    "click": "typer (its Click)",
    "shellingham": "typer (its Click)",
    "annotated_doc": "typer (its Click)",
    "tabulate": "tabulate",
    "wcwidth": "tabulate",
    "whoosh": "whoosh",
    "search": "search/ (commands, output)",
    "index": "index/",
    "scraper": "scraper/ (record, errors)",
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(cmd: list[str]) -> tuple[float, float, str]:
    """Wall ms, CPU ms (user + system of the child) and stderr of one process.

    Run from `/`: `python -c` puts the working directory first on sys.path, and a
    checkout there would stand in for the install being measured."""
    env = dict(os.environ, NO_COLOR="1")
    t = time.monotonic()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True, cwd="/"
    )
    err = proc.stderr.read() if proc.stderr else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = (time.monotonic() - t) * 1000
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {err[-500:]}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000, err


def python_of(script: str) -> str:
    """The interpreter an installed console script runs with (its #! line)."""
    with open(script, encoding="utf-8") as fh:
        first = fh.readline()
    return first[2:].strip() if first.startswith("#!") else sys.executable


def whole_process(
    scripts: list[str], home: Path, words: list[str], repeat: int
) -> dict[str, dict[str, list[float]]]:
    """Each script's faceted search and `python -c pass`, interleaved run by run."""
    cmds = {"python -c pass": [python_of(scripts[0]), "-c", "pass"]}
    for script in scripts:
        cmds[script] = None  # type: ignore[assignment]
    times: dict[str, dict[str, list[float]]] = {k: {"wall": [], "cpu": []} for k in cmds}
    for word in words:  # warm the page cache and the bytecode once
        for script in scripts:
            run([script, "search", word, *FACETS, "--home", str(home)])
    for _ in range(repeat):
        for word in words:
            for name in cmds:
                cmd = cmds[name] or [name, "search", word, *FACETS, "--home", str(home)]
                wall, cpu, _err = run(cmd)
                times[name]["wall"].append(wall)
                times[name]["cpu"].append(cpu)
    return times


def stages(
    script: str, home: Path, words: list[str], repeat: int
) -> dict[str, tuple[float, float]]:
    """Median wall and CPU ms of each stage of one process (no importtime: clean clocks).

    CPU time before the first line of the probe is the interpreter's start (its
    process_time counts from the process's start); the exit is what the child's
    rusage holds beyond the probe's last reading."""
    py = python_of(script)
    found: dict[str, list[tuple[float, float]]] = {}
    for _ in range(repeat):
        for word in words:
            cmd = [py, "-c", PROBE, "search", word, *FACETS, "--home", str(home)]
            t0 = time.monotonic()
            wall, cpu, err = run(cmd)
            end = (t0 + wall / 1000, cpu / 1000)
            marks = eval(err.rsplit("PROBE ", 1)[1])  # our own repr of floats
            inner = {k: marks.pop(k) for k in ("open index", "query and facets", "table")}
            parts = {k: marks.pop(k) for k in list(marks) if k.startswith(PART)}
            start = (t0, 0.0)

            def span(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
                return (b[0] - a[0], b[1] - a[1])

            app_run = span(marks["search modules"], marks["ran"])
            other = tuple(app_run[i] - sum(v[i] for v in inner.values()) for i in (0, 1))
            row = {
                "interpreter, site (.pth files)": span(start, marks["started"]),
                "import typer": span(marks["started"], marks["typer"]),
                "import tabulate": span(marks["typer"], marks["tabulate"]),
                "import the command's module": span(marks["tabulate"], marks["commands"]),
                "import index, whoosh (search path)": span(
                    marks["commands"], marks["search modules"]
                ),
                "open index": inner["open index"],
                **parts,
                "query and facets": inner["query and facets"],
                "table": inner["table"],
                "parse options, other": other,
                "exit": span(marks["ran"], end),
            }
            for k, v in row.items():
                found.setdefault(k, []).append((v[0] * 1000, v[1] * 1000))
    return {
        k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
        for k, v in found.items()
    }


def import_groups(script: str, home: Path, word: str) -> dict[str, float]:
    """Own import time (ms, under -X importtime) by group, for one real search process."""
    py = python_of(script)
    code = f"import sys; sys.argv = ['statements', *sys.argv[1:]]; exec(open({script!r}).read())"
    cmd = [py, "-X", "importtime", "-c", code, "search", word, *FACETS, "--home", str(home)]
    _wall, _cpu, err = run(cmd)
    stack: list[tuple[int, str]] = []  # (depth, group) of the modules above
    rows: list[tuple[int, int, str]] = []
    for line in err.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        head, _cumulative, name = line.split("|")
        own_us = int(head.split(":")[1])
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
        rows.append((depth, own_us, name.strip()))
    # importtime prints a module after the modules it imported: walk it backwards
    out: dict[str, float] = {}
    for depth, own_us, name in reversed(rows):
        while stack and stack[-1][0] >= depth:
            stack.pop()
        top = name.split(".")
        group = GROUPS.get(top[1] if top[0] == "statements" and len(top) > 1 else top[0])
        if group is None:
            group = stack[-1][1] if stack else "python's own (site, encodings, stdlib)"
        stack.append((depth, group))
        out[group] = out.get(group, 0.0) + own_us / 1000
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--words", default=",".join(WORDS))
    ap.add_argument("--statements", default=str(Path(sys.executable).with_name("statements")))
    ap.add_argument("--compare", action="append", default=[], help="another `statements`")
    ap.add_argument("--json", type=Path, help="write the figures here too")
    args = ap.parse_args()
    words = args.words.split(",")
    scripts = [args.statements, *args.compare]

    print(f"home {args.home}; words {', '.join(words)}; {args.repeat} rounds, interleaved")
    whole = whole_process(scripts, args.home, words, args.repeat)
    print(
        f"\n{'whole process':<52} {'wall p50':>9} {'p95':>7} {'min':>7} {'cpu p50':>8} {'p95':>7}"
    )
    for name, t in whole.items():
        label = name if len(name) <= 52 else "..." + name[-49:]
        print(
            f"{label:<52} {statistics.median(t['wall']):9.1f} {percentile(t['wall'], 0.95):7.1f}"
            f" {min(t['wall']):7.1f}"
            f" {statistics.median(t['cpu']):8.1f} {percentile(t['cpu'], 0.95):7.1f}"
        )

    split = stages(args.statements, args.home, words, max(2, args.repeat // 3))
    print(f"\n{'stages of one process (median ms)':<52} {'wall':>9} {'cpu':>7}")
    for k, (w, c) in split.items():
        print(f"{k:<52} {w:9.1f} {c:7.1f}")
    total = [sum(v[i] for k, v in split.items() if not k.startswith(PART)) for i in (0, 1)]
    print(f"{'sum':<52} {total[0]:9.1f} {total[1]:7.1f}")

    groups = import_groups(args.statements, args.home, words[0])
    print(f"\n{'own import time by package, -X importtime (ms)':<52} {'ms':>9}")
    for k, v in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(f"{k:<52} {v:9.1f}")
    print(f"{'sum':<52} {sum(groups.values()):9.1f}")
    if args.json:
        args.json.write_text(json.dumps({"whole": whole, "stages": split, "imports": groups}))


if __name__ == "__main__":
    main()
