"""vault/integrity.py: an object whose bytes change between the verification and the repair.
Written to close the fast selection's survivors (tests/mutation/survivors.toml)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from tests.unit.fakes import NOON, FakeArchive, FakeAuditLog
from vault.integrity import IntegrityCheck, ProblemKind
from vault.payload import key_for_digest

PAGE = b'{"logs":[{"id":"a"}]}'
KEY = key_for_digest(hashlib.sha256(PAGE).hexdigest())


class _Overwritten(FakeArchive):
    """An object overwritten with another valid page once it has been read (and verified)."""

    def read_chunks(self, key: str, chunk_size: int) -> Iterator[bytes]:
        yield from super().read_chunks(key, chunk_size)
        self.objects[key] = b'{"logs":[{"id":"b"}]}'


def test_a_repair_never_vouches_for_bytes_that_changed_since_they_were_verified() -> None:
    archive, audit_log = _Overwritten(), FakeAuditLog()
    archive.objects = {KEY: PAGE}

    repair = IntegrityCheck(archive, audit_log, clock=lambda: NOON).repair()

    assert repair.written == []
    assert audit_log.records == {}
    [left] = repair.skipped
    assert (left.kind, left.key) == (ProblemKind.MISSING_RECORD, KEY)
    assert left.detail == (
        "no audit record points to it; not repaired: "
        "its bytes changed since they were verified; left for a person"
    )
    assert repair.verification.problems == [left]
