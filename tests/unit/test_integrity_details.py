"""IntegrityCheck against the fakes: what each problem says, what verification counts, what a
repair writes and skips, and the summaries an operator reads. Written to close the mutation
tier's survivors in vault/integrity.py (see tests/mutation/survivors.toml)."""

from __future__ import annotations

import hashlib

from tests.unit.fakes import NOON, FakeArchive, FakeAuditLog
from vault.integrity import IntegrityCheck, Problem, ProblemKind
from vault.payload import key_for_digest
from vault.ports import AuditRecord

PAGE = b'{"logs":[{"id":"a"},{"id":"b"}]}'
OTHER = b'{"logs":[{"id":"c"}]}'


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def key_of(body: bytes) -> str:
    return key_for_digest(digest(body))


def record_of(body: bytes, sha256: str | None = None) -> AuditRecord:
    return AuditRecord(
        s3_key=key_of(body),
        bucket="fake-bucket",
        timestamp=NOON,
        status="ARCHIVED",
        sha256=sha256 or digest(body),
        size_bytes=len(body),
        log_count=1,
        content_type="application/json",
    )


def check(archive: FakeArchive, audit_log: FakeAuditLog, **options: int) -> IntegrityCheck:
    # Small chunks, so that every object is read in several pieces.
    return IntegrityCheck(archive, audit_log, clock=lambda: NOON, chunk_bytes=8, **options)


def test_each_problem_names_its_key_and_says_what_is_wrong() -> None:
    archive, audit_log = FakeArchive(), FakeAuditLog()
    tampered, unrecorded, mismatched = key_of(b'{"logs":[]}'), key_of(PAGE), key_of(OTHER)
    archive.objects = {tampered: b"other bytes", unrecorded: PAGE, mismatched: OTHER}
    gone = record_of(b'{"logs":[{}]}')
    audit_log.records = {mismatched: record_of(OTHER, sha256="0" * 64), gone.s3_key: gone}

    problems = {p.key: p for p in check(archive, audit_log).verify().problems}

    assert str(problems[gone.s3_key]) == f"MISSING_OBJECT {gone.s3_key}: the object is gone"
    assert str(problems[tampered]) == (
        f"CHECKSUM_MISMATCH {tampered}: the bytes hash to {digest(b'other bytes')}, not to the key"
    )
    assert str(problems[unrecorded]) == (
        f"MISSING_RECORD {unrecorded}: no audit record points to it"
    )
    assert problems[mismatched] == Problem(
        ProblemKind.CHECKSUM_MISMATCH,
        mismatched,
        f"the bytes hash to {digest(OTHER)}, the audit record says {'0' * 64}",
    )


def test_verification_counts_objects_and_records_and_summarises_them() -> None:
    archive, audit_log = FakeArchive(), FakeAuditLog()
    archive.objects = {key_of(PAGE): PAGE, key_of(OTHER): OTHER}
    audit_log.records = {key_of(PAGE): record_of(PAGE)}

    verification = check(archive, audit_log).verify()

    assert (verification.objects_checked, verification.records_checked) == (2, 1)
    assert verification.summary() == (
        "verified s3://fake-bucket/logs/: 2 object(s), 1 audit record(s), 1 problem(s): "
        "1 MISSING_RECORD, 0 MISSING_OBJECT, 0 CHECKSUM_MISMATCH"
    )
    audit_log.records[key_of(OTHER)] = record_of(OTHER)
    assert check(archive, audit_log).verify().summary() == (
        "verified s3://fake-bucket/logs/: 2 object(s), 2 audit record(s), clean"
    )


def test_a_repair_rebuilds_the_record_from_an_object_read_in_chunks() -> None:
    archive, audit_log = FakeArchive(), FakeAuditLog()
    archive.objects = {key_of(PAGE): PAGE}

    repair = check(archive, audit_log, max_body_bytes=len(PAGE)).repair()

    assert repair.written == [
        AuditRecord(
            s3_key=key_of(PAGE),
            bucket="fake-bucket",
            timestamp=NOON,
            status="RECOVERED",
            sha256=digest(PAGE),
            size_bytes=len(PAGE),
            log_count=2,
            content_type="application/json",
        )
    ]
    assert repair.verification.count(ProblemKind.MISSING_RECORD) == 1
    assert repair.summary() == (
        "repaired s3://fake-bucket/logs/: wrote 1 audit record(s) with status RECOVERED; "
        "0 problem(s) left for a person to look at"
    )


def test_a_repair_skips_an_object_it_cannot_vouch_for_and_leaves_it_to_a_person() -> None:
    not_json, too_big = b"not json at all", b'{"logs":[' + b'{"id":"x"},' * 9 + b"{}]}"
    archive, audit_log = FakeArchive(), FakeAuditLog()
    archive.objects = {key_of(not_json): not_json, key_of(too_big): too_big}

    repair = check(archive, audit_log, max_body_bytes=len(too_big) - 1).repair()

    assert repair.written == []
    assert sorted(problem.key for problem in repair.skipped) == sorted(archive.objects)
    assert audit_log.records == {}
    assert repair.summary().endswith(
        "wrote 0 audit record(s) with status RECOVERED; 2 problem(s) left for a person to look at"
    )
