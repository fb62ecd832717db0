"""The CLI: configuration errors all at once, a run end to end in process, and the demo."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from steps.log_api import LOG_API_QUERY, LOG_API_URL
from vault.cli import EXIT_BAD_CONFIG, EXIT_INTERNAL_ERROR, EXIT_RUN_FAILED, main, run_checked
from vault.config import ConfigError, Settings, settings_from_env
from vault.errors import AuditUnavailable

ENV = {
    "VAULT_API_URL": f"{LOG_API_URL}?{LOG_API_QUERY}",
    # The CLI builds its own S3 client, so it writes to a bucket of its own (see archive_bucket).
    "VAULT_BUCKET": "cli-archive",
    "VAULT_MONGO_URI": "mongomock://",
}


def run_cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), env=env, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_missing_settings_are_all_named_at_once() -> None:
    code, out, err = run_cli("run", env={})
    assert code == EXIT_BAD_CONFIG
    assert out == ""
    for name in ("VAULT_API_URL", "VAULT_BUCKET", "VAULT_MONGO_URI"):
        assert f"{name} is not set" in err


def test_invalid_settings_are_named_with_their_values() -> None:
    env = {**ENV, "VAULT_API_URL": "ftp://x", "VAULT_MAX_ATTEMPTS": "0", "VAULT_HTTP_TIMEOUT": "x"}
    with pytest.raises(ConfigError) as caught:
        settings_from_env(env)
    assert caught.value.problems == [
        "VAULT_API_URL must start with http:// or https:// (in any case), got 'ftp://x'",
        "VAULT_MAX_ATTEMPTS must be at least 1, got '0'",
        "VAULT_HTTP_TIMEOUT must be a number of seconds in ASCII digits with at most one point, "
        "got 'x'",
    ]


def test_optional_settings_have_documented_defaults() -> None:
    settings = settings_from_env(ENV)
    assert (settings.max_attempts, settings.max_body_bytes) == (3, 10 * 1024 * 1024)
    assert (settings.mongo_database, settings.mongo_collection) == ("audit_vault", "audit_records")
    custom = settings_from_env({**ENV, "VAULT_MAX_ATTEMPTS": "5", "VAULT_MAX_BODY_BYTES": "2048"})
    assert (custom.max_attempts, custom.max_body_bytes) == (5, 2048)


@pytest.fixture
def cli_bucket(s3: Any) -> Iterator[str]:
    s3.create_bucket(Bucket="cli-archive")
    yield "cli-archive"
    for item in s3.list_objects_v2(Bucket="cli-archive").get("Contents", []):
        s3.delete_object(Bucket="cli-archive", Key=item["Key"])
    s3.delete_bucket(Bucket="cli-archive")


def test_a_run_prints_a_one_line_summary(log_api: Any, cli_bucket: str, s3: Any) -> None:
    log_api.serve_body(b'{"logs":[{"id":"evt-1"},{"id":"evt-2"}]}')
    code, out, err = run_cli("run", env=ENV)
    assert (code, err) == (0, "")
    assert out == (
        "vault: archived 1 page(s) with 2 log entries into s3://cli-archive "
        "(1 new audit record(s), 0 already recorded, 0 empty page(s) skipped)\n"
    )
    assert s3.list_objects_v2(Bucket=cli_bucket)["KeyCount"] == 1


def test_a_failed_run_exits_non_zero_with_the_error_code(log_api: Any, cli_bucket: str) -> None:
    log_api.always_respond(401)
    code, out, err = run_cli("run", env=ENV)
    assert code == EXIT_RUN_FAILED
    assert out == ""
    assert re.match(r"vault: run failed: SOURCE_REJECTED: page 1: HTTP 401 from ", err)


def test_the_demo_runs_the_real_pipeline_and_shows_what_it_archived() -> None:
    code, out, _ = run_cli("demo")
    assert code == 0
    assert "first run:\n  (the log API asked for a pause of 2s" in out
    assert "archived 2 page(s) with 4 log entries" in out
    assert "second run (same payloads):\n  archived 2 page(s) with 4 log entries" in out
    assert "0 new audit record(s), 2 already recorded" in out
    assert len(re.findall(r"s3://audit-vault-demo/logs/[0-9a-f]{64}\.json", out)) == 2
    assert out.count('"status": "ARCHIVED"') == 2


def test_help_explains_both_commands() -> None:
    help_text = subprocess.run(
        [sys.executable, "-m", "vault", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "run " in help_text
    assert "demo " in help_text
    run_help = subprocess.run(
        [sys.executable, "-m", "vault", "run", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for name in ("VAULT_API_URL", "VAULT_BUCKET", "VAULT_MONGO_URI", "AWS_ENDPOINT_URL"):
        assert name in run_help


SECRET_ENV = {
    "VAULT_BUCKET": "cli-archive",
    "VAULT_MONGO_URI": "mongodb://auditor:M0ngoPassword@127.0.0.1:27017/",
    "AWS_SECRET_ACCESS_KEY": "AwsSecretForTheCli",
}


def checked(work: Any, env: dict[str, str] = SECRET_ENV) -> tuple[int, str, str]:
    """A command that needs no API URL, as `verify` and `repair` will be."""
    out, err = io.StringIO(), io.StringIO()
    code = run_checked("verify", env, out, err, work, need_api_url=False)
    return code, out.getvalue(), err.getvalue()


def test_a_command_reuses_the_settings_check_and_prints_its_summary() -> None:
    seen: list[Settings] = []

    def work(settings: Settings) -> str:
        seen.append(settings)
        return "verified 3 objects"

    assert checked(work) == (0, "vault: verified 3 objects\n", "")
    assert (seen[0].api_url, seen[0].bucket) == ("", "cli-archive")


def test_a_command_prints_its_typed_error_redacted() -> None:
    def work(settings: Settings) -> str:
        raise AuditUnavailable(f"cannot reach {settings.mongo_uri} with AwsSecretForTheCli\nat all")

    code, out, err = checked(work)
    assert (code, out) == (EXIT_RUN_FAILED, "")
    assert err == (
        "vault: verify failed: AUDIT_UNAVAILABLE: "
        "cannot reach mongodb://***@127.0.0.1:27017/ with *** at all\n"
    )


def test_bad_settings_of_a_command_are_all_named_and_redacted() -> None:
    code, _, err = checked(
        lambda _: "",
        {**SECRET_ENV, "VAULT_BUCKET": "B", "VAULT_MONGO_URI": "redis://u:M0ngoPassword@h"},
    )
    assert code == EXIT_BAD_CONFIG
    assert err.startswith("vault: cannot verify, fix these settings:\n  - VAULT_BUCKET must be")
    assert "M0ngoPassword" not in err
    assert "VAULT_API_URL" not in err


def test_an_unexpected_exception_is_one_redacted_line_without_a_traceback() -> None:
    def work(_: Settings) -> str:
        raise KeyError("AwsSecretForTheCli")

    code, out, err = checked(work)
    assert (code, out) == (EXIT_INTERNAL_ERROR, "")
    assert err == "vault: verify stopped by a bug (KeyError): '***'\n"


def test_library_log_lines_are_redacted_too() -> None:
    def work(_: Settings) -> str:
        logging.getLogger("urllib3.connectionpool").warning(
            "Retrying http://bob:M0ngoPassword@127.0.0.1:9/x?token=abc"
        )
        return "done"

    code, _, err = checked(work)
    assert code == 0
    assert err == "vault: warning: Retrying http://***@127.0.0.1:9/x?token=***\n"


def test_library_log_lines_hide_every_credential_of_the_environment() -> None:
    def work(_: Settings) -> str:
        logging.getLogger("botocore.auth").warning("signing with AwsSecretForTheCli")
        return "done"

    code, _, err = checked(work)
    assert code == 0
    assert err == "vault: warning: signing with ***\n"


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_stdout_is_quiet(log_api: Any, cli_bucket: str) -> None:
    log_api.serve_body(b'{"logs":[{"id":"evt-1"}]}')
    err = io.StringIO()
    assert main(["run"], env=ENV, out=_ClosedPipe(), err=err) == 0
    assert err.getvalue() == ""


def test_python_warnings_are_redacted_log_lines() -> None:
    def work(_: Settings) -> str:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.warn("no TLS for https://u:M0ngoPassword@h/", UserWarning, stacklevel=1)
        return "done"

    code, _, err = checked(work)
    assert code == 0
    assert "M0ngoPassword" not in err
    assert "https://***@h/" in err


def test_verify_and_repair_read_the_same_settings_without_the_api_url(
    cli_bucket: str, s3: Any
) -> None:
    env = {k: v for k, v in ENV.items() if k != "VAULT_API_URL"}
    assert run_cli("verify", env=env) == (
        0,
        "vault: verified s3://cli-archive/logs/: 0 object(s), 0 audit record(s), clean\n",
        "",
    )
    body = b'{"logs":[{"id":"evt-1"}]}'
    key = f"logs/{hashlib.sha256(body).hexdigest()}.json"
    s3.put_object(Bucket=cli_bucket, Key=key, Body=body)
    code, out, err = run_cli("verify", env=env)
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == f"vault: MISSING_RECORD {key}: no audit record points to it"
    code, out, _ = run_cli("verify", "--json", env=env)
    assert (code, json.loads(out)["problems"][0]["kind"]) == (1, "MISSING_RECORD")
    code, out, _ = run_cli("repair", env=env)
    assert code == 0
    assert out.splitlines()[0] == f"vault: wrote {key} (status RECOVERED)"
    code, out, _ = run_cli("repair", "--json", env=env)
    assert (code, json.loads(out)["records_written"]) == (0, [key])


def test_verify_with_bad_settings_exits_2_naming_them() -> None:
    code, out, err = run_cli("verify", env={"VAULT_BUCKET": "ok-bucket"})
    assert (code, out) == (EXIT_BAD_CONFIG, "")
    assert "vault: cannot verify, fix these settings:" in err
    assert "VAULT_MONGO_URI is not set" in err
    assert "VAULT_API_URL" not in err


def test_a_bucket_that_is_gone_verifies_as_empty_and_repair_writes_nothing(s3: Any) -> None:
    env = {**ENV, "VAULT_BUCKET": "no-such-cli-bucket"}
    del env["VAULT_API_URL"]
    assert run_cli("verify", env=env)[0] == 0  # a bucket that is gone holds nothing
    code, out, err = run_cli("repair", "--json", env=env)
    assert (code, err) == (0, "")
    assert json.loads(out)["verification"]["objects_checked"] == 0
