"""`make relevance`: the project's ranking quality beside the peer engines'.

For each collection in ../shared/relevance (or --data DIR), runs the
collection's own scorer, which indexes the corpus with `statements add` into a
fresh home and runs every query through `statements search --format json
--limit 100` (`score.py --cmd`), and prints nDCG@10, R@100 and MRR@10 beside
the peers' figures from that folder's README (SQLite FTS5, bm25s, Whoosh),
with the best peer's value and the difference.

    .venv/bin/python -m bench.relevance [--data DIR] [--collections cisi cacm] [--cmd CMD]

Takes a few minutes (one process per query, as a user runs it); not part of
`make test`.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEASURES = ("nDCG@10", "R@100", "MRR@10")
COLLECTIONS = ("cranfield", "cisi", "medline", "cacm")


def default_data() -> Path:
    for candidate in (ROOT.parent / "shared" / "relevance", Path("/work/shared/relevance")):
        if (candidate / "score.py").is_file():
            return candidate
    return ROOT.parent / "shared" / "relevance"


def peers(readme: Path) -> dict[str, dict[str, dict[str, float]]]:
    """collection -> engine -> measure -> value, from the README's peer table
    (engines that find nothing for most queries, "Whoosh AND", are left out)."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    row = re.compile(
        r"^\|\s*(\w+)\s*\|\s*([^|]+?)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|"
    )
    for line in readme.read_text(encoding="utf-8").splitlines():
        m = row.match(line)
        if m and m.group(1) in COLLECTIONS and "AND" not in m.group(2):
            values = dict(zip(MEASURES, map(float, m.group(3, 4, 5)), strict=True))
            out.setdefault(m.group(1), {})[m.group(2)] = values
    return out


def score(data: Path, collection: str, cmd: str) -> dict[str, float]:
    """The scorer's means for one collection (its own output line, parsed)."""
    with tempfile.TemporaryDirectory(prefix="relevance-run-") as tmp:
        run = subprocess.run(
            [
                sys.executable,
                str(data / "score.py"),
                "--data",
                str(data / collection),
                "--cmd",
                cmd,
                "--out",
                str(Path(tmp) / f"run.{collection}.txt"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    for line in run.stderr.splitlines():
        if "failed" in line or ("add exit" in line and "exit 0" not in line):
            print(f"  {line.strip()}", file=sys.stderr)
    found = re.search(
        r"nDCG@10 ([\d.]+)\s+R@100 ([\d.]+)\s+MRR@10 ([\d.]+)\s+\(no hits: (\d+)\)", run.stdout
    )
    if run.returncode != 0 or not found:
        sys.exit(f"score.py failed on {collection}: {(run.stdout + run.stderr).strip()[-400:]}")
    return dict(zip(MEASURES, map(float, found.groups()[:3]), strict=True))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=default_data(), help="the relevance folder")
    ap.add_argument("--collections", nargs="+", default=list(COLLECTIONS))
    ap.add_argument("--cmd", default=str(ROOT / ".venv" / "bin" / "statements"))
    args = ap.parse_args()
    if not (args.data / "score.py").is_file():
        sys.exit(f"no score.py in {args.data} (pass --data DIR, the folder of the collections)")
    table = peers(args.data / "README.md")
    below = []
    for collection in args.collections:
        ours = score(args.data, collection, args.cmd)
        others = table.get(collection, {})
        print(f"\n{collection}")
        print(f"  {'engine':<14}" + "".join(f"{m:>10}" for m in MEASURES))
        for engine, values in others.items():
            print(f"  {engine:<14}" + "".join(f"{values[m]:>10.3f}" for m in MEASURES))
        print(f"  {'statements':<14}" + "".join(f"{ours[m]:>10.3f}" for m in MEASURES))
        if others:
            best = {m: max(v[m] for v in others.values()) for m in MEASURES}
            diff = "".join(f"{ours[m] - best[m]:>+10.3f}" for m in MEASURES)
            print(f"  {'- best peer':<14}{diff}")
            below += [f"{collection} {m}" for m in MEASURES if round(ours[m], 3) < best[m]]
        sys.stdout.flush()
    print("\nbelow the best peer: " + (", ".join(below) if below else "none"))


if __name__ == "__main__":
    main()
