"""What ``python -m vault`` printed, read the way an operator reads it.

Every command a scenario gives goes through the vault's own entry point, so the Then steps
judge what an operator sees: the exit status, the one-line summary, the error line, the
problems a verification lists. Each reader parses the whole output strictly; output that an
operator could not read this way fails the step that gave the command, with the output shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vault.integrity import Problem, ProblemKind

WARNING = "vault: warning: "
EXIT_OK = 0
EXIT_FAILED = 1  # a run failed, or a verification found problems: the vault says which


@dataclass(frozen=True)
class Command:
    """One ``python -m vault`` command: its arguments, exit status and both streams."""

    argv: tuple[str, ...]
    status: int
    out: str
    err: str

    def shown(self) -> str:
        lines = [f"$ python -m vault {' '.join(self.argv)}   (exit status {self.status})"]
        lines += [f"  stdout| {line}" for line in self.out.splitlines()]
        lines += [f"  stderr| {line}" for line in self.err.splitlines()]
        return "\n".join(lines)


def _unreadable(command: Command, expected: str) -> AssertionError:
    return AssertionError(
        f"the vault's output does not read as {expected}:\n{command.shown()}\n"
        "(an operator reads these lines: README, 'What the vault prints')"
    )


def _lines(text: str) -> list[str]:
    """The lines of a stream, without the library warnings the vault passes on (redacted,
    one line each): they are what an operator may also see, not the command's answer."""
    assert text == "" or text.endswith("\n"), f"output without a final newline: {text!r}"
    return [line for line in text.splitlines() if not line.startswith(WARNING)]


# A run ---------------------------------------------------------------------------------------
_RUN_SUMMARY = re.compile(
    r"vault: archived (?P<pages>\d+) page\(s\) with (?P<entries>\d+) log entries into "
    r"s3://(?P<bucket>\S+) \((?P<new>\d+) new audit record\(s\), (?P<already>\d+) already "
    r"recorded, (?P<empty>\d+) empty page\(s\) skipped\)"
)
_RUN_FAILURE = re.compile(
    r"vault: run failed: (?P<message>(?P<code>[A-Z][A-Z_]+): (?:page (?P<page>\d+): )?.*?"
    r"(?: \((?P<done>\d+) page\(s\) archived before the failure\))?)"
)


@dataclass(frozen=True)
class RunReport:
    """A run as its operator reads it: a summary on stdout (exit 0), or one error line on
    stderr (exit 1) naming the code, the page, what failed and the pages archived before."""

    command: Command
    succeeded: bool
    pages_archived: int | None  # None: a failed run's line did not say
    bucket: str = ""
    code: str = ""
    page: int | None = None
    message: str = ""

    @classmethod
    def read(cls, command: Command, bucket: str) -> RunReport:
        out, err = _lines(command.out), _lines(command.err)
        if command.status == EXIT_OK and not err and len(out) == 1:
            summary = _RUN_SUMMARY.fullmatch(out[0])
            if summary is None:
                raise _unreadable(command, "a run's summary")
            pages, new, already = (int(summary[name]) for name in ("pages", "new", "already"))
            if summary["bucket"] != bucket or new + already != pages:
                raise _unreadable(command, f"a summary of pages archived into s3://{bucket}")
            return cls(command, succeeded=True, pages_archived=pages, bucket=summary["bucket"])
        if command.status == EXIT_FAILED and not out and len(err) == 1:
            failure = _RUN_FAILURE.fullmatch(err[0])
            if failure is None:
                raise _unreadable(command, "a failed run's error line")
            return cls(
                command,
                succeeded=False,
                pages_archived=int(failure["done"]) if failure["done"] else None,
                code=failure["code"],
                page=int(failure["page"]) if failure["page"] else None,
                message=failure["message"],
            )
        raise _unreadable(command, "a run that succeeded (exit 0) or failed (exit 1)")


