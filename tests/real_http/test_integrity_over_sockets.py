"""`python -m vault verify` and `repair` as separate processes, against moto's S3 server.

Each process has its own in-memory MongoDB (VAULT_MONGO_URI=mongomock://), so the audit log a
verification reads is empty: every archived object is a MISSING_RECORD, unless its bytes were
altered. That is what these tests rely on; the acceptance scenarios cover the rest.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from tests.real_http.test_cli_over_sockets import run_vault

pytestmark = pytest.mark.real_http
NO_API = "http://127.0.0.1:9"  # verify and repair never call the log API
PAGE = b'{"logs":[{"id":"evt-1"},{"id":"evt-2"}]}'
KEY = f"logs/{hashlib.sha256(PAGE).hexdigest()}.json"
ALTERED_KEY = f"logs/{hashlib.sha256(b'original').hexdigest()}.json"


def test_an_empty_archive_verifies_clean(moto_server: str, bucket: str) -> None:
    result = run_vault(NO_API, moto_server, bucket, command="verify")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        f"vault: verified s3://{bucket}/logs/: 0 object(s), 0 audit record(s), clean\n"
    )


def test_verify_lists_each_problem_and_exits_1_and_repair_writes_what_it_can(
    moto_server: str, s3_over_http: Any, bucket: str
) -> None:
    s3_over_http.put_object(Bucket=bucket, Key=KEY, Body=PAGE)
    s3_over_http.put_object(Bucket=bucket, Key=ALTERED_KEY, Body=b"altered")
    s3_over_http.put_object(Bucket=bucket, Key="notes/readme.txt", Body=b"not compared")
    verify = run_vault(NO_API, moto_server, bucket, command="verify")
    assert verify.returncode == 1, verify.stderr
    lines = verify.stdout.splitlines()
    assert sorted(lines[:2]) == sorted(
        [
            f"vault: MISSING_RECORD {KEY}: no audit record points to it",
            f"vault: CHECKSUM_MISMATCH {ALTERED_KEY}: the bytes hash to "
            f"{hashlib.sha256(b'altered').hexdigest()}, not to the key",
        ]
    )
    assert lines[2] == (
        f"vault: verified s3://{bucket}/logs/: 2 object(s), 0 audit record(s), 2 problem(s): "
        "1 MISSING_RECORD, 0 MISSING_OBJECT, 1 CHECKSUM_MISMATCH"
    )
    repair = run_vault(NO_API, moto_server, bucket, command="repair")
    assert repair.returncode == 0, repair.stderr
    assert f"vault: wrote {KEY} (status RECOVERED)\n" in repair.stdout
    assert f"vault: left CHECKSUM_MISMATCH {ALTERED_KEY}" in repair.stdout
    assert repair.stdout.endswith(
        "wrote 1 audit record(s) with status RECOVERED; 1 problem(s) left for a person to look at\n"
    )
    assert s3_over_http.get_object(Bucket=bucket, Key=ALTERED_KEY)["Body"].read() == b"altered"


def test_json_output_is_one_document_for_machines(
    moto_server: str, s3_over_http: Any, bucket: str
) -> None:
    s3_over_http.put_object(Bucket=bucket, Key=KEY, Body=PAGE)
    verify = run_vault(NO_API, moto_server, bucket, "--json", command="verify")
    assert verify.returncode == 1
    document = json.loads(verify.stdout)
    assert document["ok"] is False
    assert document["problems"] == [
        {"kind": "MISSING_RECORD", "key": KEY, "detail": "no audit record points to it"}
    ]
    repair = json.loads(run_vault(NO_API, moto_server, bucket, "--json", command="repair").stdout)
    assert (repair["records_written"], repair["status"]) == ([KEY], "RECOVERED")


def test_bad_settings_exit_2_and_storage_failures_are_typed(
    moto_server: str, closed_port: int, bucket: str
) -> None:
    bad = run_vault(NO_API, moto_server, "B!", command="verify")
    assert bad.returncode == 2
    assert "VAULT_BUCKET" in bad.stderr
    unreachable = run_vault(
        NO_API, f"http://127.0.0.1:{closed_port}", bucket, "--json", command="repair"
    )
    assert unreachable.returncode == 1
    assert "vault: repair failed: STORAGE_UNAVAILABLE" in unreachable.stderr
    assert json.loads(unreachable.stdout)["code"] == "STORAGE_UNAVAILABLE"
    assert "Traceback" not in unreachable.stderr
