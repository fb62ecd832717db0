"""What ``python -m vault`` shows an operator: the usage, each command's help, the settings table,
the exit statuses, and the words before a list of bad settings. Written to close the mutation
tier's survivors in vault/cli.py (the help text is operator output, never an equivalent mutant)."""

from __future__ import annotations

import io
import os

import pytest

from tests import cli_docs
from vault import cli
from vault.config import OPTIONAL, REQUIRED


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """argparse wraps help to the terminal's width: a wide one keeps each sentence whole."""
    monkeypatch.setenv("COLUMNS", "200")


def help_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        cli.main([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def test_the_top_help_names_the_program_its_purpose_and_both_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = help_of(capsys)
    assert text.startswith("usage: python -m vault [-h] COMMAND ...\n")
    assert "\n\nArchive security logs from a REST API into S3 and audit them in MongoDB.\n" in text
    assert (
        "    run       pull every page from the log API, archive it in S3, audit it in MongoDB\n"
    ) in text
    assert (
        "    demo      run the real pipeline in-process against moto, mongomock and a canned API\n"
    ) in text


def test_the_description_keeps_its_own_lines_on_a_narrow_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    text = help_of(capsys)
    assert "\nArchive security logs from a REST API into S3 and audit them in MongoDB.\n" in text


def test_run_help_lists_every_setting_and_the_exit_statuses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = help_of(capsys, "run")
    assert text.startswith("usage: python -m vault run [-h] [--json]\n")
    assert "Pull every page from the log API once. Configured by environment:\n" in text
    for name, meaning in REQUIRED.items():
        assert f"\n  {name:24} {meaning} [required]\n" in text
    for name, meaning in OPTIONAL.items():
        assert f"\n  {name:24} {meaning}\n" in text
    assert "\n  AWS_*                    any other setting boto3 reads\n\n" in text
    assert (
        "\n\nExit status: 0 success, 1 run failed (the error code is printed),\n"
        "2 bad configuration (every bad setting is named), 130 interrupted (Ctrl-C).\n"
    ) in text


def test_demo_help_says_it_needs_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(capsys, "demo")
    assert text.startswith("usage: python -m vault demo [-h]\n")
    assert (
        "Needs no configuration and no network: the real service and adapters run against "
        "in-process fakes of S3, MongoDB and the log API.\n"
    ) in text


def test_a_command_is_required() -> None:
    err = io.StringIO()
    assert cli.main([], out=io.StringIO(), err=err) == cli.EXIT_BAD_CONFIG
    assert err.getvalue() == (
        "vault: the following arguments are required: COMMAND "
        "(python -m vault --help shows the usage)\n"
    )


def test_bad_settings_are_introduced_in_plain_words(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*REQUIRED, *OPTIONAL):
        monkeypatch.delenv(name, raising=False)
    err = io.StringIO()
    assert cli.main(["run"], out=io.StringIO(), err=err) == cli.EXIT_BAD_CONFIG
    assert err.getvalue().startswith(
        "vault: cannot run, fix these settings:\n  - VAULT_API_URL is not set"
    )


def test_docs_cli_md_is_what_every_help_prints() -> None:
    """docs/cli.md holds the exact ``--help`` of the program and of each command."""
    assert cli_docs.render() == cli_docs.DOC.read_text(encoding="utf-8"), (
        "docs/cli.md is stale: python -m tests.cli_docs"
    )


def test_the_help_in_docs_cli_md_does_not_depend_on_the_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    assert cli_docs.main(["--check"]) == 0
    assert os.environ["COLUMNS"] == "40"
