"""The log API as the scenario's Given steps describe it, answered through ``responses``.

It answers as a real HTTP server does: every answer carries ``Content-Length`` and a
``Content-Type``, error answers carry a body, and a redirect carries its ``Location``.
"""

from __future__ import annotations

import base64
import io
import json
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import formatdate
from enum import Enum
from http.client import RemoteDisconnected
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from urllib3.exceptions import ProtocolError

# Where the log API lives, and the query its operator configures with it (VAULT_API_URL is
# "<LOG_API_URL>?<LOG_API_QUERY>"): the API answers only requests that carry that query.
LOG_API_URL = "https://security-logs.example.test:8443/api"
LOG_API_QUERY = "tenant=acme"

_SEVERITIES = ("LOW", "MEDIUM", "HIGH", "CRITICAL")
_SOURCES = ("sshd", "nginx", "sudo", "iam", "kernel")

Answer = tuple[int, dict[str, str], bytes]


class UnplannedRequest(AssertionError):
    """The vault made a request that no step planned: the scenario, not the vault, is wrong."""


def compact_json(document: object) -> bytes:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def generated_entries(count: int, batch: int = 1) -> list[dict[str, str]]:
    """Deterministic, realistic entries. Batch 1 is what "serves" gives; each "now serves"
    takes the next batch, so its body differs from every body served before it."""
    prefix = "evt-" if batch == 1 else f"evt-b{batch}-"
    return [
        {
            "id": f"{prefix}{n:05d}",
            "timestamp": f"2026-01-01T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}Z",
            "severity": _SEVERITIES[n % len(_SEVERITIES)],
            "source": _SOURCES[n % len(_SOURCES)],
            "message": f"security event {n}",
        }
        for n in range(1, count + 1)
    ]


class FailureKind(Enum):
    STATUS = "status"
    TIMEOUT = "timeout"
    DROP = "drop"
    TRICKLE = "trickle"


@dataclass
class PlannedFailure:
    """The next ``remaining`` requests it applies to fail this way."""

    kind: FailureKind
    remaining: int
    status: int = 0
    retry_after: int | None = None


def cursor_of(page: int) -> str:
    return f"page-{page}"


def page_of(cursor: str | None) -> int | None:
    """The page a request asks for: 1 without a cursor, n for the cursor of page n."""
    if cursor is None:
        return 1
    number = cursor.removeprefix("page-")
    return (
        int(number)
        if cursor.startswith("page-") and number.isascii() and number.isdigit()
        else None
    )


@dataclass(frozen=True)
class Call:
    """One request the log API received."""

    method: str
    url: str
    page: int | None

    def __str__(self) -> str:
        where = f" (page {self.page})" if self.page is not None else ""
        return f"{self.method} {self.url}{where}"


def _page_document(entries: Sequence[dict[str, Any]], next_page: int | None) -> bytes:
    page: dict[str, Any] = {"logs": list(entries)}
    if next_page is not None:
        page["next_cursor"] = cursor_of(next_page)
    return compact_json(page)


