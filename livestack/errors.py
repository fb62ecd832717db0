"""The one error the live stack raises when a server cannot start."""

from __future__ import annotations


class LiveStackError(RuntimeError):
    """A server of the live stack could not start. The message is one line: which server, and
    how to fix it, so that a live run stops with that line instead of an error per scenario."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))  # one line, whatever a cause's text holds
