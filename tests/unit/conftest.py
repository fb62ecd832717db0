"""Fixtures for the unit tests."""

from __future__ import annotations

import pytest

from vault import redaction


@pytest.fixture(autouse=True)
def _fresh_redaction_cache() -> None:
    """Each test starts with the redaction patterns uncompiled, as a fresh ``python -m vault``
    does. A pattern another test left in the cache would hide what builds it: under mutmut,
    whose runs fork from a process that has run the whole suite once, no mutant of
    ``_character`` or ``_either_case`` would ever run."""
    redaction._spellings.cache_clear()
