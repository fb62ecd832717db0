"""Planted bug: an archived page's key is made from the wall clock in milliseconds, not from the
SHA-256 of its bytes (as the assignment's template did), so every run archives the same payload
again under a new key: objects duplicate, and keys say nothing of the bytes."""

from __future__ import annotations

import time
from functools import cached_property

import _plant

from vault.payload import Page


def key_from_the_clock(self: Page) -> str:
    return f"logs/{time.time_ns() // 1_000_000}.json"  # the real clock: no test hook reaches it


key = cached_property(key_from_the_clock)  # one key per page, as the template kept it
key.__set_name__(Page, "key")
BUG = (Page, "key", key)

if __name__ == "__main__":
    _plant.plant(*BUG)
    _plant.run_vault()
