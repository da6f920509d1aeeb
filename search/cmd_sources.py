"""`statements sources ...` and `statements update`: follow publishers' feeds and listings."""
