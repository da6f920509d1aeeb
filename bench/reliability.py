"""Issue-12 figures on a large home: the facet table's open time (JSON vs the pickle
it replaced) and the query-budget table, each query in-process and as a whole
`statements search` process, with one plain word measured in the same run as the
yardstick (the machine is shared: compare ratios, not seconds).

    .venv/bin/python -m bench.reliability HOME      # a home built by `make bench` (20,000)
"""

from __future__ import annotations

import pickle
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
    from statements.index import facets
    from statements.index import home as homes
    from statements.index.library import Library

    with Library(home) as lib:
        lib.stats()  # builds the JSON table when missing
    generation = homes.current_generation(home)
    assert generation is not None
    path = sorted(generation.glob("facets-v*-*.json"))[-1]
    gen = int(path.stem.rsplit("-", 1)[-1])
    table = facets.from_json(path.read_text(encoding="utf-8"), gen)
    assert table is not None
    table.speakers = [tuple(s) for s in table.speakers]  # as the pickle held them
    table.live, table.grouped  # noqa: B018  (the old pickle held these too)
    old = pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL)  # today's format, same data
    pickled = path.with_name("bench-old-facets.pickle")
    pickled.write_bytes(old)
    wall: dict[str, list[float]] = {"pickle": [], "json": []}
    cpu: dict[str, list[float]] = {"pickle": [], "json": []}

    def load_pickle() -> None:
        with open(pickled, "rb") as fh:
            pickle.load(fh)

    def load_json() -> None:
        facets.from_json(path.read_text(encoding="utf-8"), gen)

    try:
        for _ in range(runs):  # interleaved, so both see the same load
            for name, load in (("pickle", load_pickle), ("json", load_json)):
                w, c = time.perf_counter(), time.process_time()
                load()
                wall[name].append(time.perf_counter() - w)
                cpu[name].append(time.process_time() - c)
    finally:
        pickled.unlink()
    print(f"facet table of {len(table.ids)} documents, {runs} opens each (medians):")
    med = {k: statistics.median(v) * 1000 for k, v in wall.items()}
    cmed = {k: statistics.median(v) * 1000 for k, v in cpu.items()}
    for name, size in (("pickle", len(old)), ("json", path.stat().st_size)):
        print(
            f"  {name:6} wall {med[name]:5.1f} ms  CPU {cmed[name]:5.1f} ms  ({size / 1e6:.2f} MB)"
        )
    print(
        f"  JSON - pickle: wall {med['json'] - med['pickle']:+.1f} ms, "
        f"CPU {cmed['json'] - cmed['pickle']:+.1f} ms"
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
