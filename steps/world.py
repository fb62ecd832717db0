"""The world a scenario acts on: a scripted log API, a fixed clock, recorded pauses, faults.

The fixtures in the root ``conftest.py`` build these; steps only call their methods.
"""

from __future__ import annotations

import json
import random
from collections import deque
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from http.client import RemoteDisconnected
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import requests
from botocore.awsrequest import AWSResponse
from pymongo.errors import ServerSelectionTimeoutError
from urllib3.exceptions import ProtocolError

from vault import bootstrap
from vault.config import MONGOMOCK_URI, Settings
from vault.errors import VaultError
from vault.results import RunResult

LOG_API_URL = "https://security-logs.example.test/api"
ARCHIVE_BUCKET = "audit-vault-archive"
START_INSTANT = "2026-01-01T00:00:00Z"

_SEVERITIES = ("LOW", "MEDIUM", "HIGH", "CRITICAL")
_SOURCES = ("sshd", "nginx", "sudo", "iam", "kernel")


class UnplannedRequest(AssertionError):
    """The vault made a request that no step planned: the scenario, not the vault, is wrong."""


def compact_json(document: object) -> bytes:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def generated_entries(count: int) -> list[dict[str, str]]:
    """Deterministic, realistic entries: the same count always gives the same bytes."""
    return [
        {
            "id": f"evt-{n:05d}",
            "timestamp": f"2026-01-01T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}Z",
            "severity": _SEVERITIES[n % len(_SEVERITIES)],
            "source": _SOURCES[n % len(_SOURCES)],
            "message": f"security event {n}",
        }
        for n in range(1, count + 1)
    ]


@dataclass
class _PlannedFailure:
    kind: str  # "status", "timeout" or "drop"
    remaining: int
    status: int = 0
    retry_after: int | None = None


@dataclass
class ScriptedLogApi:
    """The log API as the scenario's Given steps describe it, served through ``responses``."""

    base_url: str = LOG_API_URL
    failures: deque[_PlannedFailure] = field(default_factory=deque)
    always_status: int | None = None
    pages: dict[str | None, bytes] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    # Given steps ----------------------------------------------------------------------------
    def serve_body(self, body: bytes) -> None:
        self.pages = {None: body}

    def serve_entries(
        self, entries: Sequence[dict[str, Any]], page_size: int | None = None
    ) -> None:
        size = page_size or max(len(entries), 1)
        chunks = [list(entries[i : i + size]) for i in range(0, len(entries), size)] or [[]]
        self.pages = {}
        for number, chunk in enumerate(chunks, start=1):
            page: dict[str, Any] = {"logs": chunk}
            if number < len(chunks):
                page["next_cursor"] = _cursor(number + 1)
            self.pages[None if number == 1 else _cursor(number)] = compact_json(page)

    def fail(self, kind: str, count: int, status: int = 0, retry_after: int | None = None) -> None:
        if count > 0:
            self.failures.append(_PlannedFailure(kind, count, status, retry_after))

    def recover(self) -> None:
        """Every planned failure is over; served bodies stay as they are."""
        self.failures.clear()
        self.always_status = None

    @property
    def served_bodies(self) -> list[bytes]:
        return list(self.pages.values())

    # The HTTP side --------------------------------------------------------------------------
    def answer(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        url = request.url or ""
        self.calls.append(url)
        parts = urlsplit(url)
        if request.method != "GET" or not url.startswith(f"{self.base_url}/logs"):
            raise UnplannedRequest(f"no step planned {request.method} {url}")
        if self.always_status is not None:
            return self.always_status, {}, compact_json({"error": "planned failure"})
        if self.failures:
            return self._next_failure(url)
        cursor = parse_qs(parts.query).get("cursor", [None])[0]
        if cursor not in self.pages:
            planned = "no answer was planned" if not self.pages else "that cursor was never served"
            raise UnplannedRequest(
                f"the log API got GET {url} but {planned}; "
                "add a step such as 'Given the log API serves 3 security log entries'"
            )
        return 200, {"Content-Type": "application/json"}, self.pages[cursor]

    def _next_failure(self, url: str) -> tuple[int, dict[str, str], bytes]:
        failure = self.failures[0]
        failure.remaining -= 1
        if failure.remaining == 0:
            self.failures.popleft()
        if failure.kind == "timeout":
            raise requests.exceptions.ReadTimeout(f"planned timeout on GET {url}")
        if failure.kind == "drop":
            raise requests.exceptions.ConnectionError(
                ProtocolError("Connection aborted.", RemoteDisconnected("planned drop"))
            )
        headers = {} if failure.retry_after is None else {"Retry-After": str(failure.retry_after)}
        return failure.status, headers, compact_json({"error": f"planned HTTP {failure.status}"})


def _cursor(page_number: int) -> str:
    return f"page-{page_number}"


@dataclass
class FixedClock:
    """A clock that reads what the scenario says, and never moves by itself."""

    now: datetime = field(default_factory=lambda: parse_instant(START_INSTANT))

    def __call__(self) -> datetime:
        return self.now


def parse_instant(text: str) -> datetime:
    instant = datetime.fromisoformat(text)
    if instant.tzinfo is None:
        raise ValueError(f'"{text}" has no time zone; write it in UTC with a Z')
    return instant


@dataclass
class RecordedPauses:
    """The pause function the vault gets: records each pause instead of sleeping."""

    seconds: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


class RejectingCollection:
    """A real (mongomock) collection whose document writes fail like a MongoDB that is down."""

    def __init__(self, collection: Any) -> None:
        self._collection = collection
        self.rejecting = False

    def insert_one(self, document: dict[str, Any]) -> Any:
        if self.rejecting:
            raise ServerSelectionTimeoutError(
                "127.0.0.1:27017: [Errno 111] Connection refused (planned by the scenario)"
            )
        return self._collection.insert_one(document)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._collection, name)


