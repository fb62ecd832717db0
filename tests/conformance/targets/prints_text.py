"""Planted bug: a progress line left on standard output ("archived logs/....json"), so stdout of a
run that archives anything is no longer exactly one JSON object: the vault breaks its contract,
which the kit reports as an error, not as a failure."""

from __future__ import annotations

from datetime import datetime

import _plant

from vault.payload import Page
from vault.results import ArchivedPage
from vault.service import VaultService

_original_archive_and_audit = VaultService._archive_and_audit


def archive_and_audit_saying_so(self: VaultService, page: Page, run_time: datetime) -> ArchivedPage:
    archived = _original_archive_and_audit(self, page, run_time)
    print(f"archived {archived.key} ({archived.log_count} entries)")  # meant for stderr
    return archived


BUG = (VaultService, "_archive_and_audit", archive_and_audit_saying_so)

if __name__ == "__main__":
    _plant.plant(*BUG)
    _plant.run_vault()
