"""Given: the log API, the vault, the archive and the audit log before the run."""

from __future__ import annotations

import pytest

from steps.sentences import given
from steps.world import (
    ArchiveFaults,
    FixedClock,
    RejectingCollection,
    ScriptedLogApi,
    VaultUnderTest,
    generated_entries,
    parse_instant,
)

TABLE_EXAMPLE = """the log API serves these security log entries:
  | id    | timestamp            | severity | source | message       |
  | evt-1 | 2026-03-01T12:00:00Z | HIGH     | sshd   | failed login  |"""
RAW_EXAMPLE = '''the log API serves this raw body:
  """
  {"logs": [{"id": "evt-1"}]}
  """'''


# The log API ---------------------------------------------------------------------------------
@given("the log API serves {count} security log entries")
def serve_generated(log_api: ScriptedLogApi, count: int) -> None:
    """One page of `count` generated, deterministic entries, as compact JSON."""
    log_api.serve_entries(generated_entries(count))


@given("the log API serves these security log entries:", example=TABLE_EXAMPLE)
def serve_table(log_api: ScriptedLogApi, datatable: list[list[str]]) -> None:
    """One page whose entries are the table's rows; the first row names the fields.
    Every value is served as a string, keys in column order."""
    header, *rows = datatable
    log_api.serve_entries([dict(zip(header, row, strict=True)) for row in rows])


@given("the log API serves this raw body:", example=RAW_EXAMPLE)
def serve_raw(log_api: ScriptedLogApi, docstring: str) -> None:
    """Exactly the doc string's bytes (UTF-8, no final newline), with HTTP 200."""
    log_api.serve_body(docstring.encode("utf-8"))


@given("the log API serves {count} security log entries in pages of {size}")
def serve_paged(log_api: ScriptedLogApi, count: int, size: int) -> None:
    """ceil(count/size) pages linked by `next_cursor`, the last without one.
    0 entries give one empty page."""
    assert size > 0, "a page size must be at least 1"
    log_api.serve_entries(generated_entries(count), page_size=size)


@given("the log API responds with HTTP {status} to the first {count} requests")
def fail_with_status(log_api: ScriptedLogApi, status: int, count: int) -> None:
    """The next `count` requests get `status`; failures queue in the order written."""
    log_api.fail("status", count, status=status)


@given("the log API always responds with HTTP {status}")
def always_fail(log_api: ScriptedLogApi, status: int) -> None:
    """Every request gets `status`; no served body is ever reached."""
    log_api.always_status = status


@given("the log API times out on the first {count} requests")
def time_out(log_api: ScriptedLogApi, count: int) -> None:
    """The next `count` requests time out (a read timeout, as requests reports it)."""
    log_api.fail("timeout", count)


@given("the log API drops the connection on the first {count} requests")
def drop_connection(log_api: ScriptedLogApi, count: int) -> None:
    """The next `count` requests lose their connection before any answer."""
    log_api.fail("drop", count)


@given("the log API responds with HTTP {status} and Retry-After {seconds} to the first request")
def fail_with_retry_after(log_api: ScriptedLogApi, status: int, seconds: int) -> None:
    """The next request gets `status` with a `Retry-After: seconds` header."""
    log_api.fail("status", 1, status=status, retry_after=seconds)


# The vault, the archive, the audit log -------------------------------------------------------
@given("the vault makes at most {count} attempts per request")
def max_attempts(vault: VaultUnderTest, count: int) -> None:
    """Each API request gets `count` attempts in all (the first one included)."""
    assert count > 0, "the vault needs at least 1 attempt per request"
    vault.max_attempts = count


@given('the clock reads "{instant}"')
def clock_reads(clock: FixedClock, instant: str) -> None:
    """The vault's clock stands still at this ISO 8601 UTC instant."""
    clock.now = parse_instant(instant)


@given("the archive denies uploads")
def archive_denies(archive_faults: ArchiveFaults, request: pytest.FixtureRequest) -> None:
    """The vault's S3 credentials lack s3:PutObject: S3 answers a genuine 403 AccessDenied."""
    denying = request.getfixturevalue("denying_s3")
    archive_faults.deny_uploads(denying.client, denying.enforcement)


@given("the archive bucket does not exist")
def bucket_missing(archive_bucket: str, request: pytest.FixtureRequest) -> None:
    """The archive bucket is deleted (it is empty at the start of every scenario)."""
    request.getfixturevalue("s3").delete_bucket(Bucket=archive_bucket)


@given("the archive fails uploads with HTTP {status}")
def archive_fails(archive_faults: ArchiveFaults, status: int) -> None:
    """Every upload gets an S3 error answer with this 5xx status."""
    archive_faults.fail_uploads(status)


@given("the vault accepts bodies of at most {size} bytes")
def body_limit(vault: VaultUnderTest, size: int) -> None:
    """A body over `size` bytes fails the run with PAYLOAD_TOO_LARGE."""
    vault.max_body_bytes = size


@given("the audit log rejects writes")
def audit_rejects(audit_collection: RejectingCollection) -> None:
    """MongoDB cannot be reached: every audit write fails until it accepts writes again."""
    audit_collection.rejecting = True
