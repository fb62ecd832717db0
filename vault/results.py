"""What a run achieved: the service builds these, errors carry them, the CLI prints them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArchivedPage:
    """One page that is now archived and audited."""

    key: str
    sha256: str
    size_bytes: int
    log_count: int
    newly_recorded: bool


@dataclass
class RunResult:
    """What a run achieved; on failure, what it achieved before the failing page.

    Counts, not a list of pages: a run of 10,000 pages costs no more to describe than one."""

    bucket: str
    pages_fetched: int = 0
    empty_pages: int = 0
    pages_archived: int = 0
    log_count: int = 0
    records_written: int = 0
    last_archived: ArchivedPage | None = None

    def add(self, page: ArchivedPage) -> None:
        """Count one page that is now archived and audited."""
        self.pages_archived += 1
        self.log_count += page.log_count
        self.records_written += page.newly_recorded
        self.last_archived = page

    def summary(self) -> str:
        already = self.pages_archived - self.records_written
        return (
            f"archived {self.pages_archived} page(s) with {self.log_count} log entries "
            f"into s3://{self.bucket} ({self.records_written} new audit record(s), "
            f"{already} already recorded, {self.empty_pages} empty page(s) skipped)"
        )
