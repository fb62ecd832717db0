"""Then: what the run did, what the log API saw, what the archive and the audit log hold,
and what a verification or a repair found.

A failing Then says what it expected and what it found, in the reader's terms.
"""

from __future__ import annotations

import hashlib

from steps.archive import ArchiveBucket
from steps.audit_log import AuditView, as_text
from steps.console import KINDS, VerifyReport
from steps.log_api import ScriptedLogApi
from steps.reveal import shown_form
from steps.sentences import then
from steps.world import RecordedPauses, VaultUnderTest

FIELDS_EXAMPLE = """the audit record has these fields:
  | field     | value                |
  | log_count | 3                    |
  | timestamp | 2026-03-01T12:00:00Z |"""
NEVER_SHOWS_EXAMPLE = 'the output never shows "Kestrel-Harbour-42"'


def _the_object(archive: ArchiveBucket) -> str:
    keys = archive.keys()
    assert len(keys) == 1, f"expected exactly one archived object, found {len(keys)}: {keys}"
    return keys[0]


def _calls(calls: list[object]) -> str:
    return "\n".join(f"  {n}. {call}" for n, call in enumerate(calls, 1)) or "  (none)"


# The run -------------------------------------------------------------------------------------
@then("the run succeeds")
def run_succeeds(vault: VaultUnderTest) -> None:
    """The last command succeeded: a run archived every page (exit status 0 and its summary on
    stdout); a verification found no problem; a repair was done."""
    check = vault.last_check
    if check is not None:
        assert not check.error, (
            f"expected the {check.what} to succeed, but it failed: {check.error}"
        )
        problems = len(check.problems) if isinstance(check, VerifyReport) else 0
        assert not problems, (
            f"expected the {check.what} to succeed, but it found {problems} problem(s):\n"
            f"{check.command.shown()}"
        )
        return
    run = vault.last_run
    assert run.succeeded, f"expected the run to succeed, but it failed:\n{run.command.shown()}"


@then('the run fails with error "{code}"')
def run_fails(vault: VaultUnderTest, code: str) -> None:
    """The last command failed with this error code (see the error code table): a run, or a
    verification or repair stopped by a typed failure."""
    check = vault.last_check
    if check is not None:
        assert check.code, (
            f'expected the {check.what} to fail with error "{code}", but it ended without a typed '
            f"failure (its problems are read by the verification sentences):\n"
            f"{check.command.shown()}"
        )
        assert check.code == code, f'expected error "{code}", but:\n{check.command.shown()}'
        return
    run = vault.last_failure
    assert run.code == code, f'expected error "{code}", but:\n{run.command.shown()}'


@then("the run fails on page {page}")
def run_fails_on_page(vault: VaultUnderTest, page: int) -> None:
    """The last run failed on this page: the one whose fetch, validation, archive or audit
    failed (for PAGE_LIMIT_REACHED, the last page fetched)."""
    run = vault.last_failure
    assert run.page == page, f"expected the run to fail on page {page}, but:\n{run.command.shown()}"


@then("the run reports {count} pages archived")
def run_reports_pages(vault: VaultUnderTest, count: int) -> None:
    """The non-empty pages the last run uploaded and found audited before it ended."""
    run = vault.last_run
    assert run.pages_archived is not None, (
        f"the run's output does not say how many pages it archived:\n{run.command.shown()}"
    )
    assert run.pages_archived == count, (
        f"expected the run to report {count} page(s) archived, it reports "
        f"{run.pages_archived}:\n{run.command.shown()}"
    )


@then('the error message mentions "{value}"')
def error_mentions(vault: VaultUnderTest, value: str) -> None:
    """The failed run's message, as an operator reads it, holds this text."""
    run = vault.last_failure
    assert value in run.message, (
        f'expected the error message to mention "{value}", it reads:\n{run.command.shown()}'
    )


# The log API and the pauses ------------------------------------------------------------------
@then("the log API was called {count} times")
def api_called(log_api: ScriptedLogApi, count: int) -> None:
    """The log API received exactly `count` requests in the whole scenario."""
    assert len(log_api.calls) == count, (
        f"expected the log API to be called {count} time(s), "
        f"it was called {len(log_api.calls)} time(s):\n{_calls(list(log_api.calls))}"
    )


