"""What the HTTP and MongoDB adapters tell an operator when something goes wrong, and the edges of
what they ask for. Written to close the mutation tier's survivors in
vault/adapters/http_log_source.py and vault/adapters/mongo_audit_log.py."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from typing import Any

import mongomock
import pytest
import requests
from pymongo.errors import DuplicateKeyError, OperationFailure

from tests.unit import test_http_log_source as http_log_source_tests
from tests.unit.test_http_log_source import URL
from tests.unit.test_mongo_audit_log import RECORD
from vault.adapters.http_log_source import HttpLogSource
from vault.adapters.mongo_audit_log import MongoAuditLog
from vault.errors import AuditUnavailable, PayloadTooLarge, SourceRejected, TransientSourceError

# The same log API and source as the adapter's own tests.
api = http_log_source_tests.api
source = http_log_source_tests.source


# The log API ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "location", "message"),
    [
        (300, None, f"HTTP 300 redirect from {URL} to nowhere: the vault follows no redirect"),
        (302, "https://elsewhere.test/", f"HTTP 302 redirect from {URL} to https://elsewhere."),
        (399, None, "HTTP 399 redirect from"),
        (400, None, f"HTTP 400 from {URL}"),
        (404, None, f"HTTP 404 from {URL}"),
    ],
)
def test_a_rejected_answer_names_the_status_the_url_and_any_redirect(
    api: Any, source: HttpLogSource, status: int, location: str | None, message: str
) -> None:
    headers = {"Location": location} if location else {}
    api.get(URL, status=status, headers=headers)
    with pytest.raises(SourceRejected) as rejected:
        source.fetch_page(None, 100)
    assert message in str(rejected.value)
    if status >= 400:
        assert "redirect" not in str(rejected.value)


def test_a_base_url_keeps_its_own_last_character(api: Any) -> None:
    api.get("https://logs.example.test/X/logs", body=b"{}")
    with requests.Session() as session:
        assert HttpLogSource(session, "https://logs.example.test/X").fetch_page(None, 10) == b"{}"


def test_a_connection_dropped_mid_body_says_so(api: Any, source: HttpLogSource) -> None:
    api.get(URL, body=requests.exceptions.ChunkedEncodingError("broken"))
    with pytest.raises(
        TransientSourceError,
        match=f"dropped connection: the log API at {URL} dropped the connection mid-body",
    ):
        source.fetch_page(None, 100)


def test_a_streamed_body_is_read_a_chunk_at_a_time(api: Any, source: HttpLogSource) -> None:
    api.get(URL, body=io.BufferedReader(io.BytesIO(b"x" * 1_000_000)))
    # 64 KiB chunks: the read stops at the second one, the first past 100,000 bytes.
    with pytest.raises(PayloadTooLarge, match=r"stopped reading at 131072 bytes"):
        source.fetch_page(None, 100_000)


def test_an_answer_that_is_not_http_as_the_standard_knows_it_is_rejected(
    api: Any, source: HttpLogSource
) -> None:
    api.get(URL, body=requests.exceptions.ContentDecodingError("invalid gzip header"))
    with pytest.raises(SourceRejected) as rejected:
        source.fetch_page(None, 100)
    assert rejected.value.message == f"malformed answer from {URL}: invalid gzip header"
    assert rejected.value.status == 0


@pytest.mark.parametrize("declared", ["12x", "-1", "1e3", "²"])
def test_an_invalid_content_length_is_rejected_by_name(
    api: Any, source: HttpLogSource, declared: str
) -> None:
    api.get(URL, body=b"{}", headers={"Content-Length": declared})
    with pytest.raises(SourceRejected) as rejected:
        source.fetch_page(None, 100)
    assert rejected.value.message == (
        f"HTTP 200 from {URL} with an invalid Content-Length {declared!r}"
    )
    assert rejected.value.status == 200


@pytest.mark.parametrize(
    ("base_url", "where"),
    [
        # The query may hold credentials: the message leaves it out, and keeps the port.
        ("https://logs.example.test:8443/api/?token=t", "https://logs.example.test:8443/api/logs"),
        ("http://[::1]:8080/api", "http://[::1]:8080/api/logs"),  # IPv6 keeps its brackets
        ("http://[fe80::1]/api", "http://[fe80::1]/api/logs"),
    ],
)
def test_a_message_names_the_log_api_by_scheme_host_port_and_path(
    api: Any, base_url: str, where: str
) -> None:
    api.get(re.compile(".*"), status=404)
    with requests.Session() as session:
        source = HttpLogSource(session, base_url)
        with pytest.raises(SourceRejected) as rejected:
            source.fetch_page(None, 100)
    assert rejected.value.message == f"HTTP 404 from {where}"


def test_a_base_url_with_no_host_is_named_as_configured() -> None:
    # requests refuses the URL before any connection: the message invents no host.
    with requests.Session() as session:
        source = HttpLogSource(session, "http:///api")
        with pytest.raises(SourceRejected) as rejected:
            source.fetch_page(None, 100)
    assert rejected.value.message.startswith("malformed answer from http:///api/logs: ")


# The audit log -------------------------------------------------------------------------------
class _Broken:
    """A collection whose every call fails as a MongoDB server would."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def __getattr__(self, name: str) -> Any:
        def fail(*_: Any, **__: Any) -> None:
            raise self.error

        return fail


def test_each_audit_failure_says_what_the_vault_was_doing() -> None:
    down = OperationFailure("not primary", code=10107)
    with pytest.raises(AuditUnavailable, match="could not prepare the audit collection: not prim"):
        MongoAuditLog(_Broken(down)).ensure_indexes()
    with pytest.raises(AuditUnavailable, match="could not list the audit records: not primary"):
        list(MongoAuditLog(_Broken(down)).records_by_key("audit-vault-archive"))
    other = DuplicateKeyError("E11001 something else", code=11001)
    with pytest.raises(AuditUnavailable, match="audit write refused: E11001 something else"):
        MongoAuditLog(_Broken(other)).record(RECORD)


def test_records_are_listed_for_one_bucket_only() -> None:
    collection = mongomock.MongoClient(tz_aware=True)["audit_vault"]["records"]
    audit_log = MongoAuditLog(collection)
    audit_log.record(RECORD)
    audit_log.record(replace(RECORD, s3_key="logs/other.json", bucket="another-bucket"))
    listed = audit_log.records_by_key("audit-vault-archive")
    assert [(r.s3_key, r.bucket) for r in listed] == [(RECORD.s3_key, RECORD.bucket)]
