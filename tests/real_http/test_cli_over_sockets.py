"""`python -m vault run` as a separate process, over real sockets on 127.0.0.1 only.

The log API is a scripted HTTP server, S3 is moto's ThreadedMotoServer, MongoDB is in-memory
(VAULT_MONGO_URI=mongomock://) or a closed loopback port. Nothing sleeps: retried answers
carry Retry-After: 0, and faults that would back off run with a single attempt.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.real_http.conftest import Answer, ScriptedServer

pytestmark = pytest.mark.real_http
ROOT = Path(__file__).parents[2]
PAGE_1 = b'{"logs":[{"id":"evt-1","severity":"HIGH"}],"next_cursor":"p2"}'
PAGE_2 = b'{"logs":[{"id":"evt-2","severity":"LOW"}]}'


def s3_error(code: str) -> bytes:
    return f"<Error><Code>{code}</Code><Message>{code}</Message></Error>".encode()


def run_vault(
    api: str, s3_endpoint: str, bucket: str, *args: str, command: str = "run", **settings: str
) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "VAULT_API_URL": api,
        "VAULT_BUCKET": bucket,
        "VAULT_MONGO_URI": "mongomock://",
        "VAULT_HTTP_TIMEOUT": "0.3",
        "VAULT_MAX_ATTEMPTS": "1",
        "AWS_ENDPOINT_URL": s3_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_MAX_ATTEMPTS": "1",
        **settings,
    }
    return subprocess.run(
        [sys.executable, "-m", "vault", command, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def objects(s3: Any, bucket: str) -> dict[str, bytes]:
    listing = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listing}


def test_a_paged_pull_is_archived_over_real_http(
    log_api_server: ScriptedServer, moto_server: str, s3_over_http: Any, bucket: str
) -> None:
    log_api_server.plan(Answer(body=PAGE_1), Answer(body=PAGE_2))
    result = run_vault(log_api_server.url, moto_server, bucket)
    assert result.returncode == 0, result.stderr
    assert "archived 2 page(s) with 2 log entries" in result.stdout
    assert "2 new audit record(s)" in result.stdout
    assert log_api_server.requests == ["GET /logs", "GET /logs?cursor=p2"]
    assert objects(s3_over_http, bucket) == {
        f"logs/{hashlib.sha256(page).hexdigest()}.json": page for page in (PAGE_1, PAGE_2)
    }


def test_a_503_with_retry_after_is_retried_over_real_http(
    log_api_server: ScriptedServer, moto_server: str, s3_over_http: Any, bucket: str
) -> None:
    log_api_server.plan(Answer(503, headers={"Retry-After": "0"}), Answer(body=PAGE_2))
    result = run_vault(log_api_server.url, moto_server, bucket, VAULT_MAX_ATTEMPTS="3")
    assert result.returncode == 0, result.stderr
    assert log_api_server.requests == ["GET /logs", "GET /logs"]
    assert len(objects(s3_over_http, bucket)) == 1


@pytest.mark.parametrize(
    ("answers", "settings", "code", "reason"),
    [
        (
            [Answer(503, headers={"Retry-After": "0"})],
            {"VAULT_MAX_ATTEMPTS": "2"},
            "SOURCE_UNAVAILABLE",
            "HTTP 503",
        ),
        ([Answer(404)], {}, "SOURCE_REJECTED", "HTTP 404"),
        ([Answer(hang=True)], {}, "SOURCE_UNAVAILABLE", "timeout:"),
        ([Answer(drop=True)], {}, "SOURCE_UNAVAILABLE", "connection"),
        ([Answer(body=b"<html>502 Bad Gateway</html>")], {}, "INVALID_PAYLOAD", "not JSON"),
        (
            [Answer(body=PAGE_2)],
            {"VAULT_MAX_BODY_BYTES": "10"},
            "PAYLOAD_TOO_LARGE",
            "limit of 10 bytes",
        ),
    ],
    ids=["retries-run-out", "rejected", "timeout", "dropped", "html", "too-large"],
)
def test_log_api_faults_over_real_http(
    log_api_server: ScriptedServer,
    moto_server: str,
    s3_over_http: Any,
    bucket: str,
    answers: list[Answer],
    settings: dict[str, str],
    code: str,
    reason: str,
) -> None:
    log_api_server.plan(*answers)
    result = run_vault(log_api_server.url, moto_server, bucket, **settings)
    assert result.returncode == 1
    assert f"vault: run failed: {code}: page 1: " in result.stderr
    assert reason in result.stderr
    assert objects(s3_over_http, bucket) == {}


def test_a_missing_bucket_over_real_http(log_api_server: ScriptedServer, moto_server: str) -> None:
    log_api_server.plan(Answer(body=PAGE_2))
    result = run_vault(log_api_server.url, moto_server, "no-such-bucket-here")
    assert result.returncode == 1
    assert "STORAGE_BUCKET_MISSING" in result.stderr


@pytest.mark.parametrize(
    ("status", "error", "code"),
    [(403, "AccessDenied", "STORAGE_ACCESS_DENIED"), (503, "SlowDown", "STORAGE_UNAVAILABLE")],
)
def test_s3_error_answers_over_real_http(
    log_api_server: ScriptedServer, status: int, error: str, code: str
) -> None:
    # One scripted server plays both: the log API's page, then S3 refusing the PUT.
    log_api_server.plan(Answer(body=PAGE_2), Answer(status, s3_error(error)))
    result = run_vault(log_api_server.url, log_api_server.url, "audit-vault-archive")
    assert result.returncode == 1
    assert f"vault: run failed: {code}" in result.stderr
    assert log_api_server.requests[1].startswith("PUT /audit-vault-archive/logs/")


def test_s3_that_cannot_be_reached(log_api_server: ScriptedServer, closed_port: int) -> None:
    log_api_server.plan(Answer(body=PAGE_2))
    result = run_vault(log_api_server.url, f"http://127.0.0.1:{closed_port}", "unreachable-s3")
    assert result.returncode == 1
    assert "STORAGE_UNAVAILABLE" in result.stderr


def test_mongodb_that_cannot_be_reached(
    log_api_server: ScriptedServer, moto_server: str, bucket: str, closed_port: int
) -> None:
    log_api_server.plan(Answer(body=PAGE_2))
    uri = f"mongodb://127.0.0.1:{closed_port}/"
    result = run_vault(
        log_api_server.url, moto_server, bucket, VAULT_MONGO_URI=uri, VAULT_MONGO_TIMEOUT="0.1"
    )
    assert result.returncode == 1
    assert "AUDIT_UNAVAILABLE" in result.stderr
    assert log_api_server.requests == [], "MongoDB is reached before anything is fetched"
