"""Typed run errors: one base class, one subclass per published error code."""

from __future__ import annotations

from typing import ClassVar

from vault.results import RunResult


class VaultError(Exception):
    """A run failed. ``code`` is the stable, published error code."""

    code: ClassVar[str] = "VAULT_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        # Filled in by the service: what the run had completed before it failed.
        self.progress: RunResult | None = None
        self.page: int | None = None

    def __str__(self) -> str:
        """The message as an operator reads it: the code, the page, what failed, the progress."""
        where = f"page {self.page}: " if self.page is not None else ""
        done = ""
        if self.progress is not None:
            done = f" ({self.progress.pages_archived} page(s) archived before the failure)"
        return f"{self.code}: {where}{self.message}{done}"


class SourceUnavailable(VaultError):
    """The log API kept failing transiently until the attempts ran out."""

    code = "SOURCE_UNAVAILABLE"


class SourceRejected(VaultError):
    """The log API answered a status that retrying cannot fix."""

    code = "SOURCE_REJECTED"

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class InvalidPayload(VaultError):
    """The body is not a JSON object with a ``logs`` array of objects."""

    code = "INVALID_PAYLOAD"


class PayloadTooLarge(VaultError):
    """The body is over the configured size limit."""

    code = "PAYLOAD_TOO_LARGE"


class StorageAccessDenied(VaultError):
    """S3 refused the upload (HTTP 403)."""

    code = "STORAGE_ACCESS_DENIED"


class StorageBucketMissing(VaultError):
    """The archive bucket does not exist."""

    code = "STORAGE_BUCKET_MISSING"


class StorageUnavailable(VaultError):
    """S3 failed with a server error or could not be reached."""

    code = "STORAGE_UNAVAILABLE"


class StorageRejected(VaultError):
    """S3 refused the upload for another client-side reason (4xx other than 403/404)."""

    code = "STORAGE_REJECTED"


class PageLimitReached(VaultError):
    """The last page the vault may fetch in one run still names a next page."""

    code = "PAGE_LIMIT_REACHED"


class AuditUnavailable(VaultError):
    """MongoDB could not take the audit record."""

    code = "AUDIT_UNAVAILABLE"


class TransientSourceError(Exception):
    """A log API failure worth retrying (429, 5xx, timeout, dropped connection).

    Raised by log sources and consumed by the retry policy; never leaves the service.
    """

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


ERROR_CODES: tuple[type[VaultError], ...] = (
    SourceUnavailable,
    SourceRejected,
    InvalidPayload,
    PayloadTooLarge,
    StorageAccessDenied,
    StorageBucketMissing,
    StorageUnavailable,
    StorageRejected,
    AuditUnavailable,
    PageLimitReached,
)
