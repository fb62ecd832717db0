"""Planted bug: 404 joins the retried statuses ("the API 404s while it deploys"), so a rejected
page is asked for again until the attempts run out, and ends as SOURCE_UNAVAILABLE."""

from __future__ import annotations

import _plant

from vault.adapters import http_log_source

BUG = (http_log_source, "RETRIED_STATUSES", http_log_source.RETRIED_STATUSES | frozenset({404}))

if __name__ == "__main__":
    _plant.plant(*BUG)
    _plant.run_vault()
