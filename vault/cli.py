"""``python -m vault``: run the pipeline against real endpoints, or the embedded demo."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TextIO

from vault.config import AWS, OPTIONAL, REQUIRED, ConfigError, Settings, settings_from_env
from vault.errors import VaultError
from vault.redaction import redact, secrets_in

EXIT_RUN_FAILED = 1
EXIT_BAD_CONFIG = 2
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE: a bug, never a failure the vault expected

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
    f"Exit status: 0 success, {EXIT_RUN_FAILED} run failed (the error code is printed), "
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
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    code = 0  # only a successful run writes to stdout
    try:
        args = _parser().parse_args(argv)
        if args.command == "demo":
            from vault.demo import run_demo  # noqa: PLC0415 - loads the test doubles only here

            code = run_demo(out)
        else:
            code = run_checked("run", os.environ if env is None else env, out, err, _run)
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
    work: Callable[[Settings], str],
    *,
    need_api_url: bool = True,
) -> int:
    """How every command that touches real endpoints runs: check the settings from ``env``,
    call ``work`` with them, and print the summary it returns or the typed error it raised
    (a ``ConfigError`` exits 2, a ``VaultError`` 1), every line through ``redact``.
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
            return EXIT_RUN_FAILED
        except Exception as error:  # never a traceback, which could show a secret
            name = type(error).__name__
            say(err, f"vault: {command} stopped by a bug ({name}): {_one_line(str(error))}\n")
            return EXIT_INTERNAL_ERROR
    say(out, f"vault: {summary}\n")
    return 0


def _run(settings: Settings) -> str:
    from vault.bootstrap import vault_service  # noqa: PLC0415 - keeps --help fast

    with vault_service(settings) as service:
        return service.run().summary()


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
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