class ArchiveFaults:
    """S3 faults on the vault's client: a planned 5xx answer, or a genuine IAM denial."""

    _HANDLER_ID = "acceptance-suite-archive-fault"
    _CODES: ClassVar[dict[int, str]] = {500: "InternalError", 503: "ServiceUnavailable"}

    def __init__(self, s3: Any) -> None:
        self._s3 = s3
        self.denying_client: Any = None
        self.iam_enforcement: Any = None

    def fail_uploads(self, status: int) -> None:
        code = self._CODES.get(status, "InternalError")

        def answer(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
            parsed = {
                "Error": {"Code": code, "Message": f"planned HTTP {status}"},
                "ResponseMetadata": {"HTTPStatusCode": status},
            }
            return AWSResponse(ARCHIVE_BUCKET, status, {}, None), parsed

        # before-call answers instead of S3, so moto never stores the object.
        self._s3.meta.events.register(
            "before-call.s3.PutObject", answer, unique_id=self._HANDLER_ID
        )

    def deny_uploads(self, denying_client: Any, iam_enforcement: Any) -> None:
        self.denying_client = denying_client
        self.iam_enforcement = iam_enforcement

    def client_for_vault(self) -> Any:
        return self.denying_client or self._s3

    def enforcement(self) -> AbstractContextManager[Any]:
        return self.iam_enforcement() if self.iam_enforcement else nullcontext()

    def clear(self) -> None:
        """The archive works again: no planned answer, and the vault's own credentials."""
        self._s3.meta.events.unregister("before-call.s3.PutObject", unique_id=self._HANDLER_ID)
        self.denying_client = None
        self.iam_enforcement = None


@dataclass
class VaultUnderTest:
    """Wires a real ``VaultService`` from the scenario's world each time the vault runs.

    Each run gets a fresh service, as each run of ``python -m vault`` would.
    """

    log_api: ScriptedLogApi
    archive_faults: ArchiveFaults
    audit_collection: RejectingCollection
    clock: FixedClock
    pauses: RecordedPauses
    session: requests.Session
    # The start of every scenario, as the acceptance language fixes it (not the service's defaults).
    max_attempts: int = 3
    max_body_bytes: int = 10_485_760
    outcomes: list[RunResult | VaultError] = field(default_factory=list)

    def run(self) -> None:
        settings = Settings(
            api_url=self.log_api.base_url,
            bucket=ARCHIVE_BUCKET,
            mongo_uri=MONGOMOCK_URI,
            max_attempts=self.max_attempts,
            max_body_bytes=self.max_body_bytes,
        )
        service = bootstrap.build_service(
            settings,
            session=self.session,
            s3=self.archive_faults.client_for_vault(),
            collection=self.audit_collection,
            clock=self.clock,
            pause=self.pauses,
            # Seeded jitter: pauses differ between attempts but not between runs of the suite.
            jitter=random.Random(7).random,
        )
        with self.archive_faults.enforcement():
            try:
                self.outcomes.append(service.run())
            except VaultError as error:
                self.outcomes.append(error)

    @property
    def last_outcome(self) -> RunResult | VaultError:
        assert self.outcomes, "the vault has not run yet: add 'When the vault runs'"
        return self.outcomes[-1]


class S3Writes:
    """Every write S3 accepted through the suite's clients: (operation, bucket, key).

    botocore's provide-client-params event sees the parameters; after-call sees the answer, and
    only a 2xx answer is recorded (a denied or failed upload changed nothing)."""

    OPERATIONS = ("PutObject", "DeleteObject", "DeleteObjects", "CreateBucket", "DeleteBucket")

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str | None]] = []

    @property
    def count(self) -> int:
        return len(self.calls)

    def watch(self, client: Any) -> None:
        for operation in self.OPERATIONS:
            client.meta.events.register(
                f"provide-client-params.s3.{operation}",
                self._remember,
                unique_id=f"s3-writes-params-{operation}",
            )
            client.meta.events.register(
                f"after-call.s3.{operation}", self._record, unique_id=f"s3-writes-{operation}"
            )

    def _remember(
        self, params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any
    ) -> None:
        context["suite_write"] = (model.name, params.get("Bucket", ""), params.get("Key"))

    def _record(self, http_response: Any, context: dict[str, Any], **_: Any) -> None:
        if http_response.status_code < 300 and "suite_write" in context:
            self.calls.append(context["suite_write"])

    def since(self, mark: int) -> list[tuple[str, str, str | None]]:
        return self.calls[mark:]


