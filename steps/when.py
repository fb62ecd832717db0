"""When: the vault runs, and the world changes between runs."""

from __future__ import annotations

from typing import Any

from steps.sentences import when
from steps.world import ArchiveFaults, RejectingCollection, ScriptedLogApi, VaultUnderTest


@when("the vault runs")
def vault_runs(vault: VaultUnderTest) -> None:
    """One full run of a freshly wired vault; its success or error is kept for the Then steps."""
    vault.run()


@when("the vault runs again")
def vault_runs_again(vault: VaultUnderTest) -> None:
    """Another full run, against the same archive, audit log and log API."""
    vault.run()


@when("the audit log accepts writes again")
def audit_recovers(audit_collection: RejectingCollection) -> None:
    """MongoDB is back: audit writes succeed from now on."""
    audit_collection.rejecting = False


# Recovery: sentences added to the language, so that a scenario can end a fault.
@when("the archive accepts uploads again")
def archive_recovers(archive_faults: ArchiveFaults) -> None:
    """S3 takes uploads again: no more denial and no more planned server errors."""
    archive_faults.clear()


@when("the archive bucket is created")
def bucket_created(archive_bucket: str, s3: Any) -> None:
    """The archive bucket exists again, empty."""
    s3.create_bucket(Bucket=archive_bucket)


@when("the log API recovers")
def log_api_recovers(log_api: ScriptedLogApi) -> None:
    """The log API stops failing: every later request gets the served body."""
    log_api.recover()
