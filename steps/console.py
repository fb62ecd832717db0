"""What a vault command answered, read through the contract that every Audit Vault honours.

Every command a scenario gives (``run --json``, ``verify --json``, ``repair --json``) ends in
one typed result, whichever stack ran it: the exit status, the one JSON document on stdout and
what went to stderr. A document that breaks "The vault as a process" is ``ContractBroken``:
the vault's fault, reported as an error, never as a wrong answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, ClassVar

from conformance.contract import ContractBroken, check

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_REFUSED = 2
KINDS = ("MISSING_RECORD", "MISSING_OBJECT", "CHECKSUM_MISMATCH")


__all__ = ["Command", "ContractBroken", "Refusal", "RepairReport", "RunReport", "VerifyReport"]


@dataclass(frozen=True)
class Command:
    """One vault command: the command line it ran, its exit status and both streams."""

    argv: tuple[str, ...]
    status: int
    out: str
    err: str
    program: str = "python -m vault"

    def shown(self) -> str:
        lines = [f"$ {self.program} {' '.join(self.argv)}   (exit status {self.status})"]
        lines += [f"  stdout| {line}" for line in self.out.splitlines()]
        lines += [f"  stderr| {line}" for line in self.err.splitlines()]
        return "\n".join(lines)

    @property
    def refused(self) -> bool:
        return self.status == EXIT_REFUSED

    def document(self) -> dict[str, Any]:
        """The one JSON object on stdout, checked against the contract's schemas."""
        try:
            outcome = check(self.argv, self.status, self.out, self.err)
        except ContractBroken as broken:
            raise ContractBroken(
                f"the vault broke its contract: {broken.reason}\n{self.shown()}"
            ) from None
        return dict(outcome.document)


@dataclass(frozen=True)
class Refusal:
    """A command refused before it started (exit 2): the settings it named."""

    command: Command
    settings: tuple[str, ...]
    message: str

    @classmethod
    def read(cls, command: Command) -> Refusal:
        document = command.document()
        return cls(command, tuple(document["settings"]), str(document.get("message", "")))


@dataclass(frozen=True)
class RunReport:
    """A run: succeeded (exit 0) with the pages it archived, or failed (exit 1) with a code,
    the page it failed on, its message and the pages archived before the failure."""

    command: Command
    succeeded: bool
    pages_archived: int | None
    code: str = ""
    page: int | None = None
    message: str = ""

    @classmethod
    def read(cls, command: Command) -> RunReport:
        document = command.document()
        if document["ok"]:
            return cls(command, succeeded=True, pages_archived=document["pages_archived"])
        return cls(
            command,
            succeeded=False,
            pages_archived=document.get("pages_archived"),
            code=document["code"],
            page=document.get("page"),
            message=str(document.get("message", "")),
        )


@dataclass(frozen=True)
class Problem:
    kind: str
    key: str

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


@dataclass(frozen=True)
class VerifyReport:
    """A verification: the problems it found, or the typed failure that stopped it."""

    command: Command
    problems: list[Problem] = field(default_factory=list)
    error: str = ""
    code: str = ""  # the typed failure's code
    what: ClassVar[str] = "verification"

    @property
    def passes(self) -> bool:
        return not self.error and not self.problems

    def count(self, kind: str) -> int:
        return sum(problem.kind == kind for problem in self.problems)

    @classmethod
    def read(cls, command: Command) -> VerifyReport:
        document = command.document()
        if "problems" not in document:
            return cls(command, error=_typed_failure(document), code=str(document.get("code")))
        return cls(command, [Problem(p["kind"], p["key"]) for p in document["problems"]])


@dataclass(frozen=True)
class RepairReport:
    """A repair: the keys whose records it wrote, or the typed failure that stopped it."""

    command: Command
    written: list[str] = field(default_factory=list)
    error: str = ""
    code: str = ""  # the typed failure's code
    what: ClassVar[str] = "repair"

    @classmethod
    def read(cls, command: Command) -> RepairReport:
        document = command.document()
        if not document["ok"]:
            return cls(command, error=_typed_failure(document), code=str(document.get("code")))
        return cls(command, list(document["records_written"]))


def _typed_failure(document: dict[str, Any]) -> str:
    """The typed failure as an operator reads it: its message, which names its code (said once)."""
    code, message = str(document.get("code")), str(document.get("message"))
    return message if message.startswith(f"{code}:") else f"{code}: {message}"


def shown_json(document: object) -> str:
    return json.dumps(document, indent=2, ensure_ascii=True)
