"""Issue-12 figures on a large home: the facet table's open time and the query-budget
table, each query in-process and as a whole `statements search` process, with one
plain word measured in the same run as the yardstick (the machine is shared: compare
ratios, not seconds).

    .venv/bin/python -m bench.reliability HOME      # a home built by `make bench` (20,000)
"""

from __future__ import annotations

import statistics
import string
import subprocess
import sys
import time
from pathlib import Path

QUERIES = {
    "one word (yardstick)": "security",
    "*a* *e*": "*a* *e*",
    "*a* *b* ... *z*": " ".join(f"*{c}*" for c in string.ascii_lowercase),
    "1,000-term OR": " OR ".join(
        [f"w{n}" for n in range(990)]
        + [
            "security",
            "peace",
            "minister",
            "president",
            "nuclear",
            "weapons",
            "trade",
            "sanctions",
            "war",
            "economy",
        ]
    ),
    "300 parentheses": "(" * 300 + "security" + ")" * 300,
    "5,000 NOTs": "NOT " * 5000 + "security",
}


def facet_open(home: Path, runs: int = 60) -> None:
    """The open time of the facet table from its cache file (the step of every search)."""
    from statements.index import home as homes
    from statements.index.facets import load_or_build
    from statements.index.library import Library
    from statements.index.writer import open_indexes

    with Library(home) as lib:
        lib.stats()  # builds the cache file when missing
    generation = homes.current_generation(home)
    assert generation is not None
    wall: list[float] = []
    cpu: list[float] = []
    with open_indexes(generation)[0].reader() as reader:
        for _ in range(runs):
            w, c = time.perf_counter(), time.process_time()
            table = load_or_build(generation, reader)
            wall.append(time.perf_counter() - w)
            cpu.append(time.process_time() - c)
    size = sum(p.stat().st_size for p in generation.glob("facets-*"))
    print(f"facet table of {len(table.ids)} documents, {runs} opens (medians):")
    print(
        f"  wall {statistics.median(wall) * 1000:5.2f} ms  "
        f"CPU {statistics.median(cpu) * 1000:5.2f} ms  ({size / 1e6:.2f} MB)"
    )


def budget_table(home: Path) -> None:
    from statements.index.library import Library
    from statements.index.models import SearchRequest

    print("\n| query | in-process | whole command | answer |\n|---|---|---|---|")
    with Library(home) as lib:
        lib.search(SearchRequest(query="security"))  # opened and warm
        for name, query in QUERIES.items():
            began = time.perf_counter()
            try:
                answer = f"{lib.search(SearchRequest(query=query)).total} hits"
            except Exception as exc:  # the budget's own errors are the answer here
                answer = f"{type(exc).__name__}: {str(exc)[:60]}..."
            inner = time.perf_counter() - began
            began = time.perf_counter()
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "statements.search.cli",
                    "search",
                    query,
                    "--home",
                    str(home),
                ],
                capture_output=True,
                text=True,
                timeout=600,
            )
            outer = time.perf_counter() - began
            print(f"| {name} | {inner:.2f} s | {outer:.2f} s (exit {done.returncode}) | {answer} |")


if __name__ == "__main__":
    target = Path(sys.argv[1])
    facet_open(target)
    budget_table(target)
