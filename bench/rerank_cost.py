"""What index/rerank.py costs per search: CPU time with and without it, at 20,000 documents.

Builds the benchmark's 20,000-document set (bench/dataset.py) into --home
unless an index is already there, then runs each query class in process,
warm, with feedback and proximity off (BM25F alone) and on (the shipped
settings), and prints the median CPU milliseconds per search (CPU time, not
wall time: the machine is shared). Searches are as the CLI runs them: limit 10,
snippets on.

    .venv/bin/python -m bench.rerank_cost [--home DIR] [--size 20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

QUERIES = {
    "one word": ["security", "sanctions", "vaccine", "nuclear", "energy", "border"],
    "two words": ["nuclear weapons", "human rights", "climate change", "energy security"],
    "three words": ["nuclear arms control", "human rights violations", "climate change summit"],
    "sentence (8-15 words)": [
        "the united states condemns the attack on civilians and calls for a ceasefire",
        "what did the president say about sanctions against russia after the invasion",
        "support for ukraine energy infrastructure during the winter",
        "the minister discussed trade and investment with his counterpart in beijing",
        "negotiations on the new strategic arms reduction treaty between russia and america",
    ],
}


def cpu_ms(library: object, query: str, repeat: int) -> float:
    from statements.index.library import Library
    from statements.index.models import SearchRequest

    assert isinstance(library, Library)
    request = SearchRequest(query=query, limit=10)
    library.search(request)  # warm: the same posting lists as the timed runs
    times = []
    for _ in range(repeat):
        t = time.process_time()
        library.search(request)
        times.append((time.process_time() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    from bench.dataset import base_records, scaled
    from statements.index import rerank
    from statements.index.library import Library

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--home", type=Path, help="an index to reuse (built there if empty)")
    ap.add_argument("--size", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="rerank-cost-"))
    library = Library(home)
    if not library.ids():
        library.add((r, None) for r in scaled(base_records(), args.size))
    shipped = (rerank.LAMBDA, rerank.PROXIMITY_WEIGHT)
    print(f"{len(library.ids())} documents; median CPU ms per search (limit 10, snippets)")
    print(f"  {'query':<24}{'BM25F alone':>12}{'reranked':>10}{'+ms':>8}")
    for name, queries in QUERIES.items():
        off, on = [], []
        for query in queries:
            rerank.LAMBDA, rerank.PROXIMITY_WEIGHT = 0.0, 0.0
            off.append(cpu_ms(library, query, args.repeat))
            rerank.LAMBDA, rerank.PROXIMITY_WEIGHT = shipped
            on.append(cpu_ms(library, query, args.repeat))
        a, b = statistics.median(off), statistics.median(on)
        print(f"  {name:<24}{a:>12.1f}{b:>10.1f}{b - a:>+8.1f}")
    library.close()


if __name__ == "__main__":
    main()
