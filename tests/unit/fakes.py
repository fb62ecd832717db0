"""In-memory fakes of the three ports. They subclass the same interfaces as the real adapters."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from vault import bootstrap, defaults
from vault.config import MONGOMOCK_URI, Settings
from vault.errors import VaultError
from vault.ports import Archive, AuditLog, AuditRecord, LogSource
from vault.service import VaultService

Answer = bytes | Exception


class FakeLogSource(LogSource):
    """Answers per cursor from a script; each answer list is consumed in order, the last repeats."""

    def __init__(self, pages: dict[str | None, list[Answer]] | None = None) -> None:
        self.pages = pages or {}
        self.calls: list[str | None] = []

    def fetch_page(self, cursor: str | None, max_bytes: int) -> bytes:
        self.calls.append(cursor)
        answers = self.pages[cursor]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


class FakeArchive(Archive):
    def __init__(self, fail_with: VaultError | None = None, events: list[str] | None = None):
        self.objects: dict[str, bytes] = {}
        self.fail_with = fail_with
        self.events = events if events is not None else []

    @property
    def location(self) -> str:
        return "fake-bucket"

    def store(self, key: str, body: bytes, sha256_hex: str) -> None:
        self.events.append(f"store {key}")
        if self.fail_with is not None:
            raise self.fail_with
        self.objects[key] = body

    def keys(self, prefix: str) -> Iterator[str]:
        yield from sorted(key for key in self.objects if key.startswith(prefix))

    def read_chunks(self, key: str, chunk_size: int) -> Iterator[bytes]:
        body = self.objects[key]
        for start in range(0, len(body), chunk_size):
            yield body[start : start + chunk_size]


class FakeAuditLog(AuditLog):
    def __init__(self, fail_with: VaultError | None = None, events: list[str] | None = None):
        self.records: dict[str, AuditRecord] = {}
        self.fail_with = fail_with
        self.events = events if events is not None else []

    def record(self, entry: AuditRecord) -> bool:
        self.events.append(f"record {entry.s3_key}")
        if self.fail_with is not None:
            raise self.fail_with
        if entry.s3_key in self.records:
            return False
        self.records[entry.s3_key] = entry
        return True

    def records_by_key(self, bucket: str) -> Iterator[AuditRecord]:
        yield from (self.records[key] for key in sorted(self.records))


NOON = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class Rig:
    """A service wired to fakes, with its pauses recorded."""

    source: FakeLogSource = field(default_factory=FakeLogSource)
    archive: FakeArchive = field(default_factory=FakeArchive)
    audit_log: FakeAuditLog = field(default_factory=FakeAuditLog)
    pauses: list[float] = field(default_factory=list)
    clock: Callable[[], datetime] = lambda: NOON
    max_attempts: int = defaults.MAX_ATTEMPTS
    max_body_bytes: int = defaults.MAX_BODY_BYTES
    max_pages: int = defaults.MAX_PAGES
    jitter: float = 0.0

    def service(self) -> VaultService:
        """Built by the composition root, as production builds it, from the fakes."""
        settings = Settings(
            api_url="https://logs.fake.invalid",
            bucket=self.archive.location,
            mongo_uri=MONGOMOCK_URI,
            max_attempts=self.max_attempts,
            max_body_bytes=self.max_body_bytes,
            max_pages=self.max_pages,
        )
        return bootstrap.wire(
            settings,
            log_source=self.source,
            archive=self.archive,
            audit_log=self.audit_log,
            clock=self.clock,
            pause=self.pauses.append,
            jitter=lambda: self.jitter,
        )
