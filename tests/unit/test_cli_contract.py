"""``python -m vault`` as "The vault as a process" (acceptance language v3) describes it: one JSON
object on stdout with ``--json``, exit statuses 0, 1, 2 (and 130 for Ctrl-C), the test hooks,
and what reaches the console shown safely."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import mongomock
import pytest
from pymongo.errors import ServerSelectionTimeoutError

from steps.log_api import LOG_API_QUERY, LOG_API_URL
from vault import bootstrap, cli
from vault.config import Settings, settings_from_env
from vault.errors import InvalidPayload, SourceRejected

ENV = {
    "VAULT_API_URL": f"{LOG_API_URL}?{LOG_API_QUERY}",
    "VAULT_BUCKET": "contract-archive",
    "VAULT_MONGO_URI": "mongomock://",
}
PAGE = b'{"logs":[{"id":"evt-1"},{"id":"evt-2"}]}'


def vault(
    *argv: str, env: dict[str, str] = ENV, runtime: bootstrap.Runtime | None = None
) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), env=env, out=out, err=err, runtime=runtime)
    return code, out.getvalue(), err.getvalue()


def one_object(out: str) -> Any:
    assert out.endswith("}\n"), out
    assert out.count("\n") == 1, out
    return json.loads(out)


@pytest.fixture
def runtime(s3: Any) -> bootstrap.Runtime:
    """The suite's S3 client: a client of the vault's own costs half a second to build."""
    return bootstrap.Runtime(s3=lambda: s3)


@pytest.fixture
def bucket(s3: Any) -> Iterator[str]:
    s3.create_bucket(Bucket=ENV["VAULT_BUCKET"])
    yield ENV["VAULT_BUCKET"]
    for item in s3.list_objects_v2(Bucket=ENV["VAULT_BUCKET"]).get("Contents", []):
        s3.delete_object(Bucket=ENV["VAULT_BUCKET"], Key=item["Key"])
    s3.delete_bucket(Bucket=ENV["VAULT_BUCKET"])


def test_a_run_with_json_prints_one_object_and_nothing_else(
    log_api: Any, bucket: str, runtime: bootstrap.Runtime
) -> None:
    log_api.serve_body(PAGE)
    code, out, err = vault("run", "--json", runtime=runtime)
    assert (code, err) == (0, "")
    assert out == '{"ok": true, "pages_archived": 1}\n'


def test_a_failed_run_with_json_names_the_code_the_page_and_the_pages_archived(
    log_api: Any, bucket: str, runtime: bootstrap.Runtime
) -> None:
    log_api.always_respond(401)
    code, out, err = vault("run", "--json", runtime=runtime)
    failure = one_object(out)
    assert code == cli.EXIT_RUN_FAILED
    assert (failure["ok"], failure["code"], failure["page"], failure["pages_archived"]) == (
        False,
        "SOURCE_REJECTED",
        1,
        0,
    )
    assert failure["message"].startswith("SOURCE_REJECTED: page 1: HTTP 401 from ")
    assert err == f"vault: run failed: {failure['message']}\n"


class RefusingMongo:
    """A pymongo client whose server refuses the connection, as pymongo reports it (a real one
    takes pymongo's half-second selection step to say so: tests/real_http and tests/hostile run
    the real one against a closed port)."""

    def __init__(self) -> None:
        self.admin = self
        self.closed = False

    def command(self, name: str) -> Any:
        raise ServerSelectionTimeoutError("127.0.0.1:1: [Errno 111] Connection refused")

    def close(self) -> None:
        self.closed = True


def test_a_run_that_fails_before_its_first_fetch_fails_on_page_1(log_api: Any, s3: Any) -> None:
    client = RefusingMongo()
    runtime = bootstrap.Runtime(s3=lambda: s3, mongo=lambda settings: (client, None))
    env = {**ENV, "VAULT_MONGO_URI": "mongodb://127.0.0.1:1/", "VAULT_MONGO_TIMEOUT": "0.05"}
    code, out, err = vault("run", "--json", env=env, runtime=runtime)
    failure = one_object(out)
    assert (code, failure["code"], failure["page"], failure["pages_archived"]) == (
        1,
        "AUDIT_UNAVAILABLE",
        1,
        0,
    )
    assert err == (
        "vault: run failed: AUDIT_UNAVAILABLE: page 1: MongoDB could not be reached within "
        "0.05 s (VAULT_MONGO_TIMEOUT): 127.0.0.1:1: [Errno 111] Connection refused "
        "(0 page(s) archived before the failure)\n"
    )
    assert log_api.calls == []
    assert client.closed


def test_a_refusal_with_json_names_every_bad_setting_on_both_streams() -> None:
    env = {"VAULT_BUCKET": "Bad_Bucket", "VAULT_MAX_PAGES": " 5", "VAULT_TEST_NOW": "now"}
    code, out, err = vault("run", "--json", env=env)
    refusal = one_object(out)
    names = [
        "VAULT_API_URL",
        "VAULT_MONGO_URI",
        "VAULT_BUCKET",
        "VAULT_MAX_PAGES",
        "VAULT_TEST_NOW",
    ]
    assert code == cli.EXIT_BAD_CONFIG
    assert (refusal["ok"], refusal["code"], refusal["settings"]) == (False, "BAD_SETTINGS", names)
    assert refusal["message"].startswith("cannot run, fix these settings: VAULT_API_URL is not set")
    assert [line.split(" ")[3] for line in err.splitlines()[1:]] == names


def test_a_refusal_without_json_leaves_stdout_empty() -> None:
    assert vault("verify", env={"VAULT_BUCKET": "b"})[:2] == (cli.EXIT_BAD_CONFIG, "")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["frobnicate"], "vault: argument COMMAND: invalid choice: 'frobnicate' (choose from "),
        (["run", "--jsn"], "vault: unrecognized arguments: --jsn "),
        (["verify", "\x1b[2Kx"], "vault: unrecognized arguments: \\x1b[2Kx "),
        (["--version"], "vault: the following arguments are required: COMMAND "),
    ],
)
def test_a_command_line_argparse_cannot_read_is_one_vault_line_and_exit_2(
    argv: list[str], said: str
) -> None:
    code, out, err = vault(*argv)
    assert (code, out) == (cli.EXIT_BAD_CONFIG, "")
    assert err.startswith(said), err
    assert err.count("\n") == 1
    assert err.endswith("(python -m vault --help shows the usage)\n")


def test_a_command_line_argparse_cannot_read_is_still_one_json_object_with_json() -> None:
    code, out, _ = vault("run", "--json", "--bogus")
    assert (code, one_object(out)["code"]) == (cli.EXIT_BAD_CONFIG, "BAD_USAGE")


def test_the_parser_is_built_once() -> None:
    assert cli._parser() is cli._parser()


# What reaches the console --------------------------------------------------------------------
SECRET = 'Pa"ss\\w/rd-0001'
SECRET_ENV = {
    "VAULT_BUCKET": "contract-archive",
    "VAULT_MONGO_URI": "mongomock://",
    "AWS_SECRET_ACCESS_KEY": SECRET,
}


def checked(error: Exception, *, as_json: bool) -> tuple[int, str, str]:
    def work(_: Settings) -> str:
        raise error

    out, err = io.StringIO(), io.StringIO()
    code = cli.run_checked("run", SECRET_ENV, out, err, work, need_api_url=False, as_json=as_json)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("as_json", [False, True])
def test_a_secret_with_a_quote_or_a_backslash_is_never_printed(as_json: bool) -> None:
    _, out, err = checked(InvalidPayload(f"saw {SECRET} and {json.dumps(SECRET)}"), as_json=as_json)
    for shown in (out, err):
        for form in (SECRET, json.dumps(SECRET)[1:-1], "Pa", "rd-0001"):
            assert form not in shown, shown


def test_outside_text_reaches_the_console_escaped_in_plain_and_json_output() -> None:
    hostile = "HTTP 302 to \x1b]0;owned\x07\r\u202eevil\x9b"
    code, out, err = checked(SourceRejected(hostile, 302), as_json=True)
    assert code == cli.EXIT_RUN_FAILED
    assert err == (
        "vault: run failed: SOURCE_REJECTED: HTTP 302 to \\x1b]0;owned\\x07\\x0d\\u202eevil\\x9b\n"
    )
    assert out.isascii()
    assert "\\u001b]0;owned\\u0007\\r\\u202eevil\\u009b" in out
    assert json.loads(out)["message"].endswith("\u202eevil\x9b")


def test_library_log_lines_are_escaped_too() -> None:
    def work(_: Settings) -> str:
        logging.getLogger("urllib3").warning("bad header \x1b[31mred\u2067")
        return "done"

    out, err = io.StringIO(), io.StringIO()
    assert cli.run_checked("verify", SECRET_ENV, out, err, work, need_api_url=False) == 0
    assert err.getvalue() == "vault: warning: bad header \\x1b[31mred\\u2067\n"


# Streams and signals -------------------------------------------------------------------------
class _FullDisk(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")


class _Closed(io.StringIO):
    def write(self, text: str) -> int:
        raise ValueError("I/O operation on closed file")


def test_stdout_on_a_full_disk_is_one_line_and_exit_1(
    log_api: Any, bucket: str, runtime: bootstrap.Runtime
) -> None:
    log_api.serve_body(PAGE)
    err = io.StringIO()
    code = cli.main(["run", "--json"], env=ENV, out=_FullDisk(), err=err, runtime=runtime)
    assert code == cli.EXIT_RUN_FAILED
    assert err.getvalue() == "vault: cannot write to stdout: [Errno 28] No space left on device\n"


def test_a_refusal_with_stderr_closed_still_exits_2() -> None:
    assert cli.main(["run"], env={}, out=io.StringIO(), err=_Closed()) == cli.EXIT_BAD_CONFIG


def test_ctrl_c_is_one_line_and_exit_130() -> None:
    def interrupted() -> Any:
        raise KeyboardInterrupt

    out, err = io.StringIO(), io.StringIO()
    runtime = bootstrap.Runtime(s3=interrupted)
    assert cli.main(["run", "--json"], env=ENV, out=out, err=err, runtime=runtime) == 130
    assert (out.getvalue(), err.getvalue().count("\n")) == ("", 1)
    assert err.getvalue().startswith("vault: interrupted")


# The test hooks ------------------------------------------------------------------------------
def test_without_hooks_the_runtime_is_production() -> None:
    assert bootstrap.production_runtime(settings_from_env(ENV)) is bootstrap.PRODUCTION


def test_the_hooks_apply_over_whatever_runtime_made_the_clients(tmp_path: Path) -> None:
    # The in-process stack gives its own clients and the contract's hooks, as a test harness
    # of any vault would: the hooks must win over the clock and sleep of the runtime given.
    hooks = {"VAULT_TEST_NOW": "2026-03-01T12:00:00Z", "VAULT_TEST_PAUSE_LOG": str(tmp_path / "p")}
    settings = settings_from_env({**ENV, **hooks})
    base = bootstrap.Runtime(s3=object)
    runtime = bootstrap.production_runtime(settings, base)
    assert runtime.s3 is object
    assert runtime.clock() == datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert isinstance(runtime.pause, bootstrap.PauseLog)
    assert bootstrap.production_runtime(settings_from_env(ENV), base) is base


def test_the_pause_log_takes_each_pause_as_a_line_of_decimal_seconds(tmp_path: Path) -> None:
    log = tmp_path / "pauses"
    settings = settings_from_env({**ENV, "VAULT_TEST_PAUSE_LOG": str(log)})
    pause = bootstrap.production_runtime(settings).pause
    for seconds in (1.5, 2, 1e-7, 0.0):
        pause(seconds)
    assert log.read_text() == "1.5\n2.0\n0.0000001\n0.0\n"


def test_a_run_and_a_repair_take_their_time_from_vault_test_now(
    log_api: Any, bucket: str, s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = mongomock.MongoClient(tz_aware=True)
    collection = client["audit_vault"]["audit_records"]
    production = bootstrap.Runtime(s3=lambda: s3, mongo=lambda _: (client, collection))
    monkeypatch.setattr(bootstrap, "PRODUCTION", production)
    env = {**ENV, "VAULT_TEST_NOW": "2026-03-01T12:00:00.250Z"}
    log_api.serve_body(PAGE)
    assert vault("run", env=env)[0] == 0
    [record] = collection.find()
    assert record["timestamp"] == datetime(2026, 3, 1, 12, 0, 0, 250_000, tzinfo=UTC)
    collection.delete_many({})
    assert vault("repair", env={**env, "VAULT_TEST_NOW": "2026-03-02T00:00:00Z"})[0] == 0
    [record] = collection.find()
    assert record["timestamp"] == datetime(2026, 3, 2, tzinfo=UTC)
