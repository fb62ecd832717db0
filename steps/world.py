"""The vault under test, with the clock, the pauses and the operator's settings a scenario
controls.

The fixtures in the root ``conftest.py`` build the world (``steps.log_api``, ``steps.archive``,
``steps.audit_log`` and this module) over one stack; steps only call its methods. The world
speaks the contract ("The vault as a process"): it never imports the vault. A ``Driver`` gives
each command to the vault under test, in this process (``steps.inprocess``) or as a process of
its own (``steps.live``), and hands back what it answered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import quote, urlsplit, urlunsplit

from steps.console import Command, ContractBroken, Refusal, RepairReport, RunReport, VerifyReport
from steps.log_api import ScriptedLogApi
from steps.secrets import keep_environment_secrets

START_INSTANT = "2026-01-01T00:00:00Z"
# The settings of the language's table, and the two naming another store: what a scenario may
# set or unset (anything else is a mistake in the scenario, caught with a hint).
SETTINGS = (
    "VAULT_API_URL",
    "VAULT_BUCKET",
    "VAULT_MONGO_URI",
    "VAULT_MAX_ATTEMPTS",
    "VAULT_MAX_BODY_BYTES",
    "VAULT_MAX_PAGES",
    "VAULT_HTTP_TIMEOUT",
    "VAULT_MONGO_DATABASE",
    "VAULT_MONGO_COLLECTION",
)
API_USER = "vault"  # the user name in VAULT_API_URL's userinfo: a name, no secret


class ScenarioMistake(AssertionError):
    """A step was given a value that makes no sense: the scenario, not the vault, is wrong."""


def parse_instant(text: str) -> datetime:
    instant = datetime.fromisoformat(text)
    if instant.tzinfo is None:
        raise ScenarioMistake(f'"{text}" has no time zone; write it in UTC with a Z')
    return instant


def instant_text(instant: datetime) -> str:
    """ISO 8601 UTC with a Z, milliseconds only when they are not zero."""
    instant = instant.astimezone(UTC)
    text = instant.strftime("%Y-%m-%dT%H:%M:%S")
    millis = instant.microsecond // 1000
    return f"{text}.{millis:03d}Z" if millis else f"{text}Z"


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
    """The vault's pauses between attempts at the log API, recorded instead of slept."""

    seconds: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)

    def take_log(self, log: Path) -> None:
        """Record the pauses a command appended to its ``VAULT_TEST_PAUSE_LOG``, one line of
        seconds in decimal each, and empty the file for the next command."""
        lines = log.read_text(encoding="ascii", errors="replace").split()
        log.write_text("")
        for line in lines:
            try:
                self.seconds.append(float(line))
            except ValueError:
                raise ContractBroken(
                    f"the vault broke its contract: VAULT_TEST_PAUSE_LOG holds {line!r}, "
                    "not seconds in decimal"
                ) from None

    @property
    def longest(self) -> float:
        return max(self.seconds, default=0.0)

    def shown(self) -> str:
        return f"{[round(s, 3) for s in self.seconds]} seconds"


class Driver(Protocol):
    """Gives one command to the vault under test, with exactly this environment."""

    program: str

    def execute(self, argv: tuple[str, ...], env: dict[str, str]) -> Command: ...

    def requests_seen(self) -> tuple[int, int, int]:
        """How many requests the log API, S3 and MongoDB have seen so far (or a proxy of it)."""
        ...


def _at_least_one(count: int, what: str) -> int:
    if count < 1:
        raise ScenarioMistake(f"{what} must be at least 1, the scenario says {count}")
    return count


