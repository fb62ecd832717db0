"""examples/minimal_vault.py, the example target of docs/contract.md, keeps the core.

It runs in process against moto (S3), mongomock (MongoDB, in place of pymongo's client) and
responses (the log API); its real sleeps are recorded instead. Every command's output is held
to the contract by ``conformance.contract.check``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
import requests
from pymongo.errors import ServerSelectionTimeoutError, WriteError

from conformance.contract import ContractBroken, Outcome, check
from tests.conformance.stores import (
    API,
    AWS,
    BUCKET,
    LOGS,
    Stores,
    answer_uploads_with,
    in_process_stores,
)

ROOT = Path(__file__).resolve().parents[2]
BODY = b'{"logs":[{"id":"evt-1","severity":"HIGH"},{"id":"evt-2","severity":"LOW"}]}'


def load_minimal_vault() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "minimal_vault", ROOT / "examples/minimal_vault.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MINIMAL_VAULT = load_minimal_vault()


@dataclass
class MinimalVault:
    module: ModuleType
    stores: Stores
    monkeypatch: pytest.MonkeyPatch
    slept: list[float] = field(default_factory=list)

    def run(self, *args: str) -> Outcome:
        argv = ["python", "examples/minimal_vault.py", *(args or ("run", "--json"))]
        self.monkeypatch.setattr(sys, "argv", argv[1:])
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            status = self.module.main()
        return check(argv, status, out.getvalue(), err.getvalue())


@pytest.fixture
def vault(moto_aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[MinimalVault]:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "VAULT_MAX_ATTEMPTS", "VAULT_HTTP_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    settings = {
        "VAULT_API_URL": API,
        "VAULT_BUCKET": BUCKET,
        "VAULT_MONGO_URI": "mongodb://127.0.0.1:27017",
        **AWS,
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    with in_process_stores() as stores:
        monkeypatch.setattr(MINIMAL_VAULT.pymongo, "MongoClient", lambda uri, **_: stores.mongo)
        minimal = MinimalVault(MINIMAL_VAULT, stores, monkeypatch)
        monkeypatch.setattr(MINIMAL_VAULT.time, "sleep", minimal.slept.append)
        yield minimal


def test_a_page_is_archived_byte_for_byte_and_audited(vault: MinimalVault) -> None:
    vault.stores.api.get(LOGS, body=BODY)
    outcome = vault.run()
    assert (outcome.ok, outcome.pages_archived) == (True, 1)
    key = f"logs/{hashlib.sha256(BODY).hexdigest()}.json"
    assert vault.stores.objects() == {key: BODY}
    assert vault.stores.s3.head_object(Bucket=BUCKET, Key=key)["ContentType"] == "application/json"
    [record] = vault.stores.records()
    assert record.pop("timestamp").utcoffset().total_seconds() == 0
    assert record == {
        "s3_key": key, "bucket": BUCKET, "status": "ARCHIVED",
        "sha256": hashlib.sha256(BODY).hexdigest(), "size_bytes": len(BODY), "log_count": 2,
    }  # fmt: skip


def test_running_again_duplicates_nothing(vault: MinimalVault) -> None:
    vault.stores.api.get(LOGS, body=BODY)
    assert vault.run().ok
    assert vault.run().pages_archived == 1
    assert (len(vault.stores.objects()), len(vault.stores.records())) == (1, 1)


def test_an_empty_page_archives_nothing(vault: MinimalVault) -> None:
    vault.stores.api.get(LOGS, body=b'{"logs":[]}')
    assert vault.run().pages_archived == 0
    assert (vault.stores.objects(), vault.stores.records()) == ({}, [])


def test_the_query_of_the_base_url_is_kept_and_never_shown(vault: MinimalVault) -> None:
    vault.monkeypatch.setenv("VAULT_API_URL", "https://logs.example.test/api/?token=s3cr3t-t0ken")
    vault.stores.api.get(LOGS, status=404)
    outcome = vault.run()
    assert vault.stores.calls() == [f"{LOGS}?token=s3cr3t-t0ken"]
    assert "s3cr3t" not in str(outcome.document) + outcome.stderr


def test_a_503_is_ridden_out_with_real_pauses_of_1_then_2_seconds(vault: MinimalVault) -> None:
    vault.stores.api.get(LOGS, status=503)
    vault.stores.api.get(LOGS, status=503)
    vault.stores.api.get(LOGS, body=BODY)
    assert vault.run().ok
    assert (len(vault.stores.calls()), vault.slept) == (3, [1, 2])


@pytest.mark.parametrize(
    ("failure", "says"),
    [
        ({"status": 429}, "HTTP 429"),
        ({"body": requests.Timeout("slow")}, "timed out"),
        ({"body": requests.ConnectionError("reset")}, "dropped"),
    ],
)
def test_attempts_run_out_as_source_unavailable(
    vault: MinimalVault, failure: dict[str, Any], says: str
) -> None:
    vault.stores.api.get(LOGS, **failure)
    outcome = vault.run()
    assert (outcome.code, outcome.page, outcome.pages_archived) == ("SOURCE_UNAVAILABLE", 1, 0)
    assert says in (outcome.message or "")
    assert len(vault.stores.calls()) == 3


def test_the_attempts_are_the_operators(vault: MinimalVault) -> None:
    vault.monkeypatch.setenv("VAULT_MAX_ATTEMPTS", "5")
    vault.stores.api.get(LOGS, status=500)
    assert vault.run().code == "SOURCE_UNAVAILABLE"
    assert (len(vault.stores.calls()), vault.slept) == (5, [1, 2, 4, 8])


@pytest.mark.parametrize("status", [404, 401, 501, 302])
def test_any_other_answer_is_rejected_once(vault: MinimalVault, status: int) -> None:
    vault.stores.api.get(
        LOGS, status=status, headers={"Location": "https://elsewhere.example.test/logs"}
    )
    vault.stores.api.get("https://elsewhere.example.test/logs", body=BODY)
    assert vault.run().code == "SOURCE_REJECTED"
    assert vault.stores.calls() == [LOGS]
    assert vault.stores.objects() == {}


@pytest.mark.parametrize(
    "body",
    [
        b"not json", b"", b"[]", b"null", b'{"entries": []}', b'{"logs": {}}', b'{"logs": "ab"}',
        b'{"logs": [null]}', b'{"logs": [], "logs": [{}]}', b'{"logs": [{"a": NaN}]}',
        b'{"logs": [{"a": -Infinity}]}', b'{"logs": [{}], "next_cursor": 2}',
        b'{"logs": [{}], "next_cursor": ""}', b"\xff\xfe",
        b'{"logs":[{"a":' + b"[" * 510 + b"]" * 510 + b"}]}",
        b'{"logs":[{"a":' + b"[" * 5000 + b"]" * 5000 + b"}]}",
    ],
)  # fmt: skip
def test_an_invalid_payload_is_refused_before_anything_is_written(
    vault: MinimalVault, body: bytes
) -> None:
    vault.stores.api.get(LOGS, body=body)
    assert vault.run().code == "INVALID_PAYLOAD"
    assert (vault.stores.objects(), vault.stores.records(), len(vault.stores.calls())) == (
        {},
        [],
        1,
    )


def test_a_body_512_levels_deep_is_archived(vault: MinimalVault) -> None:
    vault.stores.api.get(LOGS, body=b'{"logs":[{"a":' + b"[" * 509 + b"]" * 509 + b"}]}")
    assert vault.run().pages_archived == 1


def test_a_missing_bucket_fails_the_run_and_nothing_is_audited(vault: MinimalVault) -> None:
    vault.monkeypatch.setenv("VAULT_BUCKET", "no-such-bucket")
    vault.stores.api.get(LOGS, body=BODY)
    outcome = vault.run()
    assert outcome.code == "STORAGE_BUCKET_MISSING"
    assert vault.stores.records() == []


@pytest.mark.parametrize(
    ("status", "s3_code", "code"),
    [
        (403, "AccessDenied", "STORAGE_ACCESS_DENIED"),
        (403, "Forbidden", "STORAGE_ACCESS_DENIED"),
        (503, "SlowDown", "STORAGE_UNAVAILABLE"),
        (409, "OperationAborted", "STORAGE_REJECTED"),
    ],
)
def test_an_s3_error_is_typed_and_nothing_is_audited(
    vault: MinimalVault, status: int, s3_code: str, code: str
) -> None:
    real_client = boto3.client

    def failing_client(*args: Any, **kwargs: Any) -> Any:
        client = real_client(*args, **kwargs)
        answer_uploads_with(client, status, s3_code)
        return client

    vault.monkeypatch.setattr(vault.module.boto3, "client", failing_client)
    vault.stores.api.get(LOGS, body=BODY)
    outcome = vault.run()
    assert outcome.code == code
    assert BUCKET in (outcome.message or "")
    assert (vault.stores.objects(), vault.stores.records()) == ({}, [])


def test_an_audit_write_refused_keeps_the_object(vault: MinimalVault) -> None:
    collection = vault.stores.mongo["audit_vault"]["audit_records"]

    def refuse(*_: Any, **__: Any) -> None:
        raise WriteError("not now")

    vault.monkeypatch.setattr(type(collection), "insert_one", refuse)
    vault.stores.api.get(LOGS, body=BODY)
    assert vault.run().code == "AUDIT_UNAVAILABLE"
    assert len(vault.stores.objects()) == 1


def test_an_unreachable_audit_log_fails_before_the_log_api_is_called(vault: MinimalVault) -> None:
    def unreachable(*_: Any, **__: Any) -> None:
        raise ServerSelectionTimeoutError("127.0.0.1:27017: connection refused")

    vault.monkeypatch.setattr(type(vault.stores.mongo.admin), "command", unreachable)
    vault.stores.api.get(LOGS, body=BODY)
    outcome = vault.run()
    assert (outcome.code, outcome.page, vault.stores.calls()) == ("AUDIT_UNAVAILABLE", 1, [])


def test_missing_settings_are_refused_all_at_once(vault: MinimalVault) -> None:
    vault.monkeypatch.delenv("VAULT_API_URL")
    vault.monkeypatch.setenv("VAULT_MONGO_URI", "")
    vault.stores.api.get(LOGS, body=BODY)
    outcome = vault.run()
    assert (outcome.exit_status, outcome.settings) == (2, ("VAULT_API_URL", "VAULT_MONGO_URI"))
    assert vault.stores.calls() == []


@pytest.mark.parametrize("command", ["verify", "repair"])
def test_what_it_lacks_breaks_the_contract_if_ever_asked(vault: MinimalVault, command: str) -> None:
    with pytest.raises(ContractBroken, match="exit status 64"):
        vault.run(command, "--json")
