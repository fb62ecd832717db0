"""Loopback helpers shared by the live stack's servers."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Callable

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A loopback port that nothing listens on (bound, then closed at once)."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def wait_for_port(
    port: int, deadline_seconds: float, alive: Callable[[], bool] = lambda: True
) -> bool:
    """True once something accepts connections on the loopback port; False at the deadline or
    as soon as `alive()` says the server is gone."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline and alive():
        try:
            socket.create_connection((LOOPBACK, port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.02)  # the server process is still starting
    return False


def cut(connection: socket.socket) -> None:
    """Close a connection so that the peer sees it end at once (FIN), not a silent hang."""
    with contextlib.suppress(OSError):  # the peer may have gone away first
        connection.shutdown(socket.SHUT_RDWR)
    connection.close()
