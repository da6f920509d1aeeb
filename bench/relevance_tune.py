"""How index/ranking.py's K1, B and title weight were chosen, and a check against over-fitting.

Indexes each collection of ../shared/relevance once in a temporary home (the
library in this process, not the CLI: the same engine, minutes faster than
`make relevance`), scores every setting of a small grid on every collection,
then cross-validates: for each way of splitting the four collections into two
to tune on and two to check on, the setting best on the first two (mean
nDCG@10 as a fraction of the best peer's) is scored on the other two, beside
the shipped defaults.

    .venv/bin/python -m bench.relevance_tune [--data DIR]
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

from bench.relevance import COLLECTIONS, default_data, peers

GRID = {"K1": (1.2, 1.6, 2.0, 2.5, 3.0), "B": (0.6, 0.75, 0.9), "TITLE": (2.0, 3.0, 5.0)}


def scorer(data: Path) -> Any:
    spec = importlib.util.spec_from_file_location("relevance_score", data / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def setting(k1: float, b: float, title: float) -> None:
    from index import ranking

    ranking.K1, ranking.B = k1, b
    ranking.WEIGHTS.update(title=title, title_ru=title)


def main() -> None:
    from index import ranking
    from index.library import Library, SearchRequest
    from scraper.record import Statement

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=default_data())
    args = ap.parse_args()
    score = scorer(args.data)
    best_peer = {
        c: max(v["nDCG@10"] for v in engines.values())
        for c, engines in peers(args.data / "README.md").items()
    }
    shipped = (ranking.K1, ranking.B, ranking.WEIGHTS["title"])
    grid = sorted(set(itertools.product(*GRID.values())) | {shipped})
    results: dict[tuple[float, float, float], dict[str, float]] = {g: {} for g in grid}
    with tempfile.TemporaryDirectory(prefix="relevance-tune-") as tmp:
        for collection in COLLECTIONS:
            folder = args.data / collection
            library = Library(Path(tmp) / collection)
            with open(folder / "corpus.jsonl", encoding="utf-8") as fh:
                library.add((Statement.from_dict(json.loads(line)), None) for line in fh)
            qrels = score.read_qrels(str(folder / "qrels.txt"))
            queries = [q for q in score.read_queries(str(folder / "queries.tsv")) if q[0] in qrels]
            for g in grid:
                setting(*g)
                run = {
                    qid: [
                        h.id
                        for h in library.search(
                            SearchRequest(query=text, limit=100, snippets=False)
                        ).hits
                    ]
                    for qid, text in queries
                }
                results[g][collection] = score.evaluate(qrels, run)[0]["nDCG@10"]
            library.close()
            print(f"{collection}: {len(grid)} settings scored", file=sys.stderr, flush=True)
    setting(*shipped)

    def ratio(g: tuple[float, float, float], cols: tuple[str, ...]) -> float:
        return sum(results[g][c] / best_peer[c] for c in cols) / len(cols)

    print("nDCG@10 of each setting (K1, B, title weight); ratio = mean fraction of the best peer")
    print("  setting            " + "".join(f"{c:>10}" for c in COLLECTIONS) + "     ratio")
    for g in sorted(grid, key=lambda g: -ratio(g, COLLECTIONS))[:12]:
        mark = "  <- shipped" if g == shipped else ""
        row = "".join(f"{results[g][c]:>10.4f}" for c in COLLECTIONS)
        print(f"  {g!s:<19}{row}{ratio(g, COLLECTIONS):>10.4f}{mark}")
    print("\ncross-validation: tuned on two collections, scored on the other two")
    for train in itertools.combinations(COLLECTIONS, 2):
        test = tuple(c for c in COLLECTIONS if c not in train)
        chosen = max(grid, key=lambda g: ratio(g, train))
        held = " ".join(f"{c} {results[chosen][c]:.4f}" for c in test)
        ship = " ".join(f"{c} {results[shipped][c]:.4f}" for c in test)
        print(f"  tune {'+'.join(train):<18} -> {chosen}: {held}   (shipped: {ship})")


if __name__ == "__main__":
    main()
