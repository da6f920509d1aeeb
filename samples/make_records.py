"""How samples/records.jsonl is made from ../shared/corpus (run it again after an
extractor change: the file holds the extractor's output, not the corpus's).

Run from the repository root: `.venv/bin/python samples/make_records.py [CORPUS]`.

The records are the ones the file already holds, found by URL in the corpus's
record sets (`*/records.jsonl`); the seeded sample that first chose them is in
samples/SOURCES.md. Each goes through `statements.scraper.extract.extract_record`,
as `statements extract --format jsonl` would print the record saved as a `.json`
page: the site's banners cleaned off, speakers, type, date, language and turns
found by the current extractor. `statements add samples/` then reads each line
through `record_from_jsonl`; the script checks that this keeps every record as
written, so the index holds what the file says.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from statements.scraper.extract import extract_record
from statements.scraper.jsonl import record_from_jsonl

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "samples" / "records.jsonl"


def corpus_records(corpus: Path) -> dict[str, dict[str, Any]]:
    """Every record of the corpus's record sets by URL (the first one of a URL)."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(corpus.glob("*/records.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                data = json.loads(line)
                found.setdefault(data.get("url") or "", data)
    return found


def main(corpus: Path) -> None:
    with OUT.open(encoding="utf-8") as fh:
        urls = [json.loads(line)["url"] for line in fh if line.strip()]
    by_url = corpus_records(corpus)
    missing = [u for u in urls if u not in by_url]
    if missing:
        sys.exit(f"not in {corpus}: {', '.join(missing)}")
    lines = []
    for url in urls:
        record = extract_record(by_url[url], name=url)
        if record_from_jsonl(record.to_dict()) != record:
            sys.exit(f"{url}: `statements add` would not keep this record as written")
        lines.append(record.to_json())
    OUT.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    print(f"{len(lines)} records written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus")
