"""Names `vulture` reports as unused (make lint) that are used where it cannot see.

vulture reads our source only. Each name below is read by Whoosh, by Python itself or
by the user, or is public API that the tests pin; the comment says which. A name that
is simply dead is deleted, not listed here. The file is read by vulture, never run.
"""

# Whoosh's analyser protocol: the schema asks a field's analyser whether it stems, and a
# token carries `stopped` for Whoosh's own filters.
_.is_morph  # FastAnalyzer
_.stopped
_.original  # keeporiginal: Whoosh's highlighter asks for the word as written

# index/lazy.py builds a module object by hand: the import system reads these.
_.__spec__
_.__loader__

# Every key of `statements stats` is printed as it is (README, "stats").
_.first_date
_.last_date
_.undated
_.index_bytes
_.capture_bytes

# `--sort oldest`: typer offers the enum's members as the option's choices.
_.oldest  # search/options.Sort

# Whoosh's segment writer calls these on the pool and writer classes it is given.
_.iter_postings  # segments.TermPool
_.cleanup  # segments.TermPool
_._flush_segment  # the segment writer in segments.py

# The redirect chain of a fetch is part of the Response record (tests/test_fetch.py).
_.redirects

# Not used by the extractor today (turn labels resolve through scraper/people); kept
# with its test, tests/test_extract_parts.py, which issue 13 keeps unchanged.
_.resolve_initials  # scraper/extract.py

# The scraper's public entry point for a saved page file (listed in scraper/extract.py's
# docstring; the tests and tests/reliability_helpers.py call it). The index reads the
# file's bytes once itself (extract.read_page) and keeps them as the capture.
_.extract_file  # scraper/extract.py
