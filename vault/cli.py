"""``python -m vault``: run the pipeline against real endpoints, check that the archive and the
audit log agree (``verify``), write what the archive proves is missing (``repair``), or show
the embedded demo."""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO

from vault.config import AWS, OPTIONAL, REQUIRED, ConfigError, Settings, settings_from_env
from vault.errors import VaultError
from vault.redaction import printable, redact, secrets_in
from vault.results import RunResult

if TYPE_CHECKING:
    from vault.bootstrap import Runtime
    from vault.integrity import Repair, Verification

EXIT_OK = 0
EXIT_RUN_FAILED = 1
EXIT_BAD_CONFIG = 2  # also a command line argparse cannot read
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE: a bug, never a failure the vault expected
EXIT_PROBLEMS_FOUND = 1  # verify: the archive and the audit log disagree
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C

SETTINGS_HELP = "\n".join(
    [f"  {name:24} {meaning} [required]" for name, meaning in REQUIRED.items()]
    + [f"  {name:24} {meaning}" for name, meaning in OPTIONAL.items()]
    + [f"  {name:24} {meaning}" for name, meaning in AWS.items() if meaning]
    + [f"  {'AWS_*':24} any other setting boto3 reads"]
)
API_CONTRACT = """\
The log API, as the vault calls it:
  GET <VAULT_API_URL>/logs              the first page; a query string in VAULT_API_URL stays
                                        in the query: <scheme://host/path>/logs?<query>
  GET <VAULT_API_URL>/logs?cursor=<C>   the next page, <C> being the last page's next_cursor
  It answers 200 with a JSON object {"logs": [{...}, ...], "next_cursor": "<C>"}; without a
  next_cursor (or with null) the pull ends. 429, 500, 502, 503, 504, timeouts and dropped
  connections are retried (Retry-After in seconds is honoured, up to 60 s); any other status,
  and every redirect, is refused: the vault follows no redirect. Each request, its whole body
  included, must end within VAULT_HTTP_TIMEOUT seconds, or it counts as a timeout (retried)."""
EXIT_HELP = (
    f"Exit status: 0 success, {EXIT_RUN_FAILED} run failed (the error code is printed),\n"
    f"{EXIT_BAD_CONFIG} bad configuration (every bad setting is named), "
    f"{EXIT_INTERRUPTED} interrupted (Ctrl-C)."
)
JSON_HELP = "print one JSON object on stdout (everything else goes to stderr)"
TEST_HOOKS_HELP = """\
Test hooks (for conformance suites; never set them in production):
  VAULT_TEST_NOW           the time of the run or repair, ISO 8601 UTC (2026-03-01T12:00:00Z)
  VAULT_TEST_PAUSE_LOG     file that takes each pause between log API attempts, one line of
                           seconds each, instead of sleeping"""


class _UsageError(Exception):
    """argparse could not read the command line."""


