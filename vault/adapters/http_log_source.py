"""The log API over HTTP, with ``requests``."""

from __future__ import annotations

import requests

from vault.errors import PayloadTooLarge, SourceRejected, TransientSourceError
from vault.ports import LogSource

_CHUNK = 64 * 1024
# Answers worth another attempt: throttling and server errors that usually pass.
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})


class HttpLogSource(LogSource):
    """``GET <base_url>/logs[?cursor=<token>]`` through an injected ``requests.Session``."""

    def __init__(
        self,
        session: requests.Session,
        base_url: str,
        timeout: tuple[float, float] = (5.0, 30.0),
    ) -> None:
        self._session = session
        self._url = base_url.rstrip("/") + "/logs"
        self._timeout = timeout

    def fetch_page(self, cursor: str | None, max_bytes: int) -> bytes:
        # The cursor travels as a query parameter, so requests percent-encodes it.
        params = {"cursor": cursor} if cursor is not None else None
        try:
            # No redirect is followed: a 3xx is an answer like any other non-200 one, so a
            # redirect can never lead the vault to another origin or scheme.
            with self._session.get(
                self._url, params=params, timeout=self._timeout, stream=True, allow_redirects=False
            ) as response:
                status = response.status_code
                if status in RETRIED_STATUSES:
                    raise TransientSourceError(
                        f"HTTP {status} from {self._url}",
                        retry_after=_retry_after_seconds(response.headers.get("Retry-After")),
                    )
                if status != 200:
                    raise SourceRejected(_rejection(status, response, self._url), status=status)
                return _read_limited(response, max_bytes)
        except requests.Timeout as exc:
            raise TransientSourceError(f"timeout: {self._url} timed out ({exc})") from exc
        except requests.ConnectionError as exc:
            raise TransientSourceError(
                f"dropped connection: {self._url} closed or refused the connection ({exc})"
            ) from exc
        except requests.exceptions.ChunkedEncodingError as exc:
            raise TransientSourceError(
                f"dropped connection: {self._url} closed the connection mid-body ({exc})"
            ) from exc


def _rejection(status: int, response: requests.Response, url: str) -> str:
    if 300 <= status < 400:
        target = response.headers.get("Location", "nowhere")
        return f"HTTP {status} redirect from {url} to {target}: the vault follows no redirect"
    return f"HTTP {status} from {url}"


def _read_limited(response: requests.Response, max_bytes: int) -> bytes:
    """Read at most ``max_bytes`` of the body; never buffer more than one chunk past it."""
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge(
            f"the log API declared {declared} bytes (Content-Length), "
            f"over the limit of {max_bytes} bytes"
        )
    body = bytearray()
    for chunk in response.iter_content(chunk_size=_CHUNK):
        body += chunk
        if len(body) > max_bytes:
            raise PayloadTooLarge(
                f"the body is over the limit of {max_bytes} bytes "
                f"(stopped reading at {len(body)} bytes)"
            )
    return bytes(body)


def _retry_after_seconds(value: str | None) -> float | None:
    """Retry-After in delta-seconds; an HTTP-date or garbage falls back to the backoff."""
    if value is None:
        return None
    value = value.strip()
    return float(value) if value.isdigit() else None
