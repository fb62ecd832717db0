"""`python -m vault run` against a log API that misbehaves, over real sockets on 127.0.0.1.

Every trial ends in a typed error or a clean exit, within a bound on wall time, and prints no
secret: the API URL carries a password and a token, and the AWS keys are unique strings.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from tests.hostile.conftest import (
    API_PASSWORD,
    API_TOKEN,
    Behaviour,
    HostileServer,
    answer,
    assert_typed,
    endless_chunks,
    hang,
    pages_forever,
    redirect,
    trickle,
    trickle_headers,
    vault_run,
)

pytestmark = pytest.mark.real_http
PAGE = b'{"logs":[{"id":"evt-1"}]}'
QUICK = 5.0  # seconds: a process start, one request and an answer, on a busy 2-core machine
TIMEOUT = 0.5  # VAULT_HTTP_TIMEOUT in every trial


def archived(s3: Any, bucket: str) -> int:
    return int(s3.list_objects_v2(Bucket=bucket)["KeyCount"])


@pytest.mark.parametrize(
    ("behaviour", "code", "within", "says"),
    [
        (redirect("/api/logs"), "SOURCE_REJECTED", QUICK, "follows no redirect"),
        (redirect("file:///etc/passwd"), "SOURCE_REJECTED", QUICK, "file:///etc/passwd"),
        (redirect("ftp://127.0.0.1:21/logs"), "SOURCE_REJECTED", QUICK, "ftp://127.0.0.1:21"),
        (
            answer(200, PAGE, ("Content-Length", "25"), ("Content-Length", "26")),
            "SOURCE_REJECTED",
            QUICK,
            "Content-Length",
        ),
        (answer(200, PAGE, ("Content-Length", "²")), "SOURCE_REJECTED", QUICK, "Content-Length"),
        (answer(503, b"", ("Retry-After", "²")), "SOURCE_UNAVAILABLE", QUICK, "HTTP 503"),
        (hang, "SOURCE_UNAVAILABLE", TIMEOUT + QUICK, "timeout:"),
        (trickle(PAGE * 4, 0.1), "SOURCE_UNAVAILABLE", TIMEOUT + QUICK, "timeout:"),
        (trickle_headers(0.1), "SOURCE_UNAVAILABLE", TIMEOUT + QUICK, "timeout:"),
        (endless_chunks(0.05), "SOURCE_UNAVAILABLE", TIMEOUT + QUICK, "timeout:"),
        (endless_chunks(0), "PAYLOAD_TOO_LARGE", TIMEOUT + QUICK, "limit of 100000 bytes"),
    ],
    ids=[
        "redirect-loop",
        "redirect-to-file",
        "redirect-to-ftp",
        "two-content-lengths",
        "unicode-digit-content-length",
        "unicode-digit-retry-after",
        "no-answer",
        "trickled-body",
        "trickled-headers",
        "slow-endless-chunks",
        "fast-endless-chunks",
    ],
)
def test_a_hostile_answer_ends_in_a_typed_error_in_time(
    hostile_api: HostileServer,
    env: dict[str, str],
    behaviour: Behaviour,
    code: str,
    within: float,
    says: str,
) -> None:
    hostile_api.plan(behaviour)
    trial = vault_run({**env, "VAULT_MAX_BODY_BYTES": "100000"})
    assert_typed(trial, code, within)
    assert says in trial.stderr
    assert len(hostile_api.requests) == 1, "a hostile answer is never asked again in one attempt"


def test_a_slow_page_is_retried_and_each_attempt_has_the_whole_deadline(
    hostile_api: HostileServer, env: dict[str, str]
) -> None:
    # Decision: a page whose deadline passes timed out, and timeouts are retried.
    hostile_api.plan(trickle(PAGE * 4, 0.1), answer(200, PAGE))
    trial = vault_run({**env, "VAULT_MAX_ATTEMPTS": "2"})
    assert_typed(trial, "OK", TIMEOUT + 2 + QUICK)  # one timeout, one pause of 1-2 s
    assert len(hostile_api.requests) == 2


def test_a_redirect_to_another_origin_is_never_followed(
    hostile_api: HostileServer,
    other_origin: HostileServer,
    env: dict[str, str],
    s3: Any,
    bucket: str,
) -> None:
    other_origin.plan(answer(200, PAGE))
    hostile_api.plan(redirect(f"{other_origin.url}/logs"))
    trial = vault_run(env)
    assert_typed(trial, "SOURCE_REJECTED", QUICK)
    assert other_origin.url in trial.stderr
    assert other_origin.requests == []
    assert archived(s3, bucket) == 0


def test_a_cursor_that_never_ends_is_stopped_by_the_page_limit(
    hostile_api: HostileServer, env: dict[str, str], s3: Any, bucket: str
) -> None:
    hostile_api.plan(pages_forever)
    trial = vault_run({**env, "VAULT_MAX_PAGES": "20"})
    assert_typed(trial, "PAGE_LIMIT_REACHED", 2 * QUICK)
    assert "page 20: " in trial.stderr
    assert len(hostile_api.requests) == 20
    assert archived(s3, bucket) == 20


def test_the_query_string_of_the_api_url_stays_in_the_query(
    hostile_api: HostileServer, env: dict[str, str]
) -> None:
    hostile_api.plan(
        answer(200, json.dumps({"logs": [{"id": "a"}], "next_cursor": "p/2 &"}).encode()),
        answer(200, PAGE),
    )
    trial = vault_run(env)
    assert_typed(trial, "OK", QUICK)
    assert hostile_api.requests == [
        f"GET /api/logs?token={API_TOKEN}&tenant=acme",
        f"GET /api/logs?token={API_TOKEN}&tenant=acme&cursor=p%2F2+%26",
    ]
    assert "archived 2 page(s)" in trial.stdout


def test_a_closed_stdout_is_quiet_after_a_successful_run(
    hostile_api: HostileServer, env: dict[str, str]
) -> None:
    # `python -m vault run | true`: the reader is gone before the summary is written.
    hostile_api.plan(answer(200, PAGE))
    process = subprocess.Popen(["true"], stdin=subprocess.PIPE)
    process.wait()
    assert process.stdin is not None
    trial = vault_run(env, stdout=process.stdin.fileno())
    process.stdin.close()
    assert (trial.returncode, trial.stderr) == (0, "")


def test_mongodb_on_a_closed_port_fails_in_one_line_before_anything_is_fetched(
    hostile_api: HostileServer, env: dict[str, str], closed_port: int
) -> None:
    hostile_api.plan(answer(200, PAGE))
    uri = f"mongodb://auditor:{API_PASSWORD}@127.0.0.1:{closed_port}/"
    trial = vault_run({**env, "VAULT_MONGO_URI": uri, "VAULT_MONGO_TIMEOUT": "0.5"})
    assert_typed(trial, "AUDIT_UNAVAILABLE", 0.5 + QUICK)
    assert trial.stderr.count("\n") == 1, "the cause in one line, not a topology dump"
    assert "VAULT_MONGO_TIMEOUT" in trial.stderr
    assert hostile_api.requests == []


@pytest.mark.parametrize(
    ("settings", "names"),
    [
        ({"VAULT_BUCKET": "Bad_Bucket"}, "VAULT_BUCKET"),
        ({"VAULT_HTTP_TIMEOUT": "nan"}, "VAULT_HTTP_TIMEOUT"),
        ({"VAULT_API_URL": f"http://alice:{API_PASSWORD}@[::1"}, "VAULT_API_URL"),
        ({"VAULT_API_URL": "http://127.0.0.1:99999"}, "VAULT_API_URL"),
        ({"VAULT_MONGO_URI": f"redis://u:{API_PASSWORD}@127.0.0.1"}, "VAULT_MONGO_URI"),
        ({"VAULT_MONGO_COLLECTION": "a..b"}, "VAULT_MONGO_COLLECTION"),
        ({"AWS_ENDPOINT_URL": "not a url"}, "AWS_ENDPOINT_URL"),
        ({"AWS_MAX_ATTEMPTS": "abc"}, "AWS_MAX_ATTEMPTS"),
        ({"AWS_DEFAULT_REGION": "us east 1"}, "AWS_DEFAULT_REGION"),
        ({"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}, "AWS credentials"),
    ],
    ids=lambda value: value if isinstance(value, str) else next(iter(value)),
)
def test_a_bad_setting_stops_the_run_before_anything_is_fetched(
    hostile_api: HostileServer, env: dict[str, str], settings: dict[str, str], names: str
) -> None:
    hostile_api.plan(answer(200, PAGE))
    trial = vault_run({**env, **settings})
    assert_typed(trial, "CONFIG", QUICK)
    assert names in trial.stderr
    assert hostile_api.requests == []


def test_a_password_in_the_s3_endpoint_is_never_shown(
    hostile_api: HostileServer, env: dict[str, str], closed_port: int
) -> None:
    hostile_api.plan(answer(200, PAGE))
    endpoint = f"http://bob:{API_PASSWORD}@127.0.0.1:{closed_port}"
    trial = vault_run({**env, "AWS_ENDPOINT_URL": endpoint})
    assert_typed(trial, "STORAGE_UNAVAILABLE", QUICK)


def test_help_lists_the_commands_the_settings_and_the_api_contract(env: dict[str, str]) -> None:
    top = vault_run(env, "--help")
    assert_typed(top, "OK", QUICK)
    for word in ("run", "demo", "VAULT_API_URL", "VAULT_MONGO_TIMEOUT", "AWS_ENDPOINT_URL"):
        assert word in top.stdout
    run = vault_run(env, "run", "--help")
    assert_typed(run, "OK", QUICK)
    for word in ("GET <VAULT_API_URL>/logs", "?cursor=", "next_cursor", "redirect"):
        assert word in run.stdout
