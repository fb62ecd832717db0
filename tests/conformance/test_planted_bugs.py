"""Each planted-bug target plants a live bug: the same run, in process, with and without it.

The kit's scenarios are what must catch these bugs (over the live stack, through the targets'
commands); this only proves that each target's one patch takes hold and changes what the
reference vault does, so that a target never passes the kit by planting nothing.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
import responses

from tests.conformance.stores import (
    API,
    AWS,
    BUCKET,
    LOGS,
    Stores,
    answer_uploads_with,
    in_process_stores,
)

TARGETS = Path(__file__).parent / "targets"
BODY = b'{"logs":[{"id":"evt-1","message":"caf\\u00e9"},{"id":"evt-2"}]}'
KEY = f"logs/{hashlib.sha256(BODY).hexdigest()}.json"
ELSEWHERE = "https://elsewhere.example.test/logs"


def planted_bug(target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(TARGETS))
    spec = importlib.util.spec_from_file_location(f"planted_{target}", TARGETS / f"{target}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    owner, name, replacement = module.BUG
    assert hasattr(owner, name)
    monkeypatch.setattr(owner, name, replacement)


@dataclass
class Reference:
    """``vault.cli.main`` in process, over the in-process stores."""

    stores: Stores
    pauses: list[float] = field(default_factory=list)
    upload_error: tuple[int, str] | None = None

    def run(self) -> tuple[int, str, str]:
        from vault.bootstrap import Runtime
        from vault.cli import main

        def s3() -> Any:
            client = boto3.client(
                "s3",
                region_name=AWS["AWS_DEFAULT_REGION"],
                aws_access_key_id=AWS["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=AWS["AWS_SECRET_ACCESS_KEY"],
            )
            if self.upload_error:
                answer_uploads_with(client, *self.upload_error)
            return client

        mongo = self.stores.mongo
        runtime = Runtime(
            s3=s3,
            mongo=lambda settings: (
                mongo,
                mongo[settings.mongo_database][settings.mongo_collection],
            ),
            clock=lambda: datetime(2026, 1, 1, tzinfo=UTC),
            pause=self.pauses.append,
            jitter=lambda: 0.0,
        )
        env = {"VAULT_API_URL": API, "VAULT_BUCKET": BUCKET, "VAULT_MONGO_URI": "mongomock://"}
        out, err = io.StringIO(), io.StringIO()
        code = main(["run"], env={**env, **AWS}, out=out, err=err, runtime=runtime)
        return code, out.getvalue(), err.getvalue()


@pytest.fixture
def reference(moto_aws: None) -> Iterator[Reference]:
    with in_process_stores() as stores:
        yield Reference(stores)


@pytest.fixture(params=[False, True], ids=["reference", "planted"])
def planted(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def test_follows_redirects(reference: Reference, planted: bool, monkeypatch: Any) -> None:
    if planted:
        planted_bug("follows_redirects", monkeypatch)
    reference.stores.api.get(LOGS, status=302, headers={"Location": ELSEWHERE})
    reference.stores.api.get(ELSEWHERE, body=BODY)
    code, _, _ = reference.run()
    assert (code, reference.stores.calls()) == ((0, [LOGS, ELSEWHERE]) if planted else (1, [LOGS]))


def test_retries_404(reference: Reference, planted: bool, monkeypatch: Any) -> None:
    if planted:
        planted_bug("retries_404", monkeypatch)
    reference.stores.api.get(LOGS, status=404)
    code, _, err = reference.run()
    assert code == 1
    assert ("SOURCE_UNAVAILABLE" if planted else "SOURCE_REJECTED") in err
    assert len(reference.stores.calls()) == (3 if planted else 1)


def test_swallows_s3_403(reference: Reference, planted: bool, monkeypatch: Any) -> None:
    if planted:
        planted_bug("swallows_s3_403", monkeypatch)
    reference.upload_error = (403, "AccessDenied")
    reference.stores.api.get(LOGS, body=BODY)
    code, _, _ = reference.run()
    assert (code, len(reference.stores.records())) == ((0, 1) if planted else (1, 0))
    assert reference.stores.objects() == {}


def test_reserialises_payload(reference: Reference, planted: bool, monkeypatch: Any) -> None:
    if planted:
        planted_bug("reserialises_payload", monkeypatch)
    reference.stores.api.get(LOGS, body=BODY)
    assert reference.run()[0] == 0
    [archived] = reference.stores.objects().values()
    assert archived == (json.dumps(json.loads(BODY)).encode() if planted else BODY)
    assert archived != BODY or not planted


def test_millisecond_keys(reference: Reference, planted: bool, monkeypatch: Any) -> None:
    if planted:
        planted_bug("millisecond_keys", monkeypatch)
    reference.stores.api.get(LOGS, body=BODY)
    assert reference.run()[0] == 0
    [key] = reference.stores.objects()
    assert re.fullmatch(r"logs/[0-9]{13}\.json", key) if planted else key == KEY
    assert [record["s3_key"] for record in reference.stores.records()] == [key]


def test_no_http_deadline(planted: bool, monkeypatch: Any) -> None:
    from vault.adapters.http_log_source import HttpLogSource

    if planted:
        planted_bug("no_http_deadline", monkeypatch)
    source = HttpLogSource(requests.Session(), API, timeout=(5.0, 2.0))
    expected = (None, float("inf")) if planted else ((5.0, 2.0), 2.0)
    assert (source._timeout, source._deadline) == expected


def test_prints_text(
    reference: Reference, planted: bool, monkeypatch: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    if planted:
        planted_bug("prints_text", monkeypatch)
    reference.stores.api.get(LOGS, body=BODY)
    assert reference.run()[0] == 0  # the CLI's own stdout is process stdout, where this prints
    assert capsys.readouterr().out == (f"archived {KEY} (2 entries)\n" if planted else "")


def test_first_page_only(reference: Reference, planted: bool, monkeypatch: Any) -> None:
    if planted:
        planted_bug("first_page_only", monkeypatch)
    reference.stores.api.get(f"{LOGS}?cursor=p2", body=b'{"logs":[{"id":"evt-3"}]}')
    reference.stores.api.get(LOGS, body=b'{"logs":[{"id":"evt-1"}],"next_cursor":"p2"}')
    assert reference.run()[0] == 0
    assert len(reference.stores.objects()) == (1 if planted else 2)
    assert len(reference.stores.calls()) == (1 if planted else 2)


def test_latin1_credentials(planted: bool, monkeypatch: Any) -> None:
    from vault.adapters.http_log_source import HttpLogSource

    if planted:
        planted_bug("latin1_credentials", monkeypatch)
    with responses.RequestsMock() as api:
        # Left in the URL, the credentials stay in what responses matches (never on the wire).
        api.get(re.compile(r"https://([^/]*@)?logs\.example\.test/api/logs"), body=BODY)
        source = HttpLogSource(requests.Session(), API.replace("//", "//vault:%C3%BC-Zulu-9@"))
        source.fetch_page(None, 1000)
        sent = api.calls[0].request.headers["Authorization"]
    password = b"\xfc-Zulu-9" if planted else "ü-Zulu-9".encode()
    assert sent == "Basic " + base64.b64encode(b"vault:" + password).decode()
