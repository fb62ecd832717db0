"""The log API as the scenario's Given steps describe it, answered through ``responses``.

It answers as a real HTTP server does: every answer carries ``Content-Length`` and a
``Content-Type``, error answers carry a body, and a redirect carries its ``Location``.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Sequence
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

    # What is served --------------------------------------------------------------------------
    def serve_body(self, body: bytes) -> None:
        self._endless, self._pages = None, {None: body}
        self._batches += 1

    def serve_entries(self, count: int, page_size: int | None = None) -> None:
        """``count`` generated entries in pages of ``page_size`` (one page when None)."""
        self._batches += 1
        entries = generated_entries(count, batch=self._batches)
        size = page_size or max(count, 1)
        chunks = [entries[i : i + size] for i in range(0, len(entries), size)] or [[]]
        self._endless, self._pages = None, {}
        for number, chunk in enumerate(chunks, start=1):
            next_page = number + 1 if number < len(chunks) else None
            cursor = None if number == 1 else cursor_of(number)
            self._pages[cursor] = _page_document(chunk, next_page)

    def serve_table(self, entries: Sequence[dict[str, str]]) -> None:
        self.serve_body(_page_document(entries, None))

    def serve_endlessly(self) -> None:
        """Page n holds one generated entry and names page n+1, the same bytes on every run."""
        self._pages = {}

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

    # The HTTP side -----------------------------------------------------------------------------
    def answer(self, request: requests.PreparedRequest) -> Answer:
        try:
            return self._answer(request)
        except UnplannedRequest as mistake:
            self.unplanned.append(mistake)
            raise

    def raise_unplanned(self) -> None:
        """Fail the step whose command made a request that no step planned."""
        if self.unplanned:
            raise self.unplanned[0]

    def _answer(self, request: requests.PreparedRequest) -> Answer:
        url = request.url or ""
        query = parse_qs(urlsplit(url).query, keep_blank_values=True)
        cursor = query.get("cursor", [None])[0]
        call = Call(request.method or "?", url, page_of(cursor))
        self.calls.append(call)
        if call.method != "GET" or urlsplit(url)._replace(query="").geturl() != self.logs_url:
            raise UnplannedRequest(f"no step planned {call}")
        if {name: values for name, values in query.items() if name != "cursor"} != parse_qs(
            LOG_API_QUERY
        ):
            raise UnplannedRequest(f"{call} does not carry the {LOG_API_QUERY} of VAULT_API_URL")
        if call.page is not None and call.page > self.page_limit:
            raise UnplannedRequest(
                f"the vault asked for {call}, past its {self.page_limit}-page limit"
            )
        if self._always_status is not None:
            return _error_answer(self._always_status)
        if self._redirect_to is not None:
            return _answer(302, b"", "text/plain", Location=self._redirect_to)
        failure = self._next_failure(call.page)
        if failure is not None:
            return _failed_answer(failure, url)
        return _answer(200, self._body_for(cursor, call))

    def _next_failure(self, page: int | None) -> PlannedFailure | None:
        for queue in (self._page_failures.get(page) if page is not None else None, self._failures):
            if queue:
                failure = queue[0]
                failure.remaining -= 1
                if failure.remaining == 0:
                    queue.popleft()
                return failure
        return None

    def _body_for(self, cursor: str | None, call: Call) -> bytes:
        if self._endless is not None and call.page is not None:
            body = self._endless(call.page)
            self._endless_served[call.page] = body
            return body
        if cursor not in self._pages:
            planned = "no answer was planned" if not self._pages else "that cursor was never served"
            raise UnplannedRequest(
                f"the log API got {call} but {planned}; "
                "add a step such as 'Given the log API serves 3 security log entries'"
            )
        return self._pages[cursor]


def _answer(
    status: int, body: bytes, content_type: str = "application/json", **extra: str
) -> Answer:
    """Headers as a real server sends them: the length of the body, its type, the date."""
    headers = {
        "Content-Type": content_type,
        "Content-Length": str(len(body)),
        "Date": formatdate(usegmt=True),
        **extra,
    }
    return status, headers, body


def _error_answer(status: int, **extra: str) -> Answer:
    return _answer(status, compact_json({"error": f"planned HTTP {status}"}), **extra)


def _failed_answer(failure: PlannedFailure, url: str) -> Answer:
    if failure.kind is FailureKind.TIMEOUT:
        raise requests.exceptions.ReadTimeout(f"planned timeout on GET {url}")
    if failure.kind is FailureKind.DROP:
        raise requests.exceptions.ConnectionError(
            ProtocolError("Connection aborted.", RemoteDisconnected("planned drop"))
        )
    if failure.retry_after is None:
        return _error_answer(failure.status)
    return _error_answer(failure.status, **{"Retry-After": str(failure.retry_after)})
