"""``python -m vault``: run the pipeline against real endpoints, check that the archive and the
audit log agree (``verify``), write what the archive proves is missing (``repair``), or show
the embedded demo."""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, TextIO

from vault.config import AWS, OPTIONAL, REQUIRED, ConfigError, Settings, settings_from_env
from vault.errors import VaultError
from vault.redaction import redact, secrets_in

if TYPE_CHECKING:
    from vault.bootstrap import Runtime
    from vault.integrity import Repair, Verification

EXIT_RUN_FAILED = 1
EXIT_BAD_CONFIG = 2
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE: a bug, never a failure the vault expected
EXIT_PROBLEMS_FOUND = 1  # verify: the archive and the audit log disagree

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
    f"{EXIT_BAD_CONFIG} bad configuration (every bad setting is named)."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m vault",
        description="Archive security logs from a REST API into S3 and audit them in MongoDB.",
        epilog=f"Settings (environment variables) of `run`:\n{SETTINGS_HELP}\n\n{EXIT_HELP}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "run",
        help="pull every page from the log API, archive it in S3, audit it in MongoDB",
        description="Pull every page from the log API once. Configured by environment:\n"
        f"{SETTINGS_HELP}\n\n{API_CONTRACT}\n\n{EXIT_HELP}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
        command.add_argument("--json", action="store_true", help="print one JSON document")
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
    ``runtime`` for what the process gives the vault (real clients, clock and sleep by default)."""
    out = out or sys.stdout
    err = err or sys.stderr
    code = 0  # only a successful run writes to stdout
    try:
        args = _parser().parse_args(argv)
        if args.command == "demo":
            from vault.demo import run_demo  # noqa: PLC0415 - loads the test doubles only here

            code = run_demo(out)
        elif args.command == "run":
            code = run_checked(
                "run",
                os.environ if env is None else env,
                out,
                err,
                functools.partial(_run, runtime=runtime),
            )
        else:
            code = run_checked(
                args.command,
                os.environ if env is None else env,
                out,
                err,
                functools.partial(
                    _verify if args.command == "verify" else _repair,
                    runtime=runtime,
                    as_json=args.json,
                ),
                need_api_url=False,
                as_json=args.json,
            )
        out.flush()
    except BrokenPipeError:
        # `python -m vault run | head`: the reader left; what was done stands, and nothing
        # more is said (not even at exit, when Python flushes stdout once more).
        _point_at_devnull(out)
    return code


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
    call ``work`` with them, and print the summary it returns or the typed error it raised
    (a ``ConfigError`` exits 2, a ``VaultError`` 1), every line through ``redact``. With
    ``as_json``, a failure is also one JSON document on ``out``.
    """
    secrets = secrets_in(env)

    def say(stream: TextIO, text: str) -> None:
        stream.write(redact(text, secrets))

    with _redacted_logging(err, secrets):
        try:
            summary = work(settings_from_env(env, need_api_url=need_api_url))
        except ConfigError as error:
            say(err, f"vault: cannot {command}, fix these settings:\n")
            for problem in error.problems:
                say(err, f"  - {_one_line(problem)}\n")
            return EXIT_BAD_CONFIG
        except VaultError as error:
            say(err, f"vault: {command} failed: {_one_line(str(error))}\n")
            if as_json:
                failure = {"ok": False, "code": error.code, "message": str(error)}
                say(out, json.dumps(failure) + "\n")
            return EXIT_RUN_FAILED
        except Exception as error:  # never a traceback, which could show a secret
            name = type(error).__name__
            say(err, f"vault: {command} stopped by a bug ({name}): {_one_line(str(error))}\n")
            return EXIT_INTERNAL_ERROR
    said = summary if isinstance(summary, Said) else Said(f"vault: {summary}\n")
    say(out, said.text)
    return said.exit_code


class Said:
    """What a command prints on stdout, exactly, and the exit status it ends with."""

    def __init__(self, text: str, exit_code: int = 0) -> None:
        self.text = text
        self.exit_code = exit_code


def _run(settings: Settings, *, runtime: Runtime | None = None) -> str:
    from vault.bootstrap import PRODUCTION, vault_service  # noqa: PLC0415 - keeps --help fast

    with vault_service(settings, runtime or PRODUCTION) as service:
        return service.run().summary()


def _verify(settings: Settings, *, runtime: Runtime | None = None, as_json: bool = False) -> Said:
    from vault.bootstrap import PRODUCTION, integrity_check  # noqa: PLC0415

    with integrity_check(settings, runtime or PRODUCTION) as check:
        verification = check.verify()
    code = 0 if verification.passes else EXIT_PROBLEMS_FOUND
    if as_json:
        return Said(json.dumps(_verification_json(verification)) + "\n", code)
    lines = [f"vault: {problem}\n" for problem in verification.problems]
    return Said("".join(lines) + f"vault: {verification.summary()}\n", code)


def _repair(settings: Settings, *, runtime: Runtime | None = None, as_json: bool = False) -> Said:
    from vault.bootstrap import PRODUCTION, integrity_check  # noqa: PLC0415

    with integrity_check(settings, runtime or PRODUCTION) as check:
        repair = check.repair()
    if as_json:
        return Said(json.dumps(_repair_json(repair)) + "\n")
    written = {record.s3_key for record in repair.written}
    lines = [f"vault: wrote {key} (status RECOVERED)\n" for key in sorted(written)]
    lines += [f"vault: left {p}\n" for p in repair.verification.problems if p.key not in written]
    return Said("".join(lines) + f"vault: {repair.summary()}\n")


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


class _RedactingHandler(logging.Handler):
    """Library log lines and warnings (urllib3, botocore) reach stderr through ``redact``."""

    def __init__(self, stream: TextIO, secrets: frozenset[str]) -> None:
        super().__init__(logging.WARNING)
        self._stream = stream
        self._secrets = secrets

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = f"vault: {record.levelname.lower()}: {_one_line(record.getMessage())}\n"
            self._stream.write(redact(line, self._secrets))
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
