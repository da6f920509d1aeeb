"""People: who a page says is speaking, as one canonical name each.

In the order a name goes through them: `vocabulary` (the word lists, data in
scraper/data/vocabularies.json), `normalise` (the words of a printed name),
`aliases` (the table of spellings, scraper/data/aliases.tsv), `person` (one
phrase as a person), `titles` (titles, author lines, person tags), `turns`
(a transcript split by who speaks), `offices` (who held a post on a date,
scraper/data/office_holders.tsv) and `document_names` (the names of one
document settled against each other).
"""
