"""When: the vault runs, and the world changes between runs."""

from __future__ import annotations

from steps.sentences import when
from steps.world import RejectingCollection, VaultUnderTest


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
