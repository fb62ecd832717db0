"""Verification and repair, language v3: the configured bucket only, keys that cannot be a
digest, objects that hash to their key but are not a page, and one time per repair."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta

from tests.unit.fakes import NOON, FakeArchive, FakeAuditLog
from vault.integrity import IntegrityCheck, ProblemKind
from vault.payload import key_for_digest, parse_page

PAGES = [b'{"logs":[{"id":"a"}]}', b'{"logs":[{"id":"b"},{"id":"c"}]}', b'{"logs":[{"id":"d"}]}']


def key_of(body: bytes) -> str:
    return key_for_digest(hashlib.sha256(body).hexdigest())


class Unreadable(FakeArchive):
    """An archive whose objects under the listed keys must never be read."""

    def __init__(self, unreadable: set[str]) -> None:
        super().__init__()
        self.unreadable = unreadable

    def read_chunks(self, key: str, chunk_size: int) -> Iterator[bytes]:
        assert key not in self.unreadable, f"{key} was read"
        yield from super().read_chunks(key, chunk_size)


def check(archive: FakeArchive, audit_log: FakeAuditLog, clock: object = None) -> IntegrityCheck:
    return IntegrityCheck(archive, audit_log, clock=clock or (lambda: NOON), chunk_bytes=8)  # type: ignore[arg-type]


def test_only_records_of_the_configured_bucket_are_compared() -> None:
    archive, audit_log = FakeArchive(), FakeAuditLog()
    page = parse_page(PAGES[0], 1000)
    archive.objects[page.key] = PAGES[0]
    audit_log.records[page.key] = page.audit_record(
        bucket=archive.location, timestamp=NOON, status="ARCHIVED"
    )
    elsewhere = parse_page(PAGES[1], 1000).audit_record(
        bucket="another-bucket", timestamp=NOON, status="ARCHIVED"
    )
    audit_log.records[elsewhere.s3_key] = elsewhere
    verification = check(archive, audit_log).verify()
    assert verification.problems == []
    assert verification.records_checked == 1


def test_a_key_that_cannot_be_a_digest_is_a_mismatch_without_reading_it() -> None:
    odd = [
        "logs/readme.json",
        "logs/" + "A" * 64 + ".json",
        "logs/" + "a" * 63 + ".json",
        "logs/" + "a" * 64 + ".json.bak",
        "logs/sub/" + "a" * 64 + ".json",
    ]
    archive, audit_log = Unreadable(set(odd)), FakeAuditLog()
    archive.objects = dict.fromkeys(odd, PAGES[0])
    verification = check(archive, audit_log).verify()
    assert sorted((p.kind, p.key) for p in verification.problems) == sorted(
        (ProblemKind.CHECKSUM_MISMATCH, key) for key in odd
    )
    assert all("logs/<64 hex digits>.json" in p.detail for p in verification.problems)
    assert verification.objects_checked == len(odd)
    repair = check(archive, audit_log).repair()
    assert repair.written == []


def test_a_repair_goes_on_past_objects_that_are_not_pages_and_says_why_each_was_left() -> None:
    archive, audit_log = FakeArchive(), FakeAuditLog()
    bad = {
        b'{"logs":[{"a":NaN}]}': "NaN is not valid JSON",
        b'{"logs":[],"next_cursor":"\\udc80"}': "lone surrogate",
        b'{"logs":[{"a":1,"a":2}]}': "duplicate key",
        b"\xff\xfe": "not valid UTF-8",
    }
    huge = b'{"logs":[{"n":' + b"9" * 5000 + b"}]}"  # valid JSON, archived as served
    for body in [*bad, huge, *PAGES]:
        archive.objects[key_of(body)] = body
    repair = check(archive, audit_log).repair()
    assert sorted(record.s3_key for record in repair.written) == sorted(
        key_of(body) for body in [huge, *PAGES]
    )
    assert sorted(problem.key for problem in repair.skipped) == sorted(key_of(b) for b in bad)
    for body, why in bad.items():
        (left,) = [p for p in repair.verification.problems if p.key == key_of(body)]
        assert left.kind is ProblemKind.MISSING_RECORD
        assert why in left.detail
        assert "not a valid page" in left.detail
        assert "left for a person" in left.detail
        assert left.detail.isprintable()
    assert repair.summary().endswith("4 problem(s) left for a person to look at")


def test_every_record_of_one_repair_carries_the_time_it_started() -> None:
    ticks = iter(NOON + timedelta(seconds=s) for s in range(99))
    archive, audit_log = FakeArchive(), FakeAuditLog()
    for body in PAGES:
        archive.objects[key_of(body)] = body
    repair = check(archive, audit_log, clock=lambda: next(ticks)).repair()
    assert {record.timestamp for record in repair.written} == {NOON}
    assert len(repair.written) == len(PAGES)