# Verification and repair ---------------------------------------------------------------------
_KINDS = "|".join(kind.value for kind in ProblemKind)
_PROBLEM = re.compile(rf"(?P<kind>{_KINDS}) (?P<key>\S+): (?P<detail>.+)")
_VERIFY_SUMMARY = re.compile(
    r"vault: verified s3://(?P<bucket>[^/\s]+)/logs/: (?P<objects>\d+) object\(s\), "
    r"(?P<records>\d+) audit record\(s\), (?:clean|(?P<problems>\d+) problem\(s\): "
    rf"(?P<counts>\d+ (?:{_KINDS})(?:, \d+ (?:{_KINDS}))*))"
)
_WROTE = re.compile(r"vault: wrote (?P<key>\S+) \(status RECOVERED\)")
_REPAIR_SUMMARY = re.compile(
    r"vault: repaired s3://(?P<bucket>[^/\s]+)/logs/: wrote (?P<written>\d+) audit "
    r"record\(s\) with status RECOVERED; (?P<left>\d+) problem\(s\) left for a person to look at"
)


@dataclass(frozen=True)
class VerifyReport:
    """``python -m vault verify``: one line per problem, then a summary; exit 0 when clean."""

    command: Command
    problems: list[Problem] = field(default_factory=list)
    error: str = ""  # a verification that could not run: its error line

    @property
    def passes(self) -> bool:
        return not self.error and not self.problems

    def count(self, kind: str) -> int:
        return sum(problem.kind.value == kind for problem in self.problems)

    @classmethod
    def read(cls, command: Command, bucket: str) -> VerifyReport:
        error = _failure(command, "verify")
        if error:
            return cls(command, error=error)
        out = _lines(command.out)
        summary = _VERIFY_SUMMARY.fullmatch(out[-1]) if out else None
        if summary is None or _lines(command.err) or summary["bucket"] != bucket:
            raise _unreadable(command, f"a verification of s3://{bucket}")
        problems = [_problem(command, line) for line in out[:-1]]
        counts = {kind.value: 0 for kind in ProblemKind}
        for part in (summary["counts"] or "").split(", "):
            if part:
                number, kind = part.split(" ")
                counts[kind] = int(number)
        agrees = (
            int(summary["problems"] or 0) == len(problems)
            and all(counts[kind] == sum(p.kind.value == kind for p in problems) for kind in counts)
            and command.status == (EXIT_OK if not problems else EXIT_FAILED)
        )
        if not agrees:
            raise _unreadable(command, "a verification whose summary counts the problems it lists")
        return cls(command, problems)


def _failure(command: Command, name: str) -> str:
    """The error of a command that could not do its work (exit 1, one line on stderr), or ""."""
    prefix = f"vault: {name} failed: "
    lines = _lines(command.err)
    if command.status == EXIT_FAILED and not command.out and len(lines) == 1:
        return lines[0].removeprefix(prefix) if lines[0].startswith(prefix) else ""
    return ""


def _problem(command: Command, line: str) -> Problem:
    found = _PROBLEM.fullmatch(line.removeprefix("vault: "))
    if found is None or not line.startswith("vault: "):
        raise _unreadable(command, "one problem per line")
    return Problem(ProblemKind(found["kind"]), found["key"], found["detail"])


@dataclass(frozen=True)
class RepairReport:
    """``python -m vault repair``: a line per record written, a line per problem left for a
    person, then a summary; exit 0."""

    command: Command
    written: list[str] = field(default_factory=list)
    left: list[Problem] = field(default_factory=list)
    error: str = ""

    @classmethod
    def read(cls, command: Command, bucket: str) -> RepairReport:
        error = _failure(command, "repair")
        if error:
            return cls(command, error=error)
        out = _lines(command.out)
        summary = _REPAIR_SUMMARY.fullmatch(out[-1]) if out else None
        if summary is None or _lines(command.err) or command.status != EXIT_OK:
            raise _unreadable(command, f"a repair of s3://{bucket}")
        written = [m["key"] for line in out[:-1] if (m := _WROTE.fullmatch(line))]
        left = [
            _problem(command, line.replace("vault: left ", "vault: ", 1))
            for line in out[:-1]
            if line.startswith("vault: left ")
        ]
        agrees = (
            summary["bucket"] == bucket
            and len(written) + len(left) == len(out) - 1
            and int(summary["written"]) == len(written)
            and int(summary["left"]) == len(left)
            and written == sorted(set(written))
        )
        if not agrees:
            raise _unreadable(command, "a repair whose summary counts the lines it lists")
        return cls(command, written, left)
