"""``python -m vault``'s answers in full: every JSON document a failure prints, the streams the
process gives it, and the exit status whatever happens. (Written against the fast selection's
surviving mutants of vault/cli.py: each test pins what one of them changed.)"""

from __future__ import annotations

import errno
import io
import json
from collections.abc import Mapping
from typing import Any

import pytest
from pymongo.errors import ServerSelectionTimeoutError

from vault import bootstrap, cli
from vault.config import Settings, settings_from_env
from vault.errors import AuditUnavailable, SourceRejected

SETTINGS_WITHOUT_API_URL = {"VAULT_BUCKET": "mutation-archive", "VAULT_MONGO_URI": "mongomock://"}


def vault(*argv: str, env: Mapping[str, str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), env=env, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def checked(work: Any, *, as_json: bool = True, **options: Any) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    env = {"VAULT_API_URL": "https://logs.example", **SETTINGS_WITHOUT_API_URL}
    code = cli.run_checked("run", env, out, err, work, as_json=as_json, **options)
    return code, out.getvalue(), err.getvalue()


def test_a_command_line_argparse_cannot_read_is_the_whole_bad_usage_document() -> None:
    code, out, _ = vault("run", "--json", "--bogus", env={})
    assert code == cli.EXIT_BAD_CONFIG
    assert json.loads(out) == {
        "ok": False,
        "code": "BAD_USAGE",
        "message": "unrecognized arguments: --bogus (python -m vault --help shows the usage)",
        "settings": [],
    }


def test_a_refusal_document_says_in_one_line_what_stderr_lists() -> None:
    code, out, err = vault("verify", "--json", env={"VAULT_BUCKET": "Bad_Bucket"})
    assert code == cli.EXIT_BAD_CONFIG
    problems = [line.removeprefix("  - ") for line in err.splitlines()[1:]]
    assert len(problems) == 2  # the missing URI and the bad bucket name
    assert json.loads(out)["message"] == (
        f"cannot verify, fix these settings: {problems[0]}; {problems[1]}"
    )


def test_a_bug_is_the_whole_internal_error_document() -> None:
    def work(_: Settings) -> str:
        raise RuntimeError("the wiring broke")

    code, out, _ = checked(work)
    assert code == cli.EXIT_INTERNAL_ERROR
    assert json.loads(out) == {
        "ok": False,
        "code": "INTERNAL_ERROR",
        "message": "RuntimeError: the wiring broke",
    }


def test_a_run_error_without_progress_counts_no_page_archived() -> None:
    def work(_: Settings) -> str:
        raise SourceRejected("HTTP 401 from the log API", status=401)

    code, out, _ = checked(work)
    assert code == cli.EXIT_RUN_FAILED
    assert json.loads(out) == {
        "ok": False,
        "code": "SOURCE_REJECTED",
        "message": "SOURCE_REJECTED: HTTP 401 from the log API",
        "page": None,
        "pages_archived": 0,
    }


@pytest.mark.parametrize(
    ("said", "document"),
    [
        ("done", {"ok": True}),
        (cli.Said(["vault: done"]), {"ok": True}),
        (cli.Said(["vault: 2 problems"], exit_code=cli.EXIT_PROBLEMS_FOUND), {"ok": False}),
    ],
)
def test_what_a_command_says_without_a_document_is_its_success(
    said: str | cli.Said, document: dict[str, object]
) -> None:
    code, out, _ = checked(lambda _: said)
    assert code == (said.exit_code if isinstance(said, cli.Said) else cli.EXIT_OK)
    assert json.loads(out) == document


def test_a_command_needs_the_api_url_unless_told_otherwise() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run_checked("run", SETTINGS_WITHOUT_API_URL, out, err, lambda _: "done")
    assert (code, out.getvalue()) == (cli.EXIT_BAD_CONFIG, "")
    assert "VAULT_API_URL is not set" in err.getvalue()


class _FullDisk(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_refusal_with_stderr_on_a_full_disk_still_exits_2() -> None:
    out = io.StringIO()
    assert cli.main(["run"], env={}, out=out, err=_FullDisk()) == cli.EXIT_BAD_CONFIG
    assert out.getvalue() == ""


def test_by_default_the_command_line_and_the_streams_are_the_processs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stdout", stdout)  # set in the test: pytest's capture resets them
    monkeypatch.setattr("sys.stderr", stderr)
    monkeypatch.setattr("sys.argv", ["python -m vault", "verify", "--json"])
    assert cli.main(env={"VAULT_BUCKET": "Bad_Bucket"}) == cli.EXIT_BAD_CONFIG
    assert json.loads(stdout.getvalue())["code"] == "BAD_SETTINGS"
    assert stderr.getvalue().startswith("vault: cannot verify, fix these settings:\n")


class _LeftEnvironment(dict[str, str]):
    """An environment that cannot be read because the reader of stdout left."""

    def get(self, *_: Any, **__: Any) -> Any:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def test_main_returns_a_status_even_when_the_reader_left_before_the_command_ended() -> None:
    code, out, err = vault("run", env=_LeftEnvironment())
    assert (code, out, err) == (cli.EXIT_OK, "", "")


class _UnreachableAdmin:
    def command(self, *_: Any) -> Any:
        raise ServerSelectionTimeoutError("127.0.0.1:9: [Errno 111] Connection refused")


class _UnreachableClient:
    admin = _UnreachableAdmin()

    def close(self) -> None:
        return None


def test_a_run_that_fails_before_its_first_fetch_achieved_nothing_in_its_bucket(
    s3: Any,
) -> None:
    settings = settings_from_env(
        {**SETTINGS_WITHOUT_API_URL, "VAULT_MONGO_URI": "mongodb://127.0.0.1:9/"},
        need_api_url=False,
    )
    runtime = bootstrap.Runtime(s3=lambda: s3, mongo=lambda _: (_UnreachableClient(), None))
    with pytest.raises(AuditUnavailable) as failed:
        cli._run(settings, runtime=runtime)
    assert failed.value.page == 1
    assert failed.value.progress is not None
    assert failed.value.progress.bucket == "mutation-archive"
    assert failed.value.progress.summary().startswith("archived 0 page(s) with 0 log entries")
