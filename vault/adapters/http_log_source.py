"""The log API over HTTP, with ``requests``."""

from __future__ import annotations

import base64
import re
import socket
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any
from urllib.parse import unquote_to_bytes, urlencode, urlsplit, urlunsplit

import requests
import requests.auth
import urllib3.exceptions

from vault.errors import PayloadTooLarge, SourceRejected, TransientSourceError
from vault.payload import quoted
from vault.ports import LogSource

_CHUNK = 64 * 1024
# Answers worth another attempt: throttling and server errors that usually pass.
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
_DIGITS = re.compile(r"[0-9]+")  # ASCII only: str.isdigit() accepts "²", which int() refuses


class HttpLogSource(LogSource):
    """``GET <base_url>/logs[?<base query>&cursor=<token>]`` through an injected session.

    ``timeout`` is (connect, per read) for the socket; ``deadline`` (by default the read
    timeout) bounds the whole request, body included, so a trickle cannot hold a page forever.
    """

    def __init__(
        self,
        session: requests.Session,
        base_url: str,
        timeout: tuple[float, float] = (5.0, 30.0),
        deadline: float | None = None,
    ) -> None:
        self._session = session
        base = urlsplit(base_url)
        path = base.path.rstrip("/") + "/logs"
        userinfo, at, address = base.netloc.rpartition("@")
        self._url = urlunsplit((base.scheme, address, path, "", ""))
        self._query = base.query
        # The userinfo's credentials, sent as HTTP Basic: the bytes the operator percent-encoded
        # (UTF-8, as RFC 7617 has it). Left in the URL, requests would encode them as Latin-1:
        # a wrong "ü", and a UnicodeEncodeError for any character Latin-1 lacks.
        user, _, password = userinfo.partition(":")
        self._auth = _BasicAuth(unquote_to_bytes(user), unquote_to_bytes(password)) if at else None
        # What messages name: no userinfo, no query (they may hold credentials).
        host = base.hostname or ""
        host = f"[{host}]" if ":" in host else host
        port = f":{base.port}" if base.port else ""
        self._where = urlunsplit((base.scheme, host + port, path, "", ""))
        self._timeout = timeout
        self._deadline = timeout[1] if deadline is None else deadline

    def fetch_page(self, cursor: str | None, max_bytes: int) -> bytes:
        query = "&".join(
            part
            for part in (self._query, urlencode({"cursor": cursor}) if cursor is not None else "")
            if part
        )
        url = f"{self._url}?{query}" if query else self._url
        request = _Request(lambda running: self._get(url, max_bytes, running))
        # The request runs in a worker so that one deadline bounds all of it: connecting, the
        # headers and every byte of the body. A late worker is abandoned and its socket shut.
        worker = threading.Thread(target=request.run, name="vault-log-api", daemon=True)
        worker.start()
        _join_interruptibly(worker, self._deadline)
        if worker.is_alive():
            request.abandon()
            raise TransientSourceError(
                f"timeout: the log API at {self._where} did not send the whole page "
                f"within {self._deadline:g} s (timed out)"
            )
        return request.outcome()

    def _get(self, url: str, max_bytes: int, request: _Request) -> bytes:
        def answered(response: requests.Response, *_: Any, **__: Any) -> None:
            """requests' response hook: the headers are in, and nothing else has been done."""
            request.response = response  # from now on, abandon() can shut its socket
            if response.is_redirect:
                # Refused here, before requests works out where the redirect would lead (which
                # it does even when it follows none): that reads the whole body, however large
                # or slow, and parses the Location ("http://[::1" raised ValueError). A 3xx
                # requests would not follow (a 300, no Location) is refused below as it is.
                response.close()
                status = response.status_code
                raise SourceRejected(_rejection(status, response, self._where), status=status)

        try:
            # No redirect is followed: a 3xx is an answer like any other non-200 one, so a
            # redirect can never lead the vault to another origin or scheme. (The request's
            # response hooks replace the session's; the vault's session has none.)
            with self._session.get(
                url,
                timeout=self._timeout,
                auth=self._auth,
                stream=True,
                allow_redirects=False,
                hooks={"response": answered},
            ) as response:
                status = response.status_code
                if status in RETRIED_STATUSES:
                    raise TransientSourceError(
                        f"HTTP {status} from {self._where}",
                        retry_after=_retry_after_seconds(response.headers.get("Retry-After")),
                    )
                if status != 200:
                    raise SourceRejected(_rejection(status, response, self._where), status=status)
                return self._read_limited(response, max_bytes, request.abandoned)
        except (requests.Timeout, urllib3.exceptions.TimeoutError) as exc:
            raise TransientSourceError(
                f"timeout: the log API at {self._where} timed out ({exc})"
            ) from exc
        except (requests.ConnectionError, urllib3.exceptions.ProtocolError) as exc:
            raise TransientSourceError(
                f"dropped connection: the log API at {self._where} dropped the connection "
                f"or refused it ({exc})"
            ) from exc
        except requests.exceptions.ChunkedEncodingError as exc:
            raise TransientSourceError(
                f"dropped connection: the log API at {self._where} dropped the connection "
                f"mid-body ({exc})"
            ) from exc
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            # Not HTTP as the standard knows it (two Content-Lengths, a bad encoding, ...).
            raise SourceRejected(f"malformed answer from {self._where}: {exc}", status=0) from exc

    def _read_limited(
        self, response: requests.Response, max_bytes: int, abandoned: threading.Event
    ) -> bytes:
        """Read at most ``max_bytes`` of the body; never buffer more than one chunk past it."""
        declared = response.headers.get("Content-Length")
        if declared is not None and not _DIGITS.fullmatch(declared.strip()):
            raise SourceRejected(
                f"HTTP 200 from {self._where} with an invalid Content-Length {quoted(declared)}",
                status=200,
            )
        if declared is not None and _over(declared.strip(), max_bytes):
            # Any number of digits is a valid Content-Length (RFC 9110, 8.6): one too long for
            # int() declares a body over any limit, so it is too large, not malformed.
            raise PayloadTooLarge(
                f"the log API declared {_shown(declared.strip())} bytes (Content-Length), "
                f"over the limit of {max_bytes} bytes"
            )
        body = bytearray()
        # read1: whatever has arrived, so that an abandoned request stops at the next byte.
        while chunk := response.raw.read1(_CHUNK, decode_content=True):
            if abandoned.is_set():
                raise _Abandoned
            body += chunk
            if len(body) > max_bytes:
                raise PayloadTooLarge(
                    f"the body is over the limit of {max_bytes} bytes "
                    f"(stopped reading at {len(body)} bytes)"
                )
        return bytes(body)


