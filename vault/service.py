"""The orchestrator: fetch each page, archive its exact bytes, then write its audit record."""

from __future__ import annotations

from datetime import UTC, datetime

from vault import defaults
from vault.errors import InvalidPayload, PageLimitReached, VaultError
from vault.payload import FollowedCursors, Page, parse_page, quoted
from vault.ports import Archive, AuditLog, Clock, LogSource, Pause
from vault.results import ArchivedPage, RunResult
from vault.retry import RetryPolicy

STATUS_ARCHIVED = "ARCHIVED"


class VaultService:
    """Pulls every page from the log source into the archive and the audit log.

    Everything it talks to is passed in; it builds no client of its own.
    """

    def __init__(
        self,
        log_source: LogSource,
        archive: Archive,
        audit_log: AuditLog,
        *,
        clock: Clock,
        pause: Pause,
        retry_policy: RetryPolicy | None = None,
        max_body_bytes: int = defaults.MAX_BODY_BYTES,
        max_pages: int = defaults.MAX_PAGES,
    ) -> None:
        if max_body_bytes < 1:
            raise ValueError("max_body_bytes must be positive")
        if max_pages < 1:
            raise ValueError("max_pages must be positive")
        self._log_source = log_source
        self._archive = archive
        self._audit_log = audit_log
        self._clock = clock
        self._retrier = (retry_policy or RetryPolicy()).pausing_with(pause)
        self._max_body_bytes = max_body_bytes
        self._max_pages = max_pages

    def run(self) -> RunResult:
        """Archive and audit every page; raise a ``VaultError`` that carries the progress."""
        now = self._clock()
        run_time = now.astimezone(UTC) if now.tzinfo else now.replace(tzinfo=UTC)
        result = RunResult(bucket=self._archive.location)
        cursor: str | None = None
        followed = FollowedCursors()
        while True:
            page_number = result.pages_fetched + 1
            try:
                cursor = self._pull_page(cursor, result, run_time)
                # Checked after the page is archived and audited (its entries were delivered),
                # before the page limit, and before the repeated cursor could be requested.
                if cursor is not None and cursor in followed:
                    raise InvalidPayload(
                        f"next_cursor {quoted(cursor)} repeats a cursor this run already followed: "
                        f"this page is archived, the repeated cursor is not requested"
                    )
                if cursor is not None and page_number >= self._max_pages:
                    raise PageLimitReached(
                        f"it still names a next page, but the vault fetches at most "
                        f"{self._max_pages} pages per run (VAULT_MAX_PAGES={self._max_pages})"
                    )
            except VaultError as error:
                error.page = page_number
                error.progress = result
                raise
            if cursor is None:
                return result
            followed.add(cursor)

    def _pull_page(self, cursor: str | None, result: RunResult, run_time: datetime) -> str | None:
        """Fetch, archive and audit one page; return the next cursor. The page lives only here,
        so the service never holds more than one page."""
        page = self._fetch(cursor)
        result.pages_fetched += 1
        if page.log_count == 0:
            result.empty_pages += 1
        else:
            result.add(self._archive_and_audit(page, run_time))
        return page.next_cursor

    def _fetch(self, cursor: str | None) -> Page:
        what = "GET first page" if cursor is None else "GET next page"
        body = self._retrier.call(
            lambda: self._log_source.fetch_page(cursor, self._max_body_bytes), what
        )
        return parse_page(body, self._max_body_bytes)

    def _archive_and_audit(self, page: Page, run_time: datetime) -> ArchivedPage:
        # Archive first: an audit record must never point at an object that is not there.
        self._archive.store(page.key, page.body, page.sha256)
        newly_recorded = self._audit_log.record(
            page.audit_record(
                bucket=self._archive.location, timestamp=run_time, status=STATUS_ARCHIVED
            )
        )
        return ArchivedPage(
            key=page.key,
            sha256=page.sha256,
            size_bytes=len(page.body),
            log_count=page.log_count,
            newly_recorded=newly_recorded,
        )
