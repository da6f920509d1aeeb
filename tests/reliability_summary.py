"""Print what `make reliability` ran: per case, runs, failures and time, from pytest's
JUnit XML, followed by the counts the tests print (kills landed, reads and writes,
budget timings). Usage: python tests/reliability_summary.py RESULTS.xml"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections import defaultdict


def main(path: str) -> int:
    root = ET.parse(path).getroot()
    groups: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0.0])
    notes: list[str] = []
    for case in root.iter("testcase"):
        name = case.get("name", "")
        group = f"{case.get('classname', '').rsplit('.', 1)[-1]}::{name.split('[', 1)[0]}"
        row = groups[group]
        skipped = case.find("skipped") is not None
        failed = case.find("failure") is not None or case.find("error") is not None
        row[0] += 0 if skipped else 1
        row[1] += 1 if failed else 0
        row[2] += 1 if skipped else 0
        row[3] += float(case.get("time", 0))
        out = case.find("system-out")
        if out is not None and out.text:
            notes += [
                f"  {line}"
                for line in out.text.splitlines()
                if line.strip() and not line.startswith("-----")
            ]
    width = max(len(g) for g in groups) if groups else 10
    print(f"\n{'case':<{width}}  runs  failed  skipped  seconds")
    total = [0, 0, 0, 0.0]
    for group, (runs, failed, skipped, secs) in sorted(groups.items()):
        print(f"{group:<{width}}  {runs:4.0f}  {failed:6.0f}  {skipped:7.0f}  {secs:7.1f}")
        total = [total[0] + runs, total[1] + failed, total[2] + skipped, total[3] + secs]
    print(f"{'all':<{width}}  {total[0]:4.0f}  {total[1]:6.0f}  {total[2]:7.0f}  {total[3]:7.1f}")
    if notes:
        print("\nwhat the tests measured:")
        print("\n".join(notes))
    return 1 if total[1] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
