"""Planted bug: no deadline on a log API request (requests' default, timeout=None), so an API
that stops answering, or trickles its body, holds the run until the suite stops it."""

from __future__ import annotations

from typing import Any

import _plant

from vault.adapters.http_log_source import HttpLogSource

_original_init = HttpLogSource.__init__


def without_deadline(self: HttpLogSource, *args: Any, **kwargs: Any) -> None:
    _original_init(self, *args, **kwargs)
    self._timeout = None  # type: ignore[assignment]
    self._deadline = float("inf")  # the worker is waited for as long as it takes


BUG = (HttpLogSource, "__init__", without_deadline)

if __name__ == "__main__":
    _plant.plant(*BUG)
    _plant.run_vault()