@dataclass
class ScriptedLogApi:
    """Serves pages by cursor; failures queue per page and unpaged, in the order written."""

    base_url: str = LOG_API_URL
    page_limit: int = 10_000  # the vault's: a request past it is one no step planned
    calls: list[Call] = field(default_factory=list)
    # Requests no step planned: the vault sees each as a failed request, the scenario fails.
    unplanned: list[UnplannedRequest] = field(default_factory=list)
    _failures: deque[PlannedFailure] = field(default_factory=deque)
    _page_failures: dict[int, deque[PlannedFailure]] = field(default_factory=dict)
    _always_status: int | None = None
    _redirect_to: str | None = None
    _pages: dict[str | None, bytes] = field(default_factory=dict)
    _endless: Callable[[int], bytes] | None = None
    _endless_served: dict[int, bytes] = field(default_factory=dict)
    _batches: int = 0
    _loop_to: int | None = None
    _loop_pages: int = 0
    _looped: bool = False  # this run was served the page that loops back
    expected_query: str = LOG_API_QUERY  # the query of the VAULT_API_URL the vault was given
    required_password: str | None = None
    required_token: str | None = None
    operator_named_url: bool = False  # VAULT_API_URL set by the operator, not built by the suite

    # What is served --------------------------------------------------------------------------
    def serve_body(self, body: bytes) -> None:
        self._endless, self._pages, self._loop_to = None, {None: body}, None
        self._batches += 1

    def serve_loop(self, count: int, back_to: int) -> None:
        """Pages 1 to ``count``, one generated entry each; the last names page ``back_to``."""
        self._batches += 1
        entries = generated_entries(count, batch=self._batches)
        self._endless, self._pages = None, {}
        for number, entry in enumerate(entries, start=1):
            cursor = None if number == 1 else cursor_of(number)
            self._pages[cursor] = _page_document([entry], number + 1 if number < count else back_to)
        self._loop_to, self._loop_pages = back_to, count

    def serve_entries(self, count: int, page_size: int | None = None) -> None:
        """``count`` generated entries in pages of ``page_size`` (one page when None)."""
        self._batches += 1
        entries = generated_entries(count, batch=self._batches)
        size = page_size or max(count, 1)
        chunks = [entries[i : i + size] for i in range(0, len(entries), size)] or [[]]
        self._endless, self._pages, self._loop_to = None, {}, None
        for number, chunk in enumerate(chunks, start=1):
            next_page = number + 1 if number < len(chunks) else None
            cursor = None if number == 1 else cursor_of(number)
            self._pages[cursor] = _page_document(chunk, next_page)

    def serve_table(self, entries: Sequence[dict[str, str]]) -> None:
        self.serve_body(_page_document(entries, None))

    def serve_endlessly(self) -> None:
        """Page n holds one generated entry and names page n+1, the same bytes on every run."""
        self._pages, self._loop_to = {}, None

        def page(number: int) -> bytes:
            entry = generated_entries(number)[-1]
            return _page_document([entry], number + 1)

        self._endless, self._endless_served = page, {}

    @property
    def served_bodies(self) -> list[bytes]:
        """Every page body the API serves now (for endless paging: the pages served so far)."""
        return list(self._endless_served.values()) if self._endless else list(self._pages.values())

    # Failures ----------------------------------------------------------------------------------
    def fail(self, failure: PlannedFailure, page: int | None = None) -> None:
        """Queue a failure: on every request (``page`` None) or on that page's requests only."""
        if failure.remaining <= 0:
            return
        queue = self._failures if page is None else self._page_failures.setdefault(page, deque())
        queue.append(failure)

    def always_respond(self, status: int) -> None:
        self._always_status = status

    def redirect_every_request(self, location: str) -> None:
        self._redirect_to = location

    def recover(self) -> None:
        """Every queued failure, ``always responds`` and redirect is over; bodies stay."""
        self._failures.clear()
        self._page_failures.clear()
        self._always_status = None
        self._redirect_to = None

    @property
    def logs_url(self) -> str:
        return f"{self.base_url}/logs"

    def calls_for_page(self, page: int) -> list[Call]:
        return [call for call in self.calls if call.page == page]

    # Credentials (v3) --------------------------------------------------------------------------
    def require_password(self, password: str) -> None:
        self.required_password = password

    def require_token(self, token: str) -> None:
        self.required_token = token

    # The HTTP side -----------------------------------------------------------------------------
    def decide(self, method: str, url: str, headers: Mapping[str, str]) -> Reply:
        """What the log API does with one request, whichever transport carries it."""
        try:
            return self._decide(method, url, headers)
        except UnplannedRequest as mistake:
            self.unplanned.append(mistake)
            raise

    def answer(self, request: requests.PreparedRequest) -> Answer | tuple[int, dict[str, str], Any]:
        """The in-process transport (``responses``): a timeout or a dropped connection is the
        exception ``requests`` raises for it; a trickle is a body whose next read times out."""
        reply = self.decide(request.method or "?", request.url or "", request.headers)
        if reply.kind is FailureKind.TIMEOUT:
            raise requests.exceptions.ReadTimeout(f"planned timeout on GET {request.url}")
        if reply.kind is FailureKind.DROP:
            raise requests.exceptions.ConnectionError(
                ProtocolError("Connection aborted.", RemoteDisconnected("planned drop"))
            )
        if reply.kind is FailureKind.TRICKLE:
            return reply.status, reply.headers, io.BufferedReader(_TimesOutAfter(reply.body))
        return reply.status, reply.headers, reply.body

    def raise_unplanned(self) -> None:
        """Fail the step whose command made a request that no step planned."""
        if self.unplanned:
            raise self.unplanned[0]

    def _decide(self, method: str, url: str, headers: Mapping[str, str]) -> Reply:
        parts = urlsplit(url)
        # A server never sees a URL's userinfo: the client sends it as Authorization.
        parts = parts._replace(netloc=parts.netloc.rpartition("@")[2])
        url = parts.geturl()
        query = parse_qs(parts.query, keep_blank_values=True)
        cursor = query.get("cursor", [None])[0]
        call = Call(method, url, page_of(cursor))
        if self._elsewhere(url) and not (self._redirect_to and url.startswith(self._redirect_to)):
            # The operator named another address: nothing listens there (connection refused).
            return Reply(0, {}, b"", FailureKind.DROP)
        self.calls.append(call)
        self._check_planned(call, parts._replace(query="").geturl(), query)
        if not self._credentials_given(headers, query):
            return _reply(401, compact_json({"error": "credentials required"}))
        if self._always_status is not None:
            return _error_reply(self._always_status)
        if self._redirect_to is not None:
            return _reply(302, b"", "text/plain", Location=self._redirect_to)
        failure = self._next_failure(call.page)
        if failure is not None:
            return _failed_reply(failure, self._planned_body(cursor, call))
        return _reply(200, self._body_for(cursor, call))

    def _elsewhere(self, url: str) -> bool:
        """A request to another origin than the log API's, when the operator named one."""
        ours, theirs = urlsplit(self.base_url), urlsplit(url)
        return self.operator_named_url and (ours.scheme, ours.netloc) != (
            theirs.scheme.lower(),
            theirs.netloc.lower(),
        )

    def _check_planned(self, call: Call, where: str, query: dict[str, list[str]]) -> None:
        if self._redirect_to is not None and call.url.startswith(self._redirect_to):
            raise ForbiddenRequest(
                f"the vault followed the redirect to {call}: the contract forbids following "
                "any redirect (the vault's fault, not the scenario's)"
            )
        if call.method != "GET" or where != self.logs_url:
            raise UnplannedRequest(f"no step planned {call}")
        given = {name: values for name, values in query.items() if name not in ("cursor", "token")}
        if given != parse_qs(self.expected_query):
            raise UnplannedRequest(
                f"{call} does not carry the {self.expected_query or 'empty query'} of "
                "VAULT_API_URL (the contract keeps the base URL's query on every request)"
            )
        if call.page is not None and call.page > self.page_limit:
            raise ForbiddenRequest(
                f"the vault asked for {call}, past its {self.page_limit}-page limit "
                "(the vault's fault, not the scenario's)"
            )
        if call.page == 1:
            self._looped = False  # a run starts again from its first page
        elif self._looped and call.page == self._loop_to:
            raise ForbiddenRequest(
                f"the vault asked again for {call}, a cursor it had already followed in this "
                "run (the vault's fault: a repeated cursor ends the run)"
            )

    def _credentials_given(self, headers: Mapping[str, str], query: dict[str, list[str]]) -> bool:
        if self.required_token is not None and self.required_token not in query.get("token", []):
            return False
        if self.required_password is None:
            return True
        scheme, _, encoded = (headers.get("Authorization") or "").partition(" ")
        try:
            decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return False
        return scheme.lower() == "basic" and decoded.partition(":")[2] == self.required_password

    def _next_failure(self, page: int | None) -> PlannedFailure | None:
        for queue in (self._page_failures.get(page) if page is not None else None, self._failures):
            if queue:
                failure = queue[0]
                failure.remaining -= 1
                if failure.remaining == 0:
                    queue.popleft()
                return failure
        return None

    def _planned_body(self, cursor: str | None, call: Call) -> bytes:
        """The body a trickle would have served (it declares its length): the page's own."""
        try:
            return self._body_for(cursor, call, record=False)
        except UnplannedRequest:
            return compact_json({"logs": [generated_entries(1)[0]]})

    def _own_cursor(self) -> object:
        """The cursor named by the one body served, when one body is all that is served."""
        return _next_cursor(self._pages[None]) if list(self._pages) == [None] else None

    def _body_for(self, cursor: str | None, call: Call, *, record: bool = True) -> bytes:
        if self._endless is not None and call.page is not None:
            body = self._endless(call.page)
            if record:
                self._endless_served[call.page] = body
            return body
        if record and self._loop_to is not None and call.page == self._loop_pages:
            self._looped = True
        if cursor not in self._pages and cursor is not None and cursor == self._own_cursor():
            # One body served, naming a cursor of its own (a raw body): it answers that page too,
            # since a served body stays the same for every later request.
            return self._pages[None]
        if cursor not in self._pages:
            planned = "no answer was planned" if not self._pages else "that cursor was never served"
            raise UnplannedRequest(
                f"the log API got {call} but {planned}; "
                "add a step such as 'Given the log API serves 3 security log entries' "
                "(the scenario's mistake)"
            )
        return self._pages[cursor]


