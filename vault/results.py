"""What a run achieved: the service builds these, errors carry them, the CLI prints them."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    """What a run achieved; on failure, what it achieved before the failing page."""

    bucket: str
    pages_fetched: int = 0
    empty_pages: int = 0
    archived: list[ArchivedPage] = field(default_factory=list)

    @property
    def pages_archived(self) -> int:
        return len(self.archived)

    @property
    def log_count(self) -> int:
        return sum(page.log_count for page in self.archived)

    @property
    def records_written(self) -> int:
        return sum(page.newly_recorded for page in self.archived)

    def summary(self) -> str:
        already = self.pages_archived - self.records_written
        return (
            f"archived {self.pages_archived} page(s) with {self.log_count} log entries "
            f"into s3://{self.bucket} ({self.records_written} new audit record(s), "
            f"{already} already recorded, {self.empty_pages} empty page(s) skipped)"
        )
