"""The benchmark's queries, drawn from the corpus vocabulary with a fixed seed.

Hand-picked queries flatter whoever picks them, and eight queries make no
p95. So every kind gets `n` queries sampled from the base records:

- words: letters only, 3+ characters, in between 1% and 20% of the records
  (the words a reader searches for: no stop words, no one-off names);
- two words and phrases: adjacent pairs of such words (each under 30% of the
  records), found together in at least 0.5% of the records, so that the phrase
  exists and the pair is one a user would type;
- said-by: the four speakers with turns in the most records, each with words
  they themselves say in at least 3 of their records.

The same corpus and seed give the same queries on every machine.
"""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from dataclasses import dataclass, field

from statements.scraper.record import Statement

WORD = re.compile(r"[^\W\d_]{3,}")
# stretches of words separated by spaces only: a pair inside one is a phrase
RUN = re.compile(r"[^\W\d_]+(?:[ \t]+[^\W\d_]+)+")
OPERATORS = {"and", "or", "not", "near"}


@dataclass
class Queries:
    words: list[str] = field(default_factory=list)
    pairs: list[str] = field(default_factory=list)  # "a b": two words, or a phrase quoted
    said_by: list[tuple[str, str]] = field(default_factory=list)  # (speaker, word)


def _words(text: str) -> set[str]:
    return {w for w in WORD.findall(text.lower()) if w not in OPERATORS}


def draw(records: list[Statement], n: int = 24, seed: int = 11) -> Queries:
    """`n` queries of each kind (fewer only if the corpus has fewer)."""
    rng = random.Random(seed)
    docs = len(records)
    df: Counter[str] = Counter()
    pair_df: Counter[str] = Counter()
    for r in records:
        df.update(_words(f"{r.title}\n{r.text}"))
        adjacent: set[tuple[str, str]] = set()
        for run in RUN.findall(r.text.lower()):
            adjacent.update(itertools.pairwise(run.split()))
        pair_df.update(f"{a} {b}" for a, b in adjacent)
    words = sorted(w for w, c in df.items() if 0.01 * docs <= c <= 0.20 * docs)
    common = {w for w, c in df.items() if c > 0.30 * docs}
    pairs = sorted(
        p
        for p, c in pair_df.items()
        if c >= 0.005 * docs
        and all(len(w) >= 3 and w not in common and w not in OPERATORS for w in p.split())
    )
    out = Queries(
        words=rng.sample(words, min(n, len(words))), pairs=rng.sample(pairs, min(n, len(pairs)))
    )

    spoke: Counter[str] = Counter()
    vocab: dict[str, Counter[str]] = {}
    for r in records:
        by: dict[str, set[str]] = {}
        for t in r.turns:
            if t.speaker:
                by.setdefault(t.speaker, set()).update(_words(t.text))
        for who, ws in by.items():
            spoke[who] += 1
            vocab.setdefault(who, Counter()).update(ws)
    speakers = [s for s, _ in sorted(spoke.items(), key=lambda kv: (-kv[1], kv[0]))[:4]]
    for i, who in enumerate(speakers):
        own = sorted(
            w for w, c in vocab[who].items() if c >= 3 and len(w) >= 4 and 0 < df[w] <= 0.20 * docs
        )
        k = n // len(speakers) + (1 if i < n % len(speakers) else 0)
        out.said_by += [(who, w) for w in rng.sample(own, min(k, len(own)))]
    return out
