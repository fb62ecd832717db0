"""A vault without paging: it archives the first page and ignores its next_cursor. Its target file
says it lacks paging, so the kit skips every scenario that needs paging, naming it, and holds
it to the rest: it must pass them all."""

from __future__ import annotations

from datetime import datetime

import _plant

from vault.results import RunResult
from vault.service import VaultService

_original_pull_page = VaultService._pull_page


def pull_first_page_only(
    self: VaultService, cursor: str | None, result: RunResult, run_time: datetime
) -> None:
    _original_pull_page(self, cursor, result, run_time)
    # No next page: the cursor is dropped.


BUG = (VaultService, "_pull_page", pull_first_page_only)

if __name__ == "__main__":
    _plant.plant(*BUG)
    _plant.run_vault()
