"""Fetch statement pages and turn them into clean, attributed `Statement` records."""
