"""The ports: what the service needs from the outside world, named for that need."""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

Clock = Callable[[], datetime]
"""Returns the current time as an aware UTC datetime."""

Pause = Callable[[float], None]
"""Waits the given number of seconds between attempts (``time.sleep`` in production)."""


class LogSource(abc.ABC):
    """Where security log pages come from."""

    @abc.abstractmethod
    def fetch_page(self, cursor: str | None, max_bytes: int) -> bytes:
        """Return the raw body of one page (the first page when ``cursor`` is None).

        Raises ``TransientSourceError`` for failures worth retrying, ``SourceRejected`` for
        any other non-200 answer and ``PayloadTooLarge`` for a body over ``max_bytes``.
        """


class Archive(abc.ABC):
    """Durable storage for raw payloads."""

    @property
    @abc.abstractmethod
    def location(self) -> str:
        """The name of the place objects go to (the S3 bucket)."""

    @abc.abstractmethod
    def store(self, key: str, body: bytes, sha256_hex: str) -> None:
        """Store ``body`` under ``key``; storing the same bytes again is harmless.

        Raises one of the ``Storage*`` errors on failure.
        """

    @abc.abstractmethod
    def keys(self, prefix: str) -> Iterator[str]:
        """Every key under ``prefix``, in ascending order, listed lazily.

        Raises ``StorageBucketMissing`` when the bucket does not exist.
        """

    @abc.abstractmethod
    def read_chunks(self, key: str, chunk_size: int) -> Iterator[bytes]:
        """The object's bytes as a stream of chunks of at most ``chunk_size`` bytes."""


@dataclass(frozen=True)
class AuditRecord:
    """Metadata about one archived object. Never holds payload content."""

    s3_key: str
    bucket: str
    timestamp: datetime
    status: str
    sha256: str
    size_bytes: int
    log_count: int
    content_type: str


class AuditLog(abc.ABC):
    """The append-only record of what was archived."""

    @abc.abstractmethod
    def record(self, entry: AuditRecord) -> bool:
        """Write ``entry``; return False when a record for its key already exists.

        Raises ``AuditUnavailable`` when the record cannot be written.
        """

    @abc.abstractmethod
    def records_by_key(self, bucket: str) -> Iterator[AuditRecord]:
        """Every record of ``bucket``, in ascending ``s3_key`` order, read lazily."""
