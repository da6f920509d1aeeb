"""Shared fixtures: paths to the trimmed real pages kept in tests/pages."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
PAGES = TESTS / "pages"
SHARED = TESTS.parent.parent / "shared"


@pytest.fixture
def pages_dir() -> Path:
    return PAGES
