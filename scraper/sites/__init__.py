"""Site knowledge as data: one declarative `SiteProfile` per publisher.

`profile` defines what a profile holds, one module per publisher defines its
`PROFILE`, and `registry` lists them and finds the one for a page.
"""
