"""Hostile content through the real adapters (moto, mongomock, responses): kept verbatim,
never part of a key or a query."""

from __future__ import annotations

import hashlib
import json

from steps.archive import ArchiveBucket
from steps.audit_log import AuditView
from steps.log_api import ScriptedLogApi
from steps.world import VaultUnderTest


def test_a_very_large_string_is_archived_byte_for_byte(
    vault: VaultUnderTest, log_api: ScriptedLogApi, archive: ArchiveBucket
) -> None:
    message = "A" * 4_000_000 + "\u2603" * 100_000  # ~4.3 MB, under the 10 MiB default
    body = json.dumps({"logs": [{"id": "evt-1", "message": message}]}, ensure_ascii=False)
    log_api.serve_body(body.encode("utf-8"))
    vault.run()
    (key,) = archive.keys()
    stored, _ = archive.read(key)
    assert stored == body.encode("utf-8")
    assert key == f"logs/{hashlib.sha256(stored).hexdigest()}.json"


def test_payload_content_never_reaches_the_audit_record(
    vault: VaultUnderTest, log_api: ScriptedLogApi, audit: AuditView
) -> None:
    log_api.serve_body(
        b'{"logs":[{"$where":"1","s3_key":"../x","status":"DELETED","sha256":"0"}],'
        b'"bucket":"evil","next_cursor":null}'
    )
    vault.run()
    (record,) = audit.records()
    assert set(record) == {
        "s3_key",
        "bucket",
        "timestamp",
        "status",
        "sha256",
        "size_bytes",
        "log_count",
        "content_type",
    }
    assert record["bucket"] == "audit-vault-archive"
    assert record["status"] == "ARCHIVED"
    assert record["s3_key"].startswith("logs/")
    assert ".." not in record["s3_key"]
