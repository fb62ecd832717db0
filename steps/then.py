"""Then: what the run did, what the log API saw, what the archive and the audit log hold.

A failing Then says what it expected and what it found, in the reader's terms.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from steps.sentences import then
from steps.world import (
    ArchiveView,
    RecordedPauses,
    RejectingCollection,
    ScriptedLogApi,
    VaultUnderTest,
)
from vault.errors import VaultError

FIELDS_EXAMPLE = """the audit record has these fields:
  | field     | value                |
  | log_count | 3                    |
  | timestamp | 2026-03-01T12:00:00Z |"""


def _records(audit_collection: RejectingCollection) -> list[dict[str, Any]]:
    return list(audit_collection.find({}, {"_id": False}).sort("s3_key"))


def _show(records: list[dict[str, Any]]) -> str:
    shown = [{k: as_text(v) for k, v in record.items()} for record in records]
    return json.dumps(shown, indent=2, ensure_ascii=False)


def _the_record(audit_collection: RejectingCollection) -> dict[str, Any]:
    records = _records(audit_collection)
    assert len(records) == 1, (
        f"expected exactly one audit record, found {len(records)}:\n{_show(records)}"
    )
    return records[0]


def _the_object(archive: ArchiveView) -> str:
    keys = archive.keys()
    assert len(keys) == 1, f"expected exactly one archived object, found {len(keys)}: {keys}"
    return keys[0]


def as_text(value: object) -> str:
    """A stored value as the language compares it: digits, strings, ISO 8601 UTC with a Z."""
    if isinstance(value, datetime):
        instant = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        text = instant.strftime("%Y-%m-%dT%H:%M:%S")
        if instant.microsecond:
            text += f".{instant.microsecond // 1000:03d}"
        return text + "Z"
    return str(value)


# The run and the API -------------------------------------------------------------------------
@then("the run succeeds")
def run_succeeds(vault: VaultUnderTest) -> None:
    """The last run archived every page and raised no error."""
    outcome = vault.last_outcome
    assert not isinstance(outcome, VaultError), (
        f"expected the run to succeed, but it failed with {outcome}"
    )


@then('the run fails with error "{code}"')
def run_fails(vault: VaultUnderTest, code: str) -> None:
    """The last run failed with this error code (see the error code table)."""
    outcome = vault.last_outcome
    assert isinstance(outcome, VaultError), (
        f'expected the run to fail with "{code}", but it succeeded: {outcome.summary()}'
    )
    assert outcome.code == code, f'expected error "{code}", but the run failed with {outcome}'


@then("the log API was called {count} times")
def api_called(log_api: ScriptedLogApi, count: int) -> None:
    """The log API received exactly `count` requests in the whole scenario."""
    calls = "\n".join(f"  {n}. GET {url}" for n, url in enumerate(log_api.calls, 1))
    assert len(log_api.calls) == count, (
        f"expected the log API to be called {count} time(s), "
        f"it was called {len(log_api.calls)} time(s):\n{calls}"
    )


@then("the vault paused {count} times before retrying")
def paused(pauses: RecordedPauses, count: int) -> None:
    """The vault paused exactly `count` times between attempts at the log API."""
    assert len(pauses.seconds) == count, (
        f"expected {count} pause(s) before retrying, found {len(pauses.seconds)}: "
        f"{[round(s, 3) for s in pauses.seconds]} seconds"
    )


@then("the vault waited at least {seconds} seconds before retrying")
def waited(pauses: RecordedPauses, seconds: int) -> None:
    """The vault's longest pause between attempts was at least `seconds` seconds."""
    assert pauses.seconds, f"expected a pause of at least {seconds}s, but the vault never paused"
    longest = max(pauses.seconds)
    assert longest >= seconds, (
        f"expected a pause of at least {seconds}s, the longest was {longest:.3f}s "
        f"(all pauses: {[round(s, 3) for s in pauses.seconds]})"
    )


# The archive ---------------------------------------------------------------------------------
@then("the archive holds {count} objects")
def archive_holds(archive: ArchiveView, count: int) -> None:
    """The archive bucket holds exactly `count` objects (none if the bucket does not exist)."""
    keys = archive.keys()
    assert len(keys) == count, f"expected {count} archived object(s), found {len(keys)}: {keys}"


