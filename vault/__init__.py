"""The Audit Vault: security logs from an API, archived byte for byte in S3, audited in MongoDB."""

from vault.errors import VaultError
from vault.ports import Archive, AuditLog, AuditRecord, LogSource
from vault.retry import RetryPolicy
from vault.service import RunResult, VaultService

__all__ = [
    "Archive",
    "AuditLog",
    "AuditRecord",
    "LogSource",
    "RetryPolicy",
    "RunResult",
    "VaultError",
    "VaultService",
]
