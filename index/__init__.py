"""The Whoosh index of `Statement` records and the capture store beside it."""