@then("the archive is empty")
def archive_empty(archive: ArchiveView) -> None:
    """The archive holds no object; also true when the bucket does not exist."""
    keys = archive.keys()
    assert not keys, f"expected an empty archive, found {len(keys)} object(s): {keys}"


@then("the archived object is byte-for-byte the body the log API served")
def archived_verbatim(archive: ArchiveView, log_api: ScriptedLogApi) -> None:
    """The only archived object has exactly the bytes of a body the API served, as JSON."""
    key = _the_object(archive)
    body, content_type = archive.read(key)
    served = log_api.served_bodies
    assert body in served, (
        f"the archived object {key} is not byte-for-byte a body the log API served\n"
        f"archived ({len(body)} bytes): {body[:300]!r}\n"
        + "\n".join(f"served ({len(s)} bytes): {s[:300]!r}" for s in served)
    )
    assert content_type == "application/json", (
        f"expected content type application/json, found {content_type}"
    )


# The audit log -------------------------------------------------------------------------------
@then("the audit log holds {count} records")
def audit_holds(audit_collection: RejectingCollection, count: int) -> None:
    """The audit log holds exactly `count` records."""
    records = _records(audit_collection)
    assert len(records) == count, (
        f"expected {count} audit record(s), found {len(records)}:\n{_show(records)}"
    )


@then("no audit record is written")
def no_audit_record(audit_collection: RejectingCollection) -> None:
    """The audit log is still empty."""
    records = _records(audit_collection)
    assert not records, f"expected no audit record, found {len(records)}:\n{_show(records)}"


@then('the audit record has status "{value}"')
def record_status(audit_collection: RejectingCollection, value: str) -> None:
    """The only audit record's status is `value`."""
    record = _the_record(audit_collection)
    assert record.get("status") == value, (
        f'expected status "{value}", found "{record.get("status")}" in:\n{_show([record])}'
    )


@then("the audit record points to the archived object")
def record_points(audit_collection: RejectingCollection, archive: ArchiveView) -> None:
    """The only audit record names the only archived object: its bucket and its key."""
    record, key = _the_record(audit_collection), _the_object(archive)
    found = (record.get("bucket"), record.get("s3_key"))
    assert found == (archive.bucket, key), (
        f"expected the record to point to s3://{archive.bucket}/{key}, "
        f"it points to s3://{found[0]}/{found[1]}"
    )


@then("the audit record's checksum matches the archived object")
def record_checksum(audit_collection: RejectingCollection, archive: ArchiveView) -> None:
    """The record's sha256 and size_bytes are those of the archived bytes."""
    record, key = _the_record(audit_collection), _the_object(archive)
    body, _ = archive.read(key)
    actual = {"sha256": hashlib.sha256(body).hexdigest(), "size_bytes": len(body)}
    recorded = {"sha256": record.get("sha256"), "size_bytes": record.get("size_bytes")}
    assert recorded == actual, f"the archived object has {actual}, the record says {recorded}"


@then("every audit record points to an archived object")
def no_orphan_records(audit_collection: RejectingCollection, archive: ArchiveView) -> None:
    """No audit record exists without its archived object (invariant 1)."""
    orphans = [
        f"s3://{r.get('bucket')}/{r.get('s3_key')}"
        for r in _records(audit_collection)
        if not archive.exists(str(r.get("bucket")), str(r.get("s3_key")))
    ]
    assert not orphans, f"audit records point to objects that are not archived: {orphans}"


@then("the audit record has these fields:", example=FIELDS_EXAMPLE)
def record_fields(audit_collection: RejectingCollection, datatable: list[list[str]]) -> None:
    """The only audit record has these values, compared as text (timestamp: ISO 8601 UTC, Z)."""
    record = _the_record(audit_collection)
    header, *rows = datatable
    assert header == ["field", "value"], (
        f"the table's first row must be | field | value |, got {header}"
    )
    mismatches = [
        f"  {field}: expected {expected!r}, found "
        + (repr(as_text(record[field])) if field in record else "no such field")
        for field, expected in rows
        if field not in record or as_text(record[field]) != expected
    ]
    assert not mismatches, (
        "the audit record differs:\n"
        + "\n".join(mismatches)
        + (f"\nthe record:\n{_show([record])}")
    )
