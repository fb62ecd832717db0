"""``python -m vault``: run the pipeline against real endpoints, or the embedded demo."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from vault.config import OPTIONAL, REQUIRED, ConfigError, settings_from_env

EXIT_RUN_FAILED = 1
EXIT_BAD_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    settings_help = "\n".join(
        [f"  {name:24} {meaning} [required]" for name, meaning in REQUIRED.items()]
        + [f"  {name:24} {meaning}" for name, meaning in OPTIONAL.items()]
        + [f"  {'AWS_*':24} boto3's standard settings (AWS_ENDPOINT_URL, AWS_REGION, ...)"]
    )
    parser = argparse.ArgumentParser(
        prog="python -m vault",
        description="Archive security logs from a REST API into S3 and audit them in MongoDB.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "run",
        help="pull every page from the log API, archive it in S3, audit it in MongoDB",
        description="Pull every page from the log API once. Configured by environment:\n"
        + settings_help
        + f"\n\nExit status: 0 success, {EXIT_RUN_FAILED} run failed (the error code is printed),"
        f" {EXIT_BAD_CONFIG} bad configuration.",
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
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from vault.demo import run_demo  # noqa: PLC0415 - loads the test doubles only here

        return run_demo(out)
    return _run(os.environ if env is None else env, out, err)


def _run(env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    from vault.bootstrap import vault_service  # noqa: PLC0415 - keeps --help fast
    from vault.errors import VaultError  # noqa: PLC0415

    try:
        settings = settings_from_env(env)
    except ConfigError as error:
        err.write("vault: cannot run, fix these settings:\n")
        err.writelines(f"  - {problem}\n" for problem in error.problems)
        return EXIT_BAD_CONFIG
    try:
        with vault_service(settings) as service:
            result = service.run()
    except VaultError as error:
        err.write(f"vault: run failed: {error}\n")
        return EXIT_RUN_FAILED
    out.write(f"vault: {result.summary()}\n")
    return 0