@dataclass
class VaultUnderTest:
    """Gives every command as an operator would (``run --json``, ``verify --json``,
    ``repair --json``) through the stack's driver, with the environment the scenario built,
    and keeps what each command answered."""

    driver: Driver
    log_api: ScriptedLogApi
    start_environment: dict[str, str]
    settings: dict[str, str | None] = field(default_factory=dict)  # None: unset
    api_password: str | None = None  # the password the operator puts in VAULT_API_URL
    commands: list[Command] = field(default_factory=list)
    runs: list[RunReport] = field(default_factory=list)
    verifications: list[VerifyReport] = field(default_factory=list)
    repairs: list[RepairReport] = field(default_factory=list)
    refusals: list[tuple[Command, bool]] = field(default_factory=list)  # (command, touched)

    # Settings ----------------------------------------------------------------------------------
    def allow_attempts(self, count: int) -> None:
        self.settings["VAULT_MAX_ATTEMPTS"] = str(_at_least_one(count, "the attempts per request"))

    def accept_bodies_up_to(self, size: int) -> None:
        self.settings["VAULT_MAX_BODY_BYTES"] = str(_at_least_one(size, "the body size limit"))

    def fetch_at_most_pages(self, count: int) -> None:
        pages = _at_least_one(count, "the page limit")
        self.settings["VAULT_MAX_PAGES"] = str(pages)
        self.log_api.page_limit = pages

    def operator_sets(self, name: str, value: str) -> None:
        self.settings[name] = value
        if name == "VAULT_API_URL":
            self.log_api.operator_named_url = True
        if name == "VAULT_MAX_PAGES" and re.fullmatch(r"[0-9]+", value) and int(value) >= 1:
            self.log_api.page_limit = int(value)

    def operator_unsets(self, name: str) -> None:
        self.settings[name] = None
        if name == "VAULT_MAX_PAGES":
            self.log_api.page_limit = 10_000

    def give_api_password(self, password: str) -> None:
        self.api_password = password

    def environment(self) -> dict[str, str]:
        """The operator's environment for the next command."""
        env = dict(self.start_environment)
        env["VAULT_API_URL"] = self._api_url()
        for name, value in self.settings.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        return env

    def _api_url(self) -> str:
        """The log API's address, its query, and the credentials it requires or the operator
        gives: a token in the query, a password in the userinfo, each percent-encoded."""
        base = urlsplit(self.log_api.base_url)
        query = self.log_api.expected_query
        token = self.log_api.required_token
        if token is not None:
            query = "&".join(filter(None, (query, f"token={quote(token, safe='')}")))
        password = self.api_password or self.log_api.required_password
        netloc = base.netloc
        if password is not None:
            netloc = f"{API_USER}:{quote(password, safe='')}@{netloc}"
        return urlunsplit((base.scheme, netloc, base.path, query, ""))

    # Commands ----------------------------------------------------------------------------------
    def run(self) -> None:
        command = self._command("run")
        if not command.refused:
            self.runs.append(RunReport.read(command))

    def verify(self) -> None:
        command = self._command("verify")
        if not command.refused:
            self.verifications.append(VerifyReport.read(command))

    def repair(self) -> None:
        command = self._command("repair")
        if not command.refused:
            self.repairs.append(RepairReport.read(command))

    def _command(self, name: str) -> Command:
        before = self.driver.requests_seen()
        environment = self.environment()
        keep_environment_secrets(environment)
        command = self.driver.execute((name, "--json"), environment)
        self.commands.append(command)
        # A request no step planned is the scenario's mistake (or, where the contract forbids
        # it, the vault's): the step that gave the command fails, naming the request.
        self.log_api.raise_unplanned()
        if command.refused:
            Refusal.read(command)  # a refusal must be shaped as the contract says
            self.refusals.append((command, self.driver.requests_seen() != before))
        return command

    # What the commands answered --------------------------------------------------------------
    @property
    def last_command(self) -> Command:
        assert self.commands, "the vault has not run yet: add 'When the vault runs'"
        return self.commands[-1]

    @property
    def last_run(self) -> RunReport:
        command = self.last_command
        assert not command.refused, (
            f"the last command was refused, it did not run:\n{command.shown()}"
        )
        run = self.runs[-1] if self.runs else None
        assert run is not None, f"the last command was not a run:\n{command.shown()}"
        assert run.command is command, f"the last command was not a run:\n{command.shown()}"
        return run

    @property
    def last_check(self) -> VerifyReport | RepairReport | None:
        """The last command, when it was a verification or a repair that ran: "the run
        succeeds" and "the run fails" read the last command, whichever it was."""
        command = self.last_command
        for report in (*self.verifications[-1:], *self.repairs[-1:]):
            if report.command is command:
                return report
        return None

    @property
    def last_failure(self) -> RunReport:
        run = self.last_run
        assert not run.succeeded, (
            f"expected the run to fail, but it succeeded:\n{run.command.shown()}"
        )
        return run

    @property
    def last_refusal(self) -> Refusal:
        command = self.last_command
        assert command.refused, (
            f"expected the vault to refuse to start (exit status 2), but it ran:\n{command.shown()}"
        )
        return Refusal.read(command)

    def refusal_touched_anything(self) -> bool:
        command = self.last_command
        return any(touched for refused, touched in self.refusals if refused is command)

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
