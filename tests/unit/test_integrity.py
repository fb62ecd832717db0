"""Verification and repair against the fakes, and the new port methods of the real adapters."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import s3_backends

from tests.unit.fakes import FakeArchive, FakeAuditLog
from vault.adapters.mongo_audit_log import MongoAuditLog
from vault.adapters.s3_archive import S3Archive
from vault.errors import StorageBucketMissing
from vault.integrity import IntegrityCheck, ProblemKind
from vault.payload import key_for_digest, parse_page

REPAIR_TIME = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
PAGES = [b'{"logs":[{"id":"a"}]}', b'{"logs":[{"id":"b"},{"id":"c"}]}', b'{"logs":[]}']


def archived(archive: FakeArchive, audit_log: FakeAuditLog, body: bytes) -> str:
    page = parse_page(body, 1000)
    archive.objects[page.key] = body
    audit_log.records[page.key] = page.audit_record(
        bucket=archive.location, timestamp=REPAIR_TIME, status="ARCHIVED"
    )
    return page.key


@pytest.fixture
def archive() -> FakeArchive:
    return FakeArchive()


@pytest.fixture
def audit_log() -> FakeAuditLog:
    return FakeAuditLog()


@pytest.fixture
def check(archive: FakeArchive, audit_log: FakeAuditLog) -> IntegrityCheck:
    return IntegrityCheck(archive, audit_log, clock=lambda: REPAIR_TIME, chunk_bytes=4)


def kinds(check: IntegrityCheck) -> list[tuple[str, str]]:
    return [(p.kind.value, p.key) for p in check.verify().problems]


def test_agreeing_stores_pass_and_are_counted(
    check: IntegrityCheck, archive: FakeArchive, audit_log: FakeAuditLog
) -> None:
    for body in PAGES:
        archived(archive, audit_log, body)
    verification = check.verify()
    assert verification.passes
    assert (verification.objects_checked, verification.records_checked) == (3, 3)
    assert verification.summary().endswith("3 object(s), 3 audit record(s), clean")


def test_each_kind_of_problem_is_found_with_its_key(
    check: IntegrityCheck, archive: FakeArchive, audit_log: FakeAuditLog
) -> None:
    no_record, no_object, altered, fine = (
        archived(archive, audit_log, b) for b in [*PAGES, b'{"logs":[{}]}']
    )
    del audit_log.records[no_record]
    del archive.objects[no_object]
    archive.objects[altered] += b" "
    assert sorted(kinds(check)) == sorted(
        [
            ("MISSING_RECORD", no_record),
            ("MISSING_OBJECT", no_object),
            ("CHECKSUM_MISMATCH", altered),
        ]
    )
    verification = check.verify()
    assert [verification.count(kind) for kind in ProblemKind] == [1, 1, 1]
    assert "3 problem(s): 1 MISSING_RECORD, 1 MISSING_OBJECT, 1 CHECKSUM_MISMATCH" in (
        verification.summary()
    )
    assert fine not in {p.key for p in verification.problems}


def test_a_record_whose_checksum_disagrees_with_the_object_is_a_mismatch(
    check: IntegrityCheck, archive: FakeArchive, audit_log: FakeAuditLog
) -> None:
    key = archived(archive, audit_log, PAGES[0])
    record = audit_log.records[key]
    audit_log.records[key] = type(record)(**{**record.__dict__, "sha256": "0" * 64})
    assert kinds(check) == [("CHECKSUM_MISMATCH", key)]
    assert "the audit record says 000" in str(check.verify().problems[0])


def test_an_unrecorded_object_whose_bytes_do_not_hash_to_its_key_is_a_mismatch(
    check: IntegrityCheck, archive: FakeArchive
) -> None:
    archive.objects["logs/" + "a" * 64 + ".json"] = PAGES[0]
    assert kinds(check) == [("CHECKSUM_MISMATCH", "logs/" + "a" * 64 + ".json")]
    assert check.repair().records_written == 0


def test_only_keys_under_logs_are_compared(
    check: IntegrityCheck, archive: FakeArchive, audit_log: FakeAuditLog
) -> None:
    archive.objects["other/x.json"] = b"{}"
    key = archived(archive, audit_log, PAGES[0])
    record = audit_log.records.pop(key)
    audit_log.records["notes/y.json"] = type(record)(
        **{**record.__dict__, "s3_key": "notes/y.json"}
    )
    assert kinds(check) == [("MISSING_RECORD", key)]


def test_a_repair_writes_recovered_records_built_from_the_object(
    check: IntegrityCheck, archive: FakeArchive, audit_log: FakeAuditLog
) -> None:
    key = archived(archive, audit_log, PAGES[1])
    del audit_log.records[key]
    repair = check.repair()
    assert repair.records_written == 1
    record = audit_log.records[key]
    assert (record.status, record.timestamp, record.log_count) == ("RECOVERED", REPAIR_TIME, 2)
    assert (record.sha256, record.size_bytes) == (
        hashlib.sha256(PAGES[1]).hexdigest(),
        len(PAGES[1]),
    )
    assert (record.bucket, record.content_type) == ("fake-bucket", "application/json")
    assert "wrote 1 audit record(s) with status RECOVERED; 0 problem(s) left" in repair.summary()
    assert check.repair().records_written == 0
    assert check.verify().passes


def test_a_repair_leaves_what_it_cannot_prove_and_says_so(
    check: IntegrityCheck, archive: FakeArchive, audit_log: FakeAuditLog
) -> None:
    not_a_page = b"not json"
    archive.objects[key_for_digest(hashlib.sha256(not_a_page).hexdigest())] = not_a_page
    gone = archived(archive, audit_log, PAGES[0])
    del archive.objects[gone]
    repair = check.repair()
    assert (repair.records_written, len(repair.skipped)) == (0, 1)
    assert "2 problem(s) left for a person to look at" in repair.summary()
    assert list(audit_log.records) == [gone]


def test_an_object_over_the_body_limit_is_not_repaired(
    archive: FakeArchive, audit_log: FakeAuditLog
) -> None:
    key = archived(archive, audit_log, PAGES[1])
    del audit_log.records[key]
    check = IntegrityCheck(
        archive, audit_log, clock=lambda: REPAIR_TIME, max_body_bytes=10, chunk_bytes=4
    )
    assert check.repair().records_written == 0


class CountingArchive(FakeArchive):
    """Records how many keys were listed but not yet hashed, at the worst moment."""

    def __init__(self) -> None:
        super().__init__()
        self.listed = self.read = self.most_ahead = 0

    def keys(self, prefix: str) -> Iterator[str]:
        for key in super().keys(prefix):
            self.listed += 1
            self.most_ahead = max(self.most_ahead, self.listed - self.read)
            yield key

    def read_chunks(self, key: str, chunk_size: int) -> Iterator[bytes]:
        self.read += 1
        yield from super().read_chunks(key, chunk_size)


def test_verification_streams_the_keys_instead_of_loading_them(audit_log: FakeAuditLog) -> None:
    archive = CountingArchive()
    for n in range(50):
        archived(archive, audit_log, f'{{"logs":[{{"n":{n}}}]}}'.encode())
    assert IntegrityCheck(archive, audit_log, clock=lambda: REPAIR_TIME).verify().passes
    assert archive.read == 50
    assert archive.most_ahead <= 2, "verify listed keys far ahead of checking them"


def test_a_missing_bucket_holds_nothing(audit_log: FakeAuditLog) -> None:
    class GoneArchive(FakeArchive):
        def keys(self, prefix: str) -> Iterator[str]:
            raise StorageBucketMissing("gone")
            yield  # pragma: no cover - a generator that fails when first read

    archive = GoneArchive()
    key = archived(archive, audit_log, PAGES[0])
    assert kinds(IntegrityCheck(archive, audit_log, clock=lambda: REPAIR_TIME)) == [
        ("MISSING_OBJECT", key)
    ]


# The real adapters' new port methods --------------------------------------------------------
def test_s3_lists_every_key_in_order_across_pages_and_reads_in_chunks(
    s3: Any, vault_s3: Any
) -> None:
    bucket = "integrity-listing"  # its own bucket: objects go straight into moto's store
    store = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    s3.create_bucket(Bucket=bucket)
    # Four pages: vault_s3 is answered in pages of 2 keys (S3 may end a page of its 1,000
    # early), the same paging as 1,005 keys without 0.3 s of moto's XML.
    keys = [f"logs/{n:04d}.json" for n in range(7)]
    try:
        for key in [*reversed(keys), "other.json"]:
            store.put_object(bucket, key, b"0123456789")
        archive = S3Archive(vault_s3, bucket)
        assert list(archive.keys("logs/")) == keys
        assert list(archive.read_chunks("logs/0001.json", 4)) == [b"0123", b"4567", b"89"]
    finally:
        for key in [*keys, "other.json"]:
            store.delete_object(bucket, key)
        s3.delete_bucket(Bucket=bucket)


def test_s3_names_a_missing_bucket(s3: Any) -> None:
    with pytest.raises(StorageBucketMissing):
        list(S3Archive(s3, "no-such-bucket-here").keys("logs/"))


def test_mongo_reads_the_records_of_a_bucket_by_key(audit_collection: Any) -> None:
    audit_log = MongoAuditLog(audit_collection)
    bodies = [b'{"logs":[{"id":"z"}]}', b'{"logs":[{"id":"y"}]}']
    for body in bodies:
        audit_log.record(
            parse_page(body, 100).audit_record(bucket="b", timestamp=REPAIR_TIME, status="ARCHIVED")
        )
    audit_log.record(
        parse_page(b'{"logs":[{}]}', 100).audit_record(
            bucket="other", timestamp=REPAIR_TIME, status="ARCHIVED"
        )
    )
    records = list(audit_log.records_by_key("b"))
    assert [r.s3_key for r in records] == sorted(parse_page(b, 100).key for b in bodies)
    assert records[0].timestamp == REPAIR_TIME