@then("the log API was called {count} times for page {page}")
def api_called_for_page(log_api: ScriptedLogApi, count: int, page: int) -> None:
    """The log API received exactly `count` requests for page `page` in the whole scenario."""
    calls = log_api.calls_for_page(page)
    assert len(calls) == count, (
        f"expected {count} request(s) for page {page}, found {len(calls)}; every request:\n"
        f"{_calls(list(log_api.calls))}"
    )


@then("the vault paused {count} times before retrying")
def paused(pauses: RecordedPauses, count: int) -> None:
    """The vault paused exactly `count` times between attempts at the log API."""
    assert len(pauses.seconds) == count, (
        f"expected {count} pause(s) before retrying, found {len(pauses.seconds)}: {pauses.shown()}"
    )


@then("the vault waited at least {seconds} seconds before retrying")
def waited_at_least(pauses: RecordedPauses, seconds: int) -> None:
    """The vault's longest pause between attempts was at least `seconds` seconds."""
    assert pauses.seconds, f"expected a pause of at least {seconds}s, but the vault never paused"
    assert pauses.longest >= seconds, (
        f"expected a pause of at least {seconds}s, the longest was {pauses.longest:.3f}s "
        f"(all pauses: {pauses.shown()})"
    )


@then("the vault waited at most {seconds} seconds before retrying")
def waited_at_most(pauses: RecordedPauses, seconds: int) -> None:
    """The vault's longest pause between attempts was at most `seconds` seconds."""
    assert pauses.longest <= seconds, (
        f"expected no pause longer than {seconds}s, the longest was {pauses.longest:.3f}s "
        f"(all pauses: {pauses.shown()})"
    )


# The archive ---------------------------------------------------------------------------------
@then("the archive holds {count} objects")
def archive_holds(archive: ArchiveBucket, count: int) -> None:
    """The archive bucket holds exactly `count` objects (none if the bucket does not exist)."""
    keys = archive.keys()
    assert len(keys) == count, f"expected {count} archived object(s), found {len(keys)}: {keys}"


@then("the archive is empty")
def archive_empty(archive: ArchiveBucket) -> None:
    """The archive holds no object; also true when the bucket does not exist."""
    keys = archive.keys()
    assert not keys, f"expected an empty archive, found {len(keys)} object(s): {keys}"


@then("the archived object is byte-for-byte the body the log API served")
def archived_verbatim(archive: ArchiveBucket, log_api: ScriptedLogApi) -> None:
    """The only archived object has exactly the bytes of a body the API serves now, as JSON."""
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
def audit_holds(audit: AuditView, count: int) -> None:
    """The audit log holds exactly `count` records."""
    records = audit.records()
    assert len(records) == count, (
        f"expected {count} audit record(s), found {len(records)}:\n{audit.show(records)}"
    )


@then("no audit record is written")
def no_audit_record(audit: AuditView) -> None:
    """The audit log is still empty."""
    records = audit.records()
    assert not records, f"expected no audit record, found {len(records)}:\n{audit.show(records)}"


@then('the audit record has status "{value}"')
def record_status(audit: AuditView, value: str) -> None:
    """The only audit record's status is `value`."""
    record = audit.the_record()
    assert record.get("status") == value, (
        f'expected status "{value}", found "{record.get("status")}" in:\n{audit.show([record])}'
    )


@then('{count} audit records have status "{value}"')
def records_with_status(audit: AuditView, count: int, value: str) -> None:
    """Exactly `count` audit records have status `value`."""
    matching = audit.with_status(value)
    assert len(matching) == count, (
        f'expected {count} audit record(s) with status "{value}", found {len(matching)}:\n'
        f"{audit.show(audit.records())}"
    )


@then("the audit record points to the archived object")
def record_points(audit: AuditView, archive: ArchiveBucket) -> None:
    """The only audit record names the only archived object: its bucket and its key."""
    record, key = audit.the_record(), _the_object(archive)
    found = (record.get("bucket"), record.get("s3_key"))
    assert found == (archive.bucket, key), (
        f"expected the record to point to s3://{archive.bucket}/{key}, "
        f"it points to s3://{found[0]}/{found[1]}"
    )


