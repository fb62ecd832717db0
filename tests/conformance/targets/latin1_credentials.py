"""Planted bug: the vault leaves the operator's credentials in the URL it hands to requests, which
sends them as HTTP Basic encoded in Latin-1: a password with "ü" reaches the log API as the
wrong bytes (401), and one with a character Latin-1 lacks ends the vault with an exception."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import _plant

from vault.adapters.http_log_source import HttpLogSource

_original_init = HttpLogSource.__init__


def credentials_in_the_url(
    self: HttpLogSource, session: Any, base_url: str, *args: Any, **kwargs: Any
) -> None:
    _original_init(self, session, base_url, *args, **kwargs)
    url = urlsplit(self._url)
    self._url = urlunsplit(url._replace(netloc=urlsplit(base_url).netloc))
    self._auth = None


BUG = (HttpLogSource, "__init__", credentials_in_the_url)

if __name__ == "__main__":
    _plant.plant(*BUG)
    _plant.run_vault()
