"""`python -m statements`: the same command as the `statements` console script.

The three packages install as `statements.scraper`, `statements.index` and
`statements.search` (pyproject.toml maps the folders), so the project claims one
top-level name; this file is that namespace's `__main__`."""

from statements.search.console import main

main()