def _next_cursor(body: bytes) -> object:
    """The ``next_cursor`` a served body names, if it is a JSON object that names one."""
    try:
        page = json.loads(body)
    except ValueError:
        return None
    return page.get("next_cursor") if isinstance(page, dict) else None


class ForbiddenRequest(UnplannedRequest):
    """The vault made a request that the contract forbids: the vault's fault."""


@dataclass(frozen=True)
class Reply:
    """One answer of the log API; ``kind`` says when the transport must fail it instead."""

    status: int
    headers: dict[str, str]
    body: bytes = b""
    kind: FailureKind | None = None
    rest: bytes = b""  # a trickle: what it would have sent after its first bytes


class _TimesOutAfter(io.RawIOBase):
    """A body whose first bytes arrive, then the socket's read times out."""

    def __init__(self, first: bytes) -> None:
        self._first = first

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._first:
            raise TimeoutError("The read operation timed out (planned trickle)")
        size = min(len(buffer), len(self._first))
        buffer[:size], self._first = self._first[:size], self._first[size:]
        return size


def _reply(status: int, body: bytes, content_type: str = "application/json", **extra: str) -> Reply:
    """Headers as a real server sends them: the length of the body, its type, the date."""
    headers = {
        "Content-Type": content_type,
        "Content-Length": str(len(body)),
        "Date": formatdate(usegmt=True),
        **extra,
    }
    return Reply(status, headers, body)


def _error_reply(status: int, **extra: str) -> Reply:
    return _reply(status, compact_json({"error": f"planned HTTP {status}"}), **extra)


TRICKLED_BYTES = 8  # what a trickle sends at once, before nothing more arrives


def _failed_reply(failure: PlannedFailure, body: bytes) -> Reply:
    if failure.kind is FailureKind.TRICKLE:
        reply = _reply(200, body)
        return Reply(
            200, reply.headers, body[:TRICKLED_BYTES], FailureKind.TRICKLE, body[TRICKLED_BYTES:]
        )
    if failure.kind in (FailureKind.TIMEOUT, FailureKind.DROP):
        return Reply(0, {}, b"", failure.kind)
    if failure.retry_after is None:
        return _error_reply(failure.status)
    return _error_reply(failure.status, **{"Retry-After": str(failure.retry_after)})
