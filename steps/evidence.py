"""What a failing step saw, in words a product manager reads: the run's outcome, the archive's
keys, the audit records and the log API's requests. Attached to the failing step's report."""

from __future__ import annotations

from typing import Any

from steps.archive import ArchiveBucket
from steps.audit_log import AuditCollection, AuditView
from steps.log_api import ScriptedLogApi
from steps.world import VaultUnderTest


def evidence(fixtures: dict[str, Any]) -> str | None:
    """The scenario's world as it stands, from the fixtures the scenario already uses."""
    sections = [
        _outcomes(fixtures.get("vault")),
        _archive(fixtures.get("archive")),
        _audit(fixtures.get("audit_collection")),
        _requests(fixtures.get("log_api")),
    ]
    shown = [section for section in sections if section]
    return "\n\n".join(shown) if shown else None


def _outcomes(vault: VaultUnderTest | None) -> str:
    if vault is None:
        return ""
    shown = "\n".join(command.shown() for command in vault.commands) or "  nothing yet"
    return f"What the vault printed:\n{shown}"


def _archive(archive: ArchiveBucket | None) -> str:
    if archive is None:
        return ""
    keys = archive.keys()
    listed = "\n".join(f"  {key}" for key in keys) or "  (empty)"
    return f"The archive (s3://{archive.bucket}), {len(keys)} object(s):\n{listed}"


def _audit(collection: AuditCollection | None) -> str:
    if collection is None:
        return ""
    view = AuditView(collection)
    records = view.records()
    return f"The audit log, {len(records)} record(s):\n{view.show(records)}"


def _requests(log_api: ScriptedLogApi | None) -> str:
    if log_api is None:
        return ""
    calls = "\n".join(f"  {n}. {call}" for n, call in enumerate(log_api.calls, 1)) or "  (none)"
    return f"The log API's requests, {len(log_api.calls)} in all:\n{calls}"
