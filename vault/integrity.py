"""Verification and repair: do the archive and the audit log agree, and can a gap be closed?

Both sides are read as ordered streams through the ports (the archive's keys, the audit log's
records, both by key) and merged, so memory stays flat however large the archive is. Every
object is hashed chunk by chunk, never loaded whole. A repair writes only what the archive
itself proves: the record of an object whose bytes still hash to its key.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum

from vault import defaults
from vault.errors import InvalidPayload, PayloadTooLarge, StorageBucketMissing
from vault.payload import KEY_PREFIX, key_for_digest, parse_page
from vault.ports import Archive, AuditLog, AuditRecord, Clock

STATUS_RECOVERED = "RECOVERED"
CHUNK_BYTES = 1024 * 1024
_DIGEST_KEY = re.compile(re.escape(KEY_PREFIX) + r"[0-9a-f]{64}\.json")


class ProblemKind(Enum):
    MISSING_RECORD = "MISSING_RECORD"
    MISSING_OBJECT = "MISSING_OBJECT"
    CHECKSUM_MISMATCH = "CHECKSUM_MISMATCH"


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    key: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind.value} {self.key}: {self.detail}"


@dataclass
class Verification:
    """What a verification found; it changed nothing."""

    bucket: str
    objects_checked: int = 0
    records_checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def passes(self) -> bool:
        return not self.problems

    def count(self, kind: ProblemKind) -> int:
        return sum(problem.kind is kind for problem in self.problems)

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(kind)} {kind.value}" for kind in ProblemKind)
        verdict = "clean" if self.passes else f"{len(self.problems)} problem(s): {counts}"
        return (
            f"verified s3://{self.bucket}/{KEY_PREFIX}: {self.objects_checked} object(s), "
            f"{self.records_checked} audit record(s), {verdict}"
        )


@dataclass
class Repair:
    """The records a repair wrote, and what it left alone (it never touches an object)."""

    verification: Verification
    written: list[AuditRecord] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)

    @property
    def records_written(self) -> int:
        return len(self.written)

    def summary(self) -> str:
        left = len(self.verification.problems) - self.records_written
        return (
            f"repaired s3://{self.verification.bucket}/{KEY_PREFIX}: wrote "
            f"{self.records_written} audit record(s) with status {STATUS_RECOVERED}; "
            f"{left} problem(s) left for a person to look at"
        )


class IntegrityCheck:
    """Compares the archive with the audit log, and writes the records the archive proves."""

    def __init__(
        self,
        archive: Archive,
        audit_log: AuditLog,
        *,
        clock: Clock,
        max_body_bytes: int = defaults.MAX_BODY_BYTES,
        chunk_bytes: int = CHUNK_BYTES,
    ) -> None:
        self._archive = archive
        self._audit_log = audit_log
        self._clock = clock
        self._max_body_bytes = max_body_bytes
        self._chunk_bytes = chunk_bytes

    def verify(self) -> Verification:
        """Every object under ``logs/`` against every record of the bucket; changes nothing."""
        verification = Verification(bucket=self._archive.location)
        bucket = self._archive.location
        records = (
            record
            for record in self._audit_log.records_by_key(bucket)
            # The port asks for this bucket's records; checked again, never trusted.
            if record.bucket == bucket and record.s3_key.startswith(KEY_PREFIX)
        )
        for key, record in _merge(self._object_keys(), records):
            verification.objects_checked += key is not None
            verification.records_checked += record is not None
            problem = self._check(key, record)
            if problem is not None:
                verification.problems.append(problem)
        return verification

    def repair(self) -> Repair:
        """Write the missing record of every ``MISSING_RECORD`` object, status ``RECOVERED``."""
        verification = self.verify()
        repair = Repair(verification=verification)
        now = self._clock()  # the time of a repair is the time it started, for every record
        for index, problem in enumerate(verification.problems):
            if problem.kind is ProblemKind.MISSING_RECORD:
                record = self._recovered_record(problem, now)
                if isinstance(record, str):
                    left = replace(problem, detail=f"{problem.detail}; not repaired: {record}")
                    verification.problems[index] = left
                    repair.skipped.append(left)
                elif self._audit_log.record(record):
                    repair.written.append(record)
        return repair

    def _object_keys(self) -> Iterator[str]:
        try:
            for key in self._archive.keys(KEY_PREFIX):
                if key.startswith(KEY_PREFIX):
                    yield key
        except StorageBucketMissing:
            return  # a bucket that is gone holds nothing: each of its records is MISSING_OBJECT

    def _check(self, key: str | None, record: AuditRecord | None) -> Problem | None:
        if key is None:
            assert record is not None  # the merge never yields two Nones
            return Problem(ProblemKind.MISSING_OBJECT, record.s3_key, "the object is gone")
        if not _DIGEST_KEY.fullmatch(key):
            return Problem(
                ProblemKind.CHECKSUM_MISMATCH,
                key,
                f"the key is not {KEY_PREFIX}<64 hex digits>.json, so no bytes hash to it",
            )
        digest = self._digest(key)
        if key_for_digest(digest) != key:
            return Problem(
                ProblemKind.CHECKSUM_MISMATCH, key, f"the bytes hash to {digest}, not to the key"
            )
        if record is None:
            return Problem(ProblemKind.MISSING_RECORD, key, "no audit record points to it")
        if record.sha256 != digest:
            return Problem(
                ProblemKind.CHECKSUM_MISMATCH,
                key,
                f"the bytes hash to {digest}, the audit record says {record.sha256}",
            )
        return None

    def _digest(self, key: str) -> str:
        sha256 = hashlib.sha256()
        for chunk in self._archive.read_chunks(key, self._chunk_bytes):
            sha256.update(chunk)
        return sha256.hexdigest()

    def _recovered_record(self, problem: Problem, now: datetime) -> AuditRecord | str:
        """The record the object proves, or why it proves none: read whole once, only for an
        object being repaired. A bad object is left to a person; the repair goes on."""
        body = bytearray()
        for chunk in self._archive.read_chunks(problem.key, self._chunk_bytes):
            body += chunk
            if len(body) > self._max_body_bytes:
                return f"over the body limit of {self._max_body_bytes} bytes; left for a person"
        try:
            page = parse_page(bytes(body), self._max_body_bytes)
        except (InvalidPayload, PayloadTooLarge) as error:
            return f"not a valid page ({error}); left for a person"
        if page.key != problem.key:  # changed since it was verified: never vouch for it
            return "its bytes changed since they were verified; left for a person"
        return page.audit_record(
            bucket=self._archive.location, timestamp=now, status=STATUS_RECOVERED
        )


def _merge(
    keys: Iterator[str], records: Iterator[AuditRecord]
) -> Iterator[tuple[str | None, AuditRecord | None]]:
    """Pair two streams ordered by key: (key, record), (key, None) or (None, record)."""
    key, record = next(keys, None), next(records, None)
    while key is not None or record is not None:
        if record is None or (key is not None and key < record.s3_key):
            yield key, None
            key = next(keys, None)
        elif key is None or record.s3_key < key:
            yield None, record
            record = next(records, None)
        else:
            yield key, record
            key, record = next(keys, None), next(records, None)
