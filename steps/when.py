"""When: the vault runs, verifies or repairs, and the world changes between runs."""

from __future__ import annotations

from steps.archive import ArchiveBucket, ArchiveFaults
from steps.audit_log import AuditCollection, AuditView
from steps.log_api import ScriptedLogApi
from steps.sentences import when
from steps.world import VaultUnderTest

RAW_EXAMPLE = '''the log API now serves this raw body:
  """
  {"logs": [{"id": "evt-2"}]}
  """'''


# The vault -----------------------------------------------------------------------------------
@when("the vault runs")
def vault_runs(vault: VaultUnderTest) -> None:
    """One full run of a freshly wired vault; its success or error is kept for the Then steps."""
    vault.run()


@when("the vault runs again")
def vault_runs_again(vault: VaultUnderTest) -> None:
    """Another full run, against the same archive, audit log and log API."""
    vault.run()


@when("the vault verifies the archive")
def vault_verifies(vault: VaultUnderTest) -> None:
    """Compares every archived object under logs/ with the audit log; changes nothing."""
    vault.verify()


@when("the vault repairs the audit log")
def vault_repairs(vault: VaultUnderTest) -> None:
    """Writes the missing record of every MISSING_RECORD object, with status RECOVERED."""
    vault.repair()


# Faults end ----------------------------------------------------------------------------------
@when("the audit log accepts writes again")
def audit_recovers(audit_collection: AuditCollection) -> None:
    """MongoDB is back: audit writes succeed from now on (ends every audit fault)."""
    audit_collection.clear()


@when("the archive accepts uploads again")
def archive_recovers(archive_faults: ArchiveFaults) -> None:
    """S3 takes uploads again: no more denial and no more planned errors."""
    archive_faults.clear()


@when("the archive bucket is created")
def bucket_created(archive: ArchiveBucket) -> None:
    """The archive bucket exists again, empty."""
    archive.create_bucket()


@when("the log API recovers")
def log_api_recovers(log_api: ScriptedLogApi) -> None:
    """Every queued failure, `always responds` and redirect ends; the body served last answers."""
    log_api.recover()


# The world changes ---------------------------------------------------------------------------
@when("the log API now serves {count} security log entries")
def now_serves_generated(log_api: ScriptedLogApi, count: int) -> None:
    """Replaces the served body with `count` new entries, different from every body before."""
    log_api.serve_entries(count)


@when("the log API now serves this raw body:", example=RAW_EXAMPLE)
def now_serves_raw(log_api: ScriptedLogApi, docstring: str) -> None:
    """Replaces the served body with exactly the doc string's bytes."""
    log_api.serve_body(docstring.encode("utf-8"))


@when("an archived object is overwritten with other bytes")
def object_overwritten(archive: ArchiveBucket) -> None:
    """The object with the smallest key gets new bytes under the same key."""
    archive.overwrite_first()


@when("an archived object is deleted")
def object_deleted(archive: ArchiveBucket) -> None:
    """The object with the smallest key is deleted."""
    archive.delete_first()


@when("an audit record is deleted")
def record_deleted(audit: AuditView) -> None:
    """The record with the smallest `s3_key` is deleted."""
    audit.delete_first()
