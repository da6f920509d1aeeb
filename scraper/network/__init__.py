"""The network: polite fetching (`fetch`, with `addresses`, `robots`, `inflate` and
`response`) and the discovery of statement links in feeds, sitemaps and listing
pages (`discover`). Nothing else in the project sends a request."""
