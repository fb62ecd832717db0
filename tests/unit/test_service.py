"""VaultService against fakes of its ports: order, invariants, errors, retries, pagination."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.unit.fakes import NOON, FakeArchive, FakeAuditLog, FakeLogSource, Rig
from vault.errors import (
    AuditUnavailable,
    InvalidPayload,
    PayloadTooLarge,
    SourceRejected,
    SourceUnavailable,
    StorageAccessDenied,
    StorageBucketMissing,
    StorageRejected,
    StorageUnavailable,
    TransientSourceError,
    VaultError,
)
from vault.payload import key_for_digest
from vault.retry import RetryPolicy
from vault.service import VaultService


def key_of(body: bytes) -> str:
    """The archive key the vault derives for these bytes."""
    return key_for_digest(hashlib.sha256(body).hexdigest())


PAGE = b'{"logs":[{"id":"a"},{"id":"b"}]}'


def transient(retry_after: float | None = None) -> TransientSourceError:
    return TransientSourceError("HTTP 503", retry_after=retry_after)


def test_a_page_is_archived_then_audited_with_its_metadata() -> None:
    events: list[str] = []
    rig = Rig(
        source=FakeLogSource({None: [PAGE]}),
        archive=FakeArchive(events=events),
        audit_log=FakeAuditLog(events=events),
    )
    result = rig.service().run()

    key = "logs/" + hashlib.sha256(PAGE).hexdigest() + ".json"
    assert events == [f"store {key}", f"record {key}"]
    assert rig.archive.objects == {key: PAGE}
    record = rig.audit_log.records[key]
    assert (record.bucket, record.status, record.timestamp) == ("fake-bucket", "ARCHIVED", NOON)
    assert (record.sha256, record.size_bytes, record.log_count) == (
        hashlib.sha256(PAGE).hexdigest(),
        len(PAGE),
        2,
    )
    assert record.content_type == "application/json"
    assert (result.pages_fetched, result.pages_archived, result.records_written) == (1, 1, 1)
    assert "1 page(s) with 2 log entries" in result.summary()


def test_the_run_time_is_taken_once_and_converted_to_utc() -> None:
    paris_noon = datetime(2026, 3, 1, 13, 0, tzinfo=timezone(timedelta(hours=1)))
    ticks = iter([paris_noon, paris_noon + timedelta(hours=5)])
    rig = Rig(source=FakeLogSource({None: [PAGE]}), clock=lambda: next(ticks))
    rig.service().run()
    (record,) = rig.audit_log.records.values()
    assert record.timestamp == NOON
    assert record.timestamp.tzinfo == UTC


def test_a_naive_clock_is_read_as_utc() -> None:
    rig = Rig(source=FakeLogSource({None: [PAGE]}), clock=lambda: datetime(2026, 3, 1, 12))
    rig.service().run()
    (record,) = rig.audit_log.records.values()
    assert record.timestamp == NOON


def test_an_empty_page_archives_and_records_nothing() -> None:
    rig = Rig(source=FakeLogSource({None: [b'{"logs":[]}']}))
    result = rig.service().run()
    assert rig.archive.objects == {}
    assert rig.audit_log.records == {}
    assert (result.pages_fetched, result.empty_pages, result.pages_archived) == (1, 1, 0)


def test_pages_are_followed_through_next_cursor() -> None:
    pages = {
        None: [b'{"logs":[{"n":1}],"next_cursor":"c2"}'],
        "c2": [b'{"logs":[],"next_cursor":"c3"}'],
        "c3": [b'{"logs":[{"n":3}]}'],
    }
    rig = Rig(source=FakeLogSource(pages))
    result = rig.service().run()
    assert rig.source.calls == [None, "c2", "c3"]
    assert len(rig.archive.objects) == 2
    assert len(rig.audit_log.records) == 2
    assert (result.pages_fetched, result.empty_pages, result.log_count) == (3, 1, 2)


def test_a_cursor_that_repeats_stops_the_pull_instead_of_looping() -> None:
    pages = {
        None: [b'{"logs":[{"n":1}],"next_cursor":"c2"}'],
        "c2": [b'{"logs":[{"n":2}],"next_cursor":"c2"}'],
    }
    rig = Rig(source=FakeLogSource(pages))
    with pytest.raises(InvalidPayload, match="repeats") as caught:
        rig.service().run()
    assert rig.source.calls == [None, "c2"]
    assert caught.value.page == 2


def test_running_the_same_payload_again_adds_nothing() -> None:
    rig = Rig(source=FakeLogSource({None: [PAGE]}))
    first = rig.service().run()
    second = rig.service().run()
    assert (first.records_written, second.records_written) == (1, 0)
    assert len(rig.archive.objects) == 1
    assert len(rig.audit_log.records) == 1
    assert "0 new audit record(s), 1 already recorded" in second.summary()


@pytest.mark.parametrize(
    "error",
    [
        StorageAccessDenied("denied"),
        StorageBucketMissing("no bucket"),
        StorageUnavailable("5xx"),
        StorageRejected("400"),
    ],
    ids=lambda e: e.code,
)
def test_a_storage_failure_writes_no_audit_record(error: VaultError) -> None:
    rig = Rig(source=FakeLogSource({None: [PAGE]}), archive=FakeArchive(fail_with=error))
    with pytest.raises(type(error)) as caught:
        rig.service().run()
    assert rig.audit_log.events == []
    assert caught.value.code == error.code
    assert rig.source.calls == [None]


def test_an_audit_failure_keeps_the_archived_object_and_a_later_run_records_it() -> None:
    rig = Rig(
        source=FakeLogSource({None: [PAGE]}),
        audit_log=FakeAuditLog(fail_with=AuditUnavailable("mongo down")),
    )
    with pytest.raises(AuditUnavailable):
        rig.service().run()
    assert list(rig.archive.objects.values()) == [PAGE]
    rig.audit_log.fail_with = None
    result = rig.service().run()
    assert result.records_written == 1
    assert list(rig.audit_log.records) == list(rig.archive.objects)


def test_a_failure_on_page_n_keeps_earlier_pages_and_says_how_far_the_run_got() -> None:
    pages = {
        None: [b'{"logs":[{"n":1}],"next_cursor":"c2"}'],
        "c2": [b'{"logs":[{"n":2}],"next_cursor":"c3"}'],
        "c3": [b"<html>oops</html>"],
    }
    rig = Rig(source=FakeLogSource(pages))
    with pytest.raises(InvalidPayload) as caught:
        rig.service().run()
    error = caught.value
    assert error.page == 3
    assert error.progress is not None
    assert error.progress.pages_archived == 2
    assert len(rig.archive.objects) == len(rig.audit_log.records) == 2
    assert str(error).startswith("INVALID_PAYLOAD: page 3: body is not JSON")
    assert "(2 page(s) archived before the failure)" in str(error)


def test_after_a_failure_on_page_n_a_run_completes_without_duplicates() -> None:
    pages = {
        None: [b'{"logs":[{"n":1}],"next_cursor":"c2"}'],
        "c2": [b'{"logs":[{"n":2}],"next_cursor":"c3"}'],
        "c3": [SourceRejected("HTTP 403", status=403)],
    }
    rig = Rig(source=FakeLogSource(pages))
    with pytest.raises(SourceRejected):
        rig.service().run()
    rig.source.pages["c3"] = [b'{"logs":[{"n":3}]}']
    result = rig.service().run()
    assert (result.pages_archived, result.records_written) == (3, 1)
    assert len(rig.archive.objects) == len(rig.audit_log.records) == 3
    assert set(rig.archive.objects) == set(rig.audit_log.records)


@pytest.mark.parametrize(
    ("body", "error"),
    [(b"nope", InvalidPayload), (b'{"logs":[' + b'{"x":1},' * 20 + b"{}]}", PayloadTooLarge)],
    ids=["invalid", "too-large"],
)
def test_a_rejected_payload_is_never_fetched_again(body: bytes, error: type[VaultError]) -> None:
    rig = Rig(source=FakeLogSource({None: [body]}), max_body_bytes=64)
    with pytest.raises(error):
        rig.service().run()
    assert rig.source.calls == [None]
    assert rig.pauses == []
    assert rig.archive.events == []


def test_the_size_limit_is_enforced_even_when_the_source_does_not() -> None:
    rig = Rig(source=FakeLogSource({None: [PAGE]}), max_body_bytes=len(PAGE) - 1)
    with pytest.raises(PayloadTooLarge):
        rig.service().run()
    rig = Rig(source=FakeLogSource({None: [PAGE]}), max_body_bytes=len(PAGE))
    assert rig.service().run().pages_archived == 1


def test_transient_failures_are_retried_with_exponential_backoff() -> None:
    rig = Rig(source=FakeLogSource({None: [transient(), transient(), PAGE]}))
    result = rig.service().run()
    assert result.pages_archived == 1
    assert rig.source.calls == [None, None, None]
    assert rig.pauses == [1.0, 2.0]


def test_backoff_doubles_and_is_capped_at_30_seconds() -> None:
    rig = Rig(source=FakeLogSource({None: [transient()] * 7 + [PAGE]}), max_attempts=8)
    rig.service().run()
    assert rig.pauses == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]


def test_jitter_adds_up_to_one_second() -> None:
    rig = Rig(source=FakeLogSource({None: [transient(), PAGE]}), jitter=0.75)
    rig.service().run()
    assert rig.pauses == [1.75]


def test_the_default_policy_jitters_within_one_second() -> None:
    policy = RetryPolicy()
    pauses = {policy.pause_before_next(2, transient()) for _ in range(50)}
    assert all(2.0 <= pause < 3.0 for pause in pauses)
    assert len(pauses) > 1


@pytest.mark.parametrize(("retry_after", "expected"), [(7, 7.0), (0, 0.0), (3600, 60.0)])
def test_retry_after_replaces_the_backoff_and_is_capped(retry_after: int, expected: float) -> None:
    rig = Rig(source=FakeLogSource({None: [transient(retry_after), PAGE]}), jitter=0.5)
    rig.service().run()
    assert rig.pauses == [expected]


def test_attempts_running_out_is_source_unavailable_with_the_last_reason() -> None:
    rig = Rig(source=FakeLogSource({None: [TransientSourceError("HTTP 502 from api")]}))
    with pytest.raises(SourceUnavailable, match="HTTP 502 from api") as caught:
        rig.service().run()
    assert rig.source.calls == [None] * 3
    assert len(rig.pauses) == 2
    assert caught.value.page == 1
    assert rig.archive.events == []


def test_a_rejected_status_is_not_retried() -> None:
    rig = Rig(source=FakeLogSource({None: [SourceRejected("HTTP 401", status=401), PAGE]}))
    with pytest.raises(SourceRejected):
        rig.service().run()
    assert rig.source.calls == [None]
    assert rig.pauses == []


def test_each_page_gets_its_own_attempts() -> None:
    pages = {
        None: [transient(), transient(), b'{"logs":[{"n":1}],"next_cursor":"c2"}'],
        "c2": [transient(), transient(), b'{"logs":[{"n":2}]}'],
    }
    rig = Rig(source=FakeLogSource(pages))
    assert rig.service().run().pages_archived == 2
    assert rig.pauses == [1.0, 2.0, 1.0, 2.0]


def test_configuration_that_cannot_work_is_refused() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="max_body_bytes"):
        VaultService(
            FakeLogSource(),
            FakeArchive(),
            FakeAuditLog(),
            clock=lambda: NOON,
            pause=lambda _: None,
            max_body_bytes=0,
        )


def test_keys_are_derived_from_the_bytes() -> None:
    assert key_of(PAGE) == "logs/" + hashlib.sha256(PAGE).hexdigest() + ".json"
    assert key_of(PAGE) == key_of(bytes(PAGE))
    assert key_of(PAGE) != key_of(PAGE + b" ")