class _Parser(argparse.ArgumentParser):
    """argparse, whose errors the vault prints itself: one ``vault:`` line, exit 2."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


@functools.cache
def _parser() -> argparse.ArgumentParser:
    """Built once per process: the in-process suite calls ``main`` for every command."""
    parser = _Parser(
        prog="python -m vault",
        description="Archive security logs from a REST API into S3 and audit them in MongoDB.",
        epilog=f"Settings (environment variables) of `run`:\n{SETTINGS_HELP}\n\n{EXIT_HELP}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="pull every page from the log API, archive it in S3, audit it in MongoDB",
        description="Pull every page from the log API once. Configured by environment:\n"
        f"{SETTINGS_HELP}\n\n{API_CONTRACT}\n\n{TEST_HOOKS_HELP}\n\n{EXIT_HELP}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("--json", action="store_true", help=JSON_HELP)
    integrity_help = (
        "Settings: those of `run`; VAULT_API_URL is not needed.\n"
        f"Exit status: 0 clean, {EXIT_PROBLEMS_FOUND} problems found or a typed failure, "
        f"{EXIT_BAD_CONFIG} bad configuration."
    )
    for name, summary, description in (
        (
            "verify",
            "check that every archived object and every audit record agree; change nothing",
            "Compare every object under logs/ in the bucket with the audit log, hashing each\n"
            "object in chunks. Prints one line per problem (MISSING_RECORD, MISSING_OBJECT,\n"
            "CHECKSUM_MISMATCH) and a summary.",
        ),
        (
            "repair",
            "write the missing audit record of every archived object that has none",
            "Write, with status RECOVERED, the record of every MISSING_RECORD object, built\n"
            "from the object itself. Never touches an object; never vouches for altered bytes.",
        ),
    ):
        command = commands.add_parser(
            name,
            help=summary,
            description=f"{description}\n\n{integrity_help}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.add_argument("--json", action="store_true", help=JSON_HELP)
    commands.add_parser(
        "demo",
        help="run the real pipeline in-process against moto, mongomock and a canned API",
        description="Needs no configuration and no network: the real service and adapters run "
        "against in-process fakes of S3, MongoDB and the log API.",
    )
    return parser


def main(
    argv: Sequence[str] | None = None,
    env: Mapping[str, str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    *,
    runtime: Runtime | None = None,
) -> int:
    """``python -m vault ARGV``: returns the exit status. ``env`` stands for the environment and
    ``runtime`` for what the process gives the vault (real clients, clock and sleep by default,
    or the test hooks' clock and pause log when the environment sets them)."""
    out = out or sys.stdout or _Quiet()  # a stream the process was started without is None
    shielded = _Shielded(err or sys.stderr or _Quiet())
    args = sys.argv[1:] if argv is None else list(argv)
    code = EXIT_OK
    said = io.StringIO()  # stdout is written once the command is over: its status is known
    try:
        code = _command(args, os.environ if env is None else env, said, shielded, runtime)
        out.write(said.getvalue())
        out.flush()
    except BrokenPipeError:
        # `python -m vault run | head`: the reader left; what was done stands, and nothing
        # more is said (not even at exit, when Python flushes stdout once more).
        _point_at_devnull(out)
    except OSError as error:  # stdout on a full disk, or gone some other way
        shielded.write(f"vault: cannot write to stdout: {printable(str(error))}\n")
        _point_at_devnull(out)
        code = code or EXIT_RUN_FAILED
    except KeyboardInterrupt:
        shielded.write("vault: interrupted; pages already archived and audited stay so\n")
        code = EXIT_INTERRUPTED
    return code


def _command(
    argv: list[str], env: Mapping[str, str], out: TextIO, err: TextIO, runtime: Runtime | None
) -> int:
    try:
        args = _parser().parse_args(argv)
    except _UsageError as error:
        message = f"{error} (python -m vault --help shows the usage)"
        err.write(f"vault: {printable(message)}\n")
        if "--json" in argv:
            usage = {"ok": False, "code": "BAD_USAGE", "message": message, "settings": []}
            out.write(json.dumps(usage) + "\n")
        return EXIT_BAD_CONFIG
    if args.command == "demo":
        from vault.demo import run_demo  # noqa: PLC0415 - loads the test doubles only here

        return run_demo(out)
    work = {"run": _run, "verify": _verify, "repair": _repair}[args.command]
    return run_checked(
        args.command,
        env,
        out,
        err,
        functools.partial(work, runtime=runtime),
        need_api_url=args.command == "run",
        as_json=args.json,
    )


def run_checked(
    command: str,
    env: Mapping[str, str],
    out: TextIO,
    err: TextIO,
    work: Callable[[Settings], str | Said],
    *,
    need_api_url: bool = True,
    as_json: bool = False,
) -> int:
    """How every command that touches real endpoints runs: check the settings from ``env``,
    call ``work`` with them, and print what it says or the typed error it raised (a
    ``ConfigError`` exits 2, a ``VaultError`` 1). Every line goes through ``redact`` and then
    ``printable``; with ``as_json``, stdout gets exactly one JSON object, redacted before it is
    encoded, and every other line goes to stderr.
    """
    secrets = secrets_in(env)

    def say(stream: TextIO, *lines: str) -> None:
        stream.write("".join(f"{printable(redact(line, secrets))}\n" for line in lines))

    def answer(document: dict[str, object]) -> None:
        if as_json:
            out.write(json.dumps(_redacted(document, secrets)) + "\n")

    with _redacted_logging(err, secrets):
        try:
            summary = work(settings_from_env(env, need_api_url=need_api_url))
        except ConfigError as error:
            say(err, f"vault: cannot {command}, fix these settings:")
            say(err, *(f"  - {_one_line(problem)}" for problem in error.problems))
            message = f"cannot {command}, fix these settings: {'; '.join(error.problems)}"
            answer(
                {"ok": False, "code": BAD_SETTINGS, "message": message, "settings": error.settings}
            )
            return EXIT_BAD_CONFIG
        except VaultError as error:
            say(err, f"vault: {command} failed: {_one_line(str(error))}")
            answer(_failure_json(command, error))
            return EXIT_RUN_FAILED
        except Exception as error:  # never a traceback, which could show a secret
            name = type(error).__name__
            say(err, f"vault: {command} stopped by a bug ({name}): {_one_line(str(error))}")
            answer({"ok": False, "code": "INTERNAL_ERROR", "message": f"{name}: {error}"})
            return EXIT_INTERNAL_ERROR
    said = summary if isinstance(summary, Said) else Said([f"vault: {summary}"])
    if as_json:
        answer(said.document)
    else:
        say(out, *said.lines)
    return said.exit_code


BAD_SETTINGS = "BAD_SETTINGS"


class Said:
    """What a command answers: its lines for an operator, its JSON object for a program, and
    the exit status it ends with."""

    def __init__(
        self,
        lines: Sequence[str],
        exit_code: int = EXIT_OK,
        document: dict[str, object] | None = None,
    ) -> None:
        self.lines = list(lines)
        self.exit_code = exit_code
        self.document: dict[str, object] = document or {"ok": exit_code == EXIT_OK}

    @property
    def text(self) -> str:
        return "".join(f"{line}\n" for line in self.lines)


def _run(settings: Settings, *, runtime: Runtime | None = None) -> Said:
    from vault.bootstrap import production_runtime, vault_service  # noqa: PLC0415 - keeps --help fast

    try:
        with vault_service(settings, production_runtime(settings, runtime)) as service:
            result = service.run()
    except VaultError as error:
        if error.page is None:  # it failed before its first fetch: on page 1, nothing archived
            error.page, error.progress = 1, RunResult(bucket=settings.bucket)
        raise
    document: dict[str, object] = {"ok": True, "pages_archived": result.pages_archived}
    return Said([f"vault: {result.summary()}"], document=document)


def _failure_json(command: str, error: VaultError) -> dict[str, object]:
    document: dict[str, object] = {"ok": False, "code": error.code, "message": str(error)}
    if command == "run":
        document["page"] = error.page
        document["pages_archived"] = error.progress.pages_archived if error.progress else 0
    return document


def _verify(settings: Settings, *, runtime: Runtime | None = None) -> Said:
    from vault.bootstrap import integrity_check, production_runtime  # noqa: PLC0415

    with integrity_check(settings, production_runtime(settings, runtime)) as check:
        verification = check.verify()
    lines = [f"vault: {problem}" for problem in verification.problems]
    return Said(
        [*lines, f"vault: {verification.summary()}"],
        EXIT_OK if verification.passes else EXIT_PROBLEMS_FOUND,
        _verification_json(verification),
    )


def _repair(settings: Settings, *, runtime: Runtime | None = None) -> Said:
    from vault.bootstrap import integrity_check, production_runtime  # noqa: PLC0415

    with integrity_check(settings, production_runtime(settings, runtime)) as check:
        repair = check.repair()
    written = {record.s3_key for record in repair.written}
    lines = [f"vault: wrote {key} (status RECOVERED)" for key in sorted(written)]
    lines += [f"vault: left {p}" for p in repair.verification.problems if p.key not in written]
    return Said([*lines, f"vault: {repair.summary()}"], document=_repair_json(repair))


def _verification_json(verification: Verification) -> dict[str, object]:
    return {
        "ok": verification.passes,
        "bucket": verification.bucket,
        "objects_checked": verification.objects_checked,
        "records_checked": verification.records_checked,
        "problems": [
            {"kind": p.kind.value, "key": p.key, "detail": p.detail} for p in verification.problems
        ],
    }


def _repair_json(repair: Repair) -> dict[str, object]:
    return {
        "ok": True,
        "records_written": [record.s3_key for record in repair.written],
        "status": "RECOVERED",
        "verification": _verification_json(repair.verification),
    }


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text.strip())


