"""The vault under test, with the clock and the pauses a scenario controls.

The fixtures in the root ``conftest.py`` build the world (``steps.log_api``, ``steps.archive``,
``steps.audit_log`` and this module); steps only call its methods.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TypeVar

import requests

from steps.archive import ARCHIVE_BUCKET, ArchiveFaults
from steps.audit_log import AuditCollection
from steps.log_api import LOG_API_URL, ScriptedLogApi
from vault import bootstrap
from vault.config import MONGOMOCK_URI, Settings
from vault.errors import VaultError
from vault.integrity import IntegrityCheck, Repair, Verification
from vault.results import RunResult

T = TypeVar("T")
START_INSTANT = "2026-01-01T00:00:00Z"
# The start of every scenario, as the acceptance language fixes it: written out here, not
# taken from the vault's defaults, so that a changed default turns scenarios red.
START_SETTINGS = Settings(
    api_url=LOG_API_URL,
    bucket=ARCHIVE_BUCKET,
    mongo_uri=MONGOMOCK_URI,
    max_attempts=3,
    max_body_bytes=10_485_760,
    max_pages=10_000,
)


class ScenarioMistake(AssertionError):
    """A step was given a value that makes no sense: the scenario, not the vault, is wrong."""


def parse_instant(text: str) -> datetime:
    instant = datetime.fromisoformat(text)
    if instant.tzinfo is None:
        raise ScenarioMistake(f'"{text}" has no time zone; write it in UTC with a Z')
    return instant


@dataclass
class FixedClock:
    """A clock that reads what the scenario says, and never moves by itself."""

    now: datetime = field(default_factory=lambda: parse_instant(START_INSTANT))

    def set(self, instant: str) -> None:
        self.now = parse_instant(instant)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class RecordedPauses:
    """The pause function the vault gets: records each pause instead of sleeping."""

    seconds: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)

    @property
    def longest(self) -> float:
        return max(self.seconds, default=0.0)

    def shown(self) -> str:
        return f"{[round(s, 3) for s in self.seconds]} seconds"


def _at_least_one(count: int, what: str) -> int:
    if count < 1:
        raise ScenarioMistake(f"{what} must be at least 1, the scenario says {count}")
    return count


@dataclass
class VaultUnderTest:
    """Builds the vault through the production composition root each time it runs, verifies
    or repairs, as each ``python -m vault`` command would, and keeps what each one returned."""

    log_api: ScriptedLogApi
    archive_faults: ArchiveFaults
    audit_collection: AuditCollection
    clock: FixedClock
    pauses: RecordedPauses
    session: requests.Session
    settings: Settings = START_SETTINGS
    outcomes: list[RunResult | VaultError] = field(default_factory=list)
    verifications: list[Verification | VaultError] = field(default_factory=list)
    repairs: list[Repair | VaultError] = field(default_factory=list)

    # Settings ----------------------------------------------------------------------------------
    def allow_attempts(self, count: int) -> None:
        attempts = _at_least_one(count, "the attempts per request")
        self.settings = replace(self.settings, max_attempts=attempts)

    def accept_bodies_up_to(self, size: int) -> None:
        size = _at_least_one(size, "the body size limit")
        self.settings = replace(self.settings, max_body_bytes=size)

    def fetch_at_most_pages(self, count: int) -> None:
        pages = _at_least_one(count, "the page limit")
        self.settings = replace(self.settings, max_pages=pages)
        self.log_api.page_limit = pages

    # Commands ----------------------------------------------------------------------------------
    def run(self) -> None:
        service = bootstrap.build_service(
            self.settings,
            session=self.session,
            s3=self.archive_faults.vault_s3,
            collection=self.audit_collection,
            clock=self.clock,
            pause=self.pauses,
            # Seeded jitter: pauses differ between attempts but not between runs of the suite.
            jitter=random.Random(7).random,
        )
        self.outcomes.append(_outcome(service.run))

    def verify(self) -> None:
        self.verifications.append(_outcome(self._integrity_check().verify))

    def repair(self) -> None:
        self.repairs.append(_outcome(self._integrity_check().repair))

    def _integrity_check(self) -> IntegrityCheck:
        return bootstrap.build_integrity_check(
            self.settings,
            s3=self.archive_faults.vault_s3,
            collection=self.audit_collection,
            clock=self.clock,
        )

    # What the commands returned ------------------------------------------------------------
    @property
    def last_outcome(self) -> RunResult | VaultError:
        assert self.outcomes, "the vault has not run yet: add 'When the vault runs'"
        return self.outcomes[-1]

    @property
    def last_error(self) -> VaultError:
        outcome = self.last_outcome
        assert isinstance(outcome, VaultError), (
            f"expected the run to fail, but it succeeded: {outcome.summary()}"
        )
        return outcome

    @property
    def last_verification(self) -> Verification:
        assert self.verifications, (
            "the vault has not verified the archive: add 'When the vault verifies the archive'"
        )
        return _succeeded(self.verifications[-1], "verification")

    @property
    def last_repair(self) -> Repair:
        assert self.repairs, (
            "the vault has not repaired the audit log: add 'When the vault repairs the audit log'"
        )
        return _succeeded(self.repairs[-1], "repair")


def _outcome(command: Callable[[], T]) -> T | VaultError:
    try:
        result: T = command()
    except VaultError as error:
        return error
    return result


def _succeeded(outcome: T | VaultError, what: str) -> T:
    assert not isinstance(outcome, VaultError), f"the {what} failed with {outcome}"
    return outcome
