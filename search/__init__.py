"""The `statements` command line."""
