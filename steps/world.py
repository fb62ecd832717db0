"""The vault under test, with the clock and the pauses a scenario controls.

The fixtures in the root ``conftest.py`` build the world (``steps.log_api``, ``steps.archive``,
``steps.audit_log`` and this module); steps only call its methods.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from steps.archive import ARCHIVE_BUCKET, REGION, ArchiveFaults
from steps.audit_log import AuditCollection
from steps.console import Command, RepairReport, RunReport, VerifyReport
from steps.log_api import LOG_API_QUERY, LOG_API_URL, ScriptedLogApi
from vault import bootstrap, cli
from vault.config import Settings

START_INSTANT = "2026-01-01T00:00:00Z"
# The operator's environment at the start of every scenario: where the vault finds the log API,
# the bucket and MongoDB, and credentials (fake, but shaped like real ones, so that the
# vault's redaction sees what it would see in production). Attempts, body size and page limit
# are left to the vault's defaults, which the acceptance language fixes (3, 10 MiB, 10,000): a
# changed attempts default turns scenarios red, and tests/unit/test_config.py pins all three.
# Given sentences add VAULT_* settings to it.
# Its user is "vault", as many operators would name it: a user name is no secret, and output that
# hid every "vault" would not read.
MONGO_URI = "mongodb://vault:Audit-Pa55word@127.0.0.1:27017/?authSource=admin"
START_ENVIRONMENT = {
    "VAULT_API_URL": f"{LOG_API_URL}?{LOG_API_QUERY}",
    "VAULT_BUCKET": ARCHIVE_BUCKET,
    "VAULT_MONGO_URI": MONGO_URI,
    "AWS_DEFAULT_REGION": REGION,
    "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7SUITE01",
    "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSUITEKEY01",
}


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
    """Gives every command as an operator would, ``python -m vault run`` (``verify``,
    ``repair``), through the vault's own entry point, in-process: the real settings check,
    composition root, service and output. Only what the process provides differs: the clients
    of the suite's doubles, the scenario's clock and recorded pauses. Keeps what each command
    printed, read as an operator reads it."""

    log_api: ScriptedLogApi
    archive_faults: ArchiveFaults
    audit_collection: AuditCollection
    mongo_client: Any
    clock: FixedClock
    pauses: RecordedPauses
    environment: dict[str, str] = field(default_factory=lambda: dict(START_ENVIRONMENT))
    commands: list[Command] = field(default_factory=list)
    runs: list[RunReport] = field(default_factory=list)
    verifications: list[VerifyReport] = field(default_factory=list)
    repairs: list[RepairReport] = field(default_factory=list)

    # Settings ----------------------------------------------------------------------------------
    def allow_attempts(self, count: int) -> None:
        attempts = _at_least_one(count, "the attempts per request")
        self.environment["VAULT_MAX_ATTEMPTS"] = str(attempts)

    def accept_bodies_up_to(self, size: int) -> None:
        size = _at_least_one(size, "the body size limit")
        self.environment["VAULT_MAX_BODY_BYTES"] = str(size)

    def fetch_at_most_pages(self, count: int) -> None:
        pages = _at_least_one(count, "the page limit")
        self.environment["VAULT_MAX_PAGES"] = str(pages)
        self.log_api.page_limit = pages

    @property
    def bucket(self) -> str:
        return self.environment["VAULT_BUCKET"]

    # Commands ----------------------------------------------------------------------------------
    def run(self) -> None:
        self.runs.append(RunReport.read(self._command("run"), self.bucket))

    def verify(self) -> None:
        self.verifications.append(VerifyReport.read(self._command("verify"), self.bucket))

    def repair(self) -> None:
        self.repairs.append(RepairReport.read(self._command("repair"), self.bucket))

    def _command(self, *argv: str) -> Command:
        out, err = io.StringIO(), io.StringIO()
        runtime = bootstrap.Runtime(
            s3=lambda: self.archive_faults.vault_s3,
            mongo=self._mongo,
            clock=self.clock,
            pause=self.pauses,
            # Seeded jitter: pauses differ between attempts but not between runs of the suite.
            jitter=random.Random(7).random,
        )
        status = cli.main(argv, env=self.environment, out=out, err=err, runtime=runtime)
        # A request no step planned is the scenario's mistake, whatever the vault made of it.
        self.log_api.raise_unplanned()
        command = Command(argv, status, out.getvalue(), err.getvalue())
        self.commands.append(command)
        return command

    def _mongo(self, settings: Settings) -> tuple[Any, Any]:
        """The MongoDB client and collection that the operator's settings name: the audit
        collection the scenario watches when they name it, another one when they don't."""
        watched = self.audit_collection
        if (settings.mongo_database, settings.mongo_collection) == (
            watched.database.name,
            watched.name,
        ):
            return self.mongo_client, watched
        return self.mongo_client, self.mongo_client[settings.mongo_database][
            settings.mongo_collection
        ]

    # What the commands printed ---------------------------------------------------------------
    @property
    def last_run(self) -> RunReport:
        assert self.runs, "the vault has not run yet: add 'When the vault runs'"
        return self.runs[-1]

    @property
    def last_failure(self) -> RunReport:
        run = self.last_run
        assert not run.succeeded, (
            f"expected the run to fail, but it succeeded:\n{run.command.shown()}"
        )
        return run

    @property
    def last_verification(self) -> VerifyReport:
        assert self.verifications, (
            "the vault has not verified the archive: add 'When the vault verifies the archive'"
        )
        verification = self.verifications[-1]
        assert not verification.error, f"the verification failed: {verification.error}"
        return verification

    @property
    def last_repair(self) -> RepairReport:
        assert self.repairs, (
            "the vault has not repaired the audit log: add 'When the vault repairs the audit log'"
        )
        repair = self.repairs[-1]
        assert not repair.error, f"the repair failed: {repair.error}"
        return repair