def _redacted(value: object, secrets: frozenset[str]) -> object:
    """A JSON value with every string redacted: before encoding, since a secret JSON-escaped
    (a quote or a backslash in a password) would no longer be found in the encoded text."""
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {key: _redacted(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted(item, secrets) for item in value]
    return value


class _Quiet(io.StringIO):
    """Where a standard stream that the process was started without writes."""


class _Shielded(io.StringIO):
    """stderr that cannot fail the command: what it cannot take is lost, never raised (a
    refusal still exits 2 with stderr closed or full)."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        with contextlib.suppress(OSError, ValueError):
            self._stream.write(text)
            self._stream.flush()
        return len(text)


class _RedactingHandler(logging.Handler):
    """Library log lines and warnings (urllib3, botocore) reach stderr through ``redact``."""

    def __init__(self, stream: TextIO, secrets: frozenset[str]) -> None:
        super().__init__(logging.WARNING)
        self._stream = stream
        self._secrets = secrets

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = f"vault: {record.levelname.lower()}: {_one_line(record.getMessage())}"
            self._stream.write(printable(redact(line, self._secrets)) + "\n")
        except Exception:  # logging must never break a run
            self.handleError(record)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        """A library's log call that cannot be formatted: one redacted line. logging's own
        handler would print a traceback and the call's arguments, secrets included."""
        with contextlib.suppress(Exception):
            # Redacted before repr() escapes it: an escaped secret would no longer match.
            shown = redact(str(record.msg), self._secrets)
            self._stream.write(f"vault: warning: a log line could not be formatted: {shown!r}\n")


@contextlib.contextmanager
def _redacted_logging(stream: TextIO, secrets: frozenset[str]) -> Iterator[None]:
    handler = _RedactingHandler(stream, secrets)
    root = logging.getLogger()
    root.addHandler(handler)
    logging.captureWarnings(True)  # Python warnings become log lines, redacted as well
    try:
        yield
    finally:
        logging.captureWarnings(False)
        root.removeHandler(handler)


def _point_at_devnull(stream: TextIO) -> None:
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, stream.fileno())
        finally:
            os.close(devnull)
