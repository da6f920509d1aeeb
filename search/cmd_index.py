"""`statements add / search / show / stats / remove / reindex` over the local index."""