@dataclass
class ArchiveView:
    """What a user sees in the archive bucket, read through the S3 API.

    Reads are reused until the next write through a watched client, so a scenario's Then
    steps do not list and download the same objects again."""

    s3: Any
    writes: S3Writes
    bucket: str = ARCHIVE_BUCKET
    _seen_writes: int = -1
    _keys: list[str] | None = None  # None: not listed since the last accepted write
    _bodies: dict[str, tuple[bytes, str]] = field(default_factory=dict)

    def _forget_older_reads(self) -> None:
        if self._seen_writes != self.writes.count:
            self._seen_writes, self._keys, self._bodies = self.writes.count, None, {}

    def keys(self) -> list[str]:
        self._forget_older_reads()
        if self._keys is None:
            try:
                listing = self.s3.list_objects_v2(Bucket=self.bucket)
            except self.s3.exceptions.NoSuchBucket:
                listing = {}
            self._keys = [item["Key"] for item in listing.get("Contents", [])]
        return self._keys

    def read(self, key: str) -> tuple[bytes, str]:
        """The object's bytes and content type."""
        self._forget_older_reads()
        if key not in self._bodies:
            answer = self.s3.get_object(Bucket=self.bucket, Key=key)
            self._bodies[key] = (answer["Body"].read(), answer["ContentType"])
        return self._bodies[key]

    def exists(self, bucket: str, key: str) -> bool:
        try:
            self.s3.head_object(Bucket=bucket, Key=key)
        except self.s3.exceptions.ClientError:
            return False
        return True