@then("the audit record's checksum matches the archived object")
def record_checksum(audit: AuditView, archive: ArchiveBucket) -> None:
    """The record's sha256 and size_bytes are those of the archived bytes."""
    record, key = audit.the_record(), _the_object(archive)
    body, _ = archive.read(key)
    actual = {"sha256": hashlib.sha256(body).hexdigest(), "size_bytes": len(body)}
    recorded = {"sha256": record.get("sha256"), "size_bytes": record.get("size_bytes")}
    assert recorded == actual, f"the archived object has {actual}, the record says {recorded}"


@then("every audit record points to an archived object")
def no_orphan_records(audit: AuditView, archive: ArchiveBucket) -> None:
    """No audit record exists without its archived object (invariant 1)."""
    orphans = [
        f"s3://{r.get('bucket')}/{r.get('s3_key')}"
        for r in audit.records()
        if not archive.exists(str(r.get("bucket")), str(r.get("s3_key")))
    ]
    assert not orphans, f"audit records point to objects that are not archived: {orphans}"


@then("the audit record has these fields:", example=FIELDS_EXAMPLE)
def record_fields(audit: AuditView, datatable: list[list[str]]) -> None:
    """The only audit record has these values, compared as text (timestamp: ISO 8601 UTC, Z)."""
    record = audit.the_record()
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
        + f"\nthe record:\n{audit.show([record])}"
    )


# Integrity -----------------------------------------------------------------------------------
@then("the verification passes")
def verification_passes(vault: VaultUnderTest) -> None:
    """The latest verification found no problem of any kind."""
    verification = vault.last_verification
    assert verification.passes, (
        f"expected the verification to pass, but:\n{verification.command.shown()}"
    )


@then("the verification reports {count} problems")
def verification_problems(vault: VaultUnderTest, count: int) -> None:
    """The latest verification found exactly `count` problems, of any kind."""
    verification = vault.last_verification
    found = len(verification.problems)
    assert found == count, (
        f"expected {count} problem(s), the verification found {found}:\n"
        f"{verification.command.shown()}"
    )


@then('the verification reports "{code}" for {count} objects')
def verification_kind(vault: VaultUnderTest, code: str, count: int) -> None:
    """The latest verification found exactly `count` problems of kind `code` (0 allowed)."""
    kinds = list(KINDS)
    assert code in kinds, f'"{code}" is not a kind of problem; the kinds are {kinds}'
    verification = vault.last_verification
    found = verification.count(code)
    assert found == count, (
        f'expected "{code}" for {count} object(s), found {found}:\n{verification.command.shown()}'
    )


@then("the repair writes {count} records")
def repair_writes(vault: VaultUnderTest, count: int) -> None:
    """The latest repair wrote exactly `count` audit records."""
    repair = vault.last_repair
    assert len(repair.written) == count, (
        f"expected the repair to write {count} record(s), it wrote {len(repair.written)}:\n"
        f"{repair.command.shown()}"
    )


# The operator (v3) ---------------------------------------------------------------------------
@then("the vault refuses to start")
def vault_refuses(vault: VaultUnderTest) -> None:
    """The last command ended with exit status 2, having sent no request to the log API, S3
    or MongoDB, and written nothing."""
    refusal = vault.last_refusal
    assert not vault.refusal_touched_anything(), (
        "the vault refused to start, but it had already sent requests (to the log API, S3 or "
        f"MongoDB):\n{refusal.command.shown()}"
    )


@then("the refusal names {setting}")
def refusal_names(vault: VaultUnderTest, setting: str) -> None:
    """The last command was refused, and lists this setting among its bad or missing ones."""
    refusal = vault.last_refusal
    assert setting in refusal.settings, (
        f"expected the refusal to name {setting}, it names {list(refusal.settings)}:\n"
        f"{refusal.command.shown()}"
    )


@then('the output never shows "{value}"', example=NEVER_SHOWS_EXAMPLE)
def output_never_shows(vault: VaultUnderTest, value: str) -> None:
    """No command of the scenario printed this text, on either stream: as it is, with any
    JSON string escape, or percent-encoded."""
    assert vault.commands, "the vault has not run yet: add 'When the vault runs'"
    for command in vault.commands:
        for name, text in (("stdout", command.out), ("stderr", command.err)):
            form = shown_form(text, value)
            assert form is None, (
                f'the vault showed "{value}" on {name} ({form}):\n{command.shown()}'
            )
