"""How index/rerank.py's settings were chosen, with each collection held out in turn.

Indexes each collection of ../shared/relevance once in a temporary home (the
library in this process, not the CLI: the same engine, minutes faster than
`make relevance`) and scores every setting of a small grid (feedback weight
LAMBDA, proximity weight and window) on every collection, all three measures.
Then leave-one-collection-out cross-validation: for each collection, the
setting best on the other three (mean of nDCG@10, R@100 and MRR@10 as
fractions of the best peer's) is scored on the one held out. The held-out
figures are what to expect on a collection the settings never saw.

    .venv/bin/python -m bench.relevance_tune [--data DIR] [--save FILE] [--load FILE...]

`--collections` with `--save` scores some collections (to run two at once);
`--load` merges saved scores and prints the tables without searching.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.relevance import COLLECTIONS, MEASURES, default_data, peers

LAMBDAS = (0.0, 0.1, 0.2, 0.3)
PROXIMITY_WEIGHTS = (0.0, 0.1, 0.2, 0.4)
WINDOWS = (1, 3)
Setting = tuple[float, float, int]  # (LAMBDA, PROXIMITY_WEIGHT, PROXIMITY_WINDOW)


def scorer(data: Path) -> Any:
    spec = importlib.util.spec_from_file_location("relevance_score", data / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def apply(setting: Setting) -> None:
    from statements.index import rerank

    rerank.LAMBDA, rerank.PROXIMITY_WEIGHT, rerank.PROXIMITY_WINDOW = setting


def shipped() -> Setting:
    from statements.index import rerank

    return (rerank.LAMBDA, rerank.PROXIMITY_WEIGHT, rerank.PROXIMITY_WINDOW)


def measure(data: Path, collections: list[str], grid: list[Setting]) -> dict[str, Any]:
    """collection -> str(setting) -> [nDCG@10, R@100, MRR@10]."""
    from statements.index.library import Library
    from statements.index.models import SearchRequest
    from statements.scraper.record import Statement

    score = scorer(data)
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="relevance-tune-") as tmp:
        for collection in collections:
            folder = data / collection
            library = Library(Path(tmp) / collection)
            with open(folder / "corpus.jsonl", encoding="utf-8") as fh:
                library.add((Statement.from_dict(json.loads(line)), None) for line in fh)
            qrels = score.read_qrels(str(folder / "qrels.txt"))
            queries = [q for q in score.read_queries(str(folder / "queries.tsv")) if q[0] in qrels]
            out[collection] = {}
            for g in grid:
                apply(g)
                run = {
                    qid: [
                        h.id
                        for h in library.search(
                            SearchRequest(query=text, limit=100, snippets=False)
                        ).hits
                    ]
                    for qid, text in queries
                }
                means = score.evaluate(qrels, run)[0]
                out[collection][str(g)] = [means[m] for m in MEASURES]
            library.close()
            print(f"{collection}: {len(grid)} settings scored", file=sys.stderr, flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=default_data())
    ap.add_argument("--collections", nargs="+", default=list(COLLECTIONS))
    ap.add_argument("--save", type=Path, help="write the scores to this JSON file")
    ap.add_argument("--load", type=Path, nargs="+", help="print from saved scores")
    ap.add_argument("--worst", action="store_true", help="choose by the lowest fraction")
    args = ap.parse_args()
    ship = shipped()
    grid = sorted(set(itertools.product(LAMBDAS, PROXIMITY_WEIGHTS, WINDOWS)) | {ship})
    if args.load:
        results: dict[str, Any] = {}
        for path in args.load:
            results.update(json.loads(path.read_text(encoding="utf-8")))
    else:
        results = measure(args.data, args.collections, grid)
        apply(ship)
    if args.save:
        args.save.write_text(json.dumps(results, indent=1), encoding="utf-8")
    cols = [c for c in COLLECTIONS if c in results]
    table = peers(args.data / "README.md")
    best = {c: [max(v[m] for v in table[c].values()) for m in MEASURES] for c in cols}

    def ratio(g: Setting, among: list[str]) -> float:
        """The mean of the figures as fractions of the best peer's; with --worst, the
        lowest of them (the goal: at or above the best peer on every figure), the
        mean breaking ties."""
        fractions = [
            results[c][str(g)][i] / best[c][i] for c in among for i in range(len(MEASURES))
        ]
        mean = sum(fractions) / len(fractions)
        return min(fractions) + mean / 1000 if args.worst else mean

    def row(g: Setting, c: str) -> str:
        return "/".join(
            f"{v:.3f}{'' if round(v, 3) >= b else '-'}"
            for v, b in zip(results[c][str(g)], best[c], strict=True)
        )

    print("(LAMBDA, PROXIMITY_WEIGHT, PROXIMITY_WINDOW): nDCG@10/R@100/MRR@10 per collection")
    print("('-': below the best peer); ratio: figures as fractions of the best peer's, mean")
    print("(--worst: lowest, + mean / 1000)")
    for g in [*sorted(grid, key=lambda g: -ratio(g, cols))[:10], ship]:
        mark = "  <- shipped" if g == ship else ""
        print(f"  {g!s:<16} " + "  ".join(f"{c[:4]} {row(g, c)}" for c in cols), end="")
        print(f"  {ratio(g, cols):.4f}{mark}")
    if len(cols) < 2:
        return
    print("\nleave one collection out: tuned on the other three, scored on the one held out")
    for held in cols:
        train = [c for c in cols if c != held]
        chosen = max(grid, key=lambda g: ratio(g, train))
        print(
            f"  held out {held:<10} chosen {chosen!s:<16} {row(chosen, held)}"
            f"   (best peer {'/'.join(f'{b:.3f}' for b in best[held])};"
            f" shipped {row(ship, held)}; BM25F alone {row((0.0, 0.0, 3), held)})"
        )


if __name__ == "__main__":
    main()
