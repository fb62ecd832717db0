"""Planted bug: the log API's session follows redirects (the vault forgot allow_redirects=False
and its own refusal of a 3xx in the response hook), so a 302 leads it to another origin instead
of ending the run with SOURCE_REJECTED."""

from __future__ import annotations

from typing import Any

import _plant

from vault.adapters.http_log_source import HttpLogSource

_original_init = HttpLogSource.__init__


class FollowingRedirects:
    """The session, as a vault that left requests' default in place would use it."""

    def __init__(self, session: Any) -> None:
        self._session = session

    def get(self, url: str, **options: Any) -> Any:
        kept = {name: value for name, value in options.items() if name != "hooks"}
        return self._session.get(url, **{**kept, "allow_redirects": True})

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


def following_redirects(self: HttpLogSource, session: Any, *args: Any, **kwargs: Any) -> None:
    _original_init(self, FollowingRedirects(session), *args, **kwargs)


BUG = (HttpLogSource, "__init__", following_redirects)

if __name__ == "__main__":
    _plant.plant(*BUG)
    _plant.run_vault()
