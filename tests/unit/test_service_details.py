"""Details of the service, the retry policy and page validation that no scenario pins down: the
bounds of their settings, the messages an operator reads, the run's own count of what it did.
Written to close the mutation tier's survivors in vault/service.py, vault/retry.py and
vault/payload.py (see tests/mutation/survivors.toml)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.unit.fakes import NOON, FakeArchive, FakeAuditLog, FakeLogSource, Rig
from vault.errors import InvalidPayload, SourceUnavailable, TransientSourceError
from vault.payload import MAX_DEPTH, nesting_depth, parse_page
from vault.retry import RetryPolicy
from vault.service import VaultService

PAGE = b'{"logs":[{"id":"a"},{"id":"b"}]}'


def service(**limits: int) -> VaultService:
    return VaultService(
        FakeLogSource(), FakeArchive(), FakeAuditLog(), clock=lambda: NOON, pause=print, **limits
    )


# The service ---------------------------------------------------------------------------------
def test_limits_of_one_are_accepted_and_zero_is_refused_with_its_name() -> None:
    service(max_body_bytes=1, max_pages=1)
    with pytest.raises(ValueError, match=r"^max_body_bytes must be positive$"):
        service(max_body_bytes=0)
    with pytest.raises(ValueError, match=r"^max_pages must be positive$"):
        service(max_pages=0)


def test_the_message_says_which_request_ran_out_of_attempts() -> None:
    down = TransientSourceError("HTTP 503")
    first = Rig(source=FakeLogSource({None: [down]}))
    with pytest.raises(
        SourceUnavailable,
        match=r"^SOURCE_UNAVAILABLE: page 1: GET first page failed 3 time\(s\); last: HTTP",
    ):
        first.service().run()
    second = Rig(source=FakeLogSource({None: [b'{"logs":[],"next_cursor":"p2"}'], "p2": [down]}))
    with pytest.raises(
        SourceUnavailable, match=r"^SOURCE_UNAVAILABLE: page 2: GET next page failed 3 time\(s\)"
    ):
        second.service().run()


def test_the_result_describes_each_archived_page_and_counts_empty_pages() -> None:
    pages = {
        None: [b'{"logs":[],"next_cursor":"p2"}'],
        "p2": [b'{"logs":[],"next_cursor":"p3"}'],
        "p3": [PAGE],
    }
    result = Rig(source=FakeLogSource(pages)).service().run()
    assert result.pages_archived == 1
    page = result.last_archived
    assert page is not None
    sha = hashlib.sha256(PAGE).hexdigest()
    assert (page.key, page.sha256, page.size_bytes, page.log_count) == (
        f"logs/{sha}.json",
        sha,
        len(PAGE),
        2,
    )
    assert result.empty_pages == 2
    assert result.summary().endswith("2 empty page(s) skipped)")


@pytest.fixture
def tokyo() -> Iterator[None]:
    """The machine's local time is not UTC, so local-time conversions show."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TZ", "Asia/Tokyo")
        time.tzset()
        yield
    time.tzset()


@pytest.mark.usefixtures("tokyo")
@pytest.mark.parametrize(
    "now", [datetime(2026, 3, 1, 12, 0), NOON.astimezone(timezone(timedelta(hours=1)))]
)
def test_the_run_time_is_utc_whatever_the_local_time_zone(now: datetime) -> None:
    rig = Rig(source=FakeLogSource({None: [PAGE]}), clock=lambda: now)
    rig.service().run()
    (record,) = rig.audit_log.records.values()
    assert record.timestamp == NOON
    assert record.timestamp.utcoffset() == timedelta(0)
    assert record.timestamp.tzinfo is UTC


# The retry policy ----------------------------------------------------------------------------
def test_at_least_one_attempt_is_required() -> None:
    with pytest.raises(ValueError, match=r"^max_attempts must be at least 1$"):
        RetryPolicy(max_attempts=0)


def test_jitter_is_scaled_by_its_maximum() -> None:
    policy = RetryPolicy(jitter=lambda: 0.5, jitter_max=0.5)
    assert policy.pause_before_next(1, TransientSourceError("HTTP 503")) == 1.25


# Page validation -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "depth"),
    [(b'"[{"', 0), (b"[]", 1), (b'{"logs": []}', 2), (b"[[]][[[]]]", 3), (b'[{"a":"]]"}]', 2)],
)
def test_nesting_depth_counts_brackets_outside_strings(body: bytes, depth: int) -> None:
    assert nesting_depth(body) == depth


def nested(depth: int) -> bytes:
    """A valid page whose deepest point is ``depth`` levels (outer object, logs, entry)."""
    inner = depth - 3
    return b'{"logs":[{"a":' + b"[" * inner + b"]" * inner + b"}]}"


def test_the_depth_limit_is_exact_and_many_shallow_entries_are_fine() -> None:
    assert parse_page(nested(MAX_DEPTH), 1 << 20).log_count == 1
    with pytest.raises(InvalidPayload, match=f"{MAX_DEPTH + 1} levels deep"):
        parse_page(nested(MAX_DEPTH + 1), 1 << 20)
    wide = b'{"logs":[' + b",".join([b"{}"] * (MAX_DEPTH + 10)) + b"]}"
    assert parse_page(wide, 1 << 20).log_count == MAX_DEPTH + 10


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "^INVALID_PAYLOAD: body is empty$"),
        (b'{"logs":{}}', '^INVALID_PAYLOAD: "logs" must be an array, found a JSON object$'),
        (
            b'{"logs":[],"next_cursor":""}',
            '^INVALID_PAYLOAD: "next_cursor" must be a non-empty string or null, '
            "found an empty string$",
        ),
    ],
)
def test_a_refused_page_says_why(body: bytes, message: str) -> None:
    with pytest.raises(InvalidPayload, match=message):
        parse_page(body, 1 << 20)