class _BasicAuth(requests.auth.AuthBase):
    """HTTP Basic credentials given as bytes, sent as they are."""

    def __init__(self, user: bytes, password: bytes) -> None:
        self._header = "Basic " + base64.b64encode(user + b":" + password).decode("ascii")

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = self._header
        return request


class _Abandoned(Exception):
    """The deadline passed: the worker stops, and nobody reads what it raises."""


# How long the caller's thread waits at a time for the worker. The kernel may hand Ctrl-C (SIGINT)
# to the worker's thread; Python then runs its handler in the main thread only when that thread
# next wakes, which a single wait for the whole deadline would put off until the deadline.
_JOIN_SLICE_SECONDS = 0.05


def _join_interruptibly(worker: threading.Thread, seconds: float) -> None:
    """``worker.join(seconds)``, waking every _JOIN_SLICE_SECONDS, so that a signal delivered to
    any thread raises in the caller's at once (KeyboardInterrupt: Ctrl-C stops the vault)."""
    end = time.monotonic() + seconds
    while worker.is_alive():
        left = end - time.monotonic()
        if left <= 0:
            return
        worker.join(min(left, _JOIN_SLICE_SECONDS))


class _Request:
    """One request in its worker: what it returned or raised, and how to abandon it."""

    def __init__(self, get: Callable[[_Request], bytes]) -> None:
        self._get = get
        self.abandoned = threading.Event()
        self.response: requests.Response | None = None
        self._body: bytes | None = None
        self._error: BaseException | None = None

    def run(self) -> None:
        try:
            self._body = self._get(self)
        except BaseException as error:  # handed over to the caller's thread
            self._error = error

    def outcome(self) -> bytes:
        if self._error is not None:
            raise self._error
        assert self._body is not None
        return self._body

    def abandon(self) -> None:
        self.abandoned.set()
        # "is not None": a Response's truth is its .ok, false for any status over 399.
        response = self.response
        connection = getattr(response.raw, "connection", None) if response is not None else None
        sock = getattr(connection, "sock", None)
        if isinstance(sock, socket.socket):
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes the worker from a blocked read


def _rejection(status: int, response: requests.Response, url: str) -> str:
    if 300 <= status < 400:
        target = response.headers.get("Location", "nowhere")
        return f"HTTP {status} redirect from {url} to {target}: the vault follows no redirect"
    return f"HTTP {status} from {url}"


def _retry_after_seconds(value: str | None) -> float | None:
    """Retry-After in delta-seconds; an HTTP-date or garbage falls back to the backoff."""
    if value is None:
        return None
    value = value.strip()
    return float(value) if _DIGITS.fullmatch(value) else None


def _over(digits: str, limit: int) -> bool:
    """``int(digits) > limit`` without int()'s 4,300-digit limit."""
    significant = digits.lstrip("0")
    return len(significant) > len(str(limit)) or int(significant or "0") > limit


def _shown(digits: str) -> str:
    significant = digits.lstrip("0") or "0"
    return significant if len(significant) <= 20 else f"a {len(significant):,}-digit number of"
