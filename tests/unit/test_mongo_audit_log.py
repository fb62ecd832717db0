"""MongoAuditLog against mongomock, and against a pymongo client whose server is down."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pymongo.errors import OperationFailure

from steps.audit_log import AuditCollection
from vault.adapters.mongo_audit_log import MongoAuditLog
from vault.errors import AuditUnavailable
from vault.ports import AuditRecord

RECORD = AuditRecord(
    s3_key="logs/abc.json",
    bucket="audit-vault-archive",
    timestamp=datetime(2026, 3, 1, 12, 0, 0, 250_999, tzinfo=UTC),
    status="ARCHIVED",
    sha256="abc",
    size_bytes=25,
    log_count=1,
    content_type="application/json",
)


@pytest.fixture
def audit_log(audit_collection: AuditCollection) -> MongoAuditLog:
    log = MongoAuditLog(audit_collection)
    log.ensure_indexes()
    return log


def test_a_record_holds_the_metadata_and_nothing_else(
    audit_log: MongoAuditLog, audit_collection: Any
) -> None:
    assert audit_log.record(RECORD) is True
    (stored,) = audit_collection.find({}, {"_id": False})
    assert stored == {
        "s3_key": "logs/abc.json",
        "bucket": "audit-vault-archive",
        "timestamp": datetime(2026, 3, 1, 12, 0, 0, 250_000, tzinfo=UTC),
        "status": "ARCHIVED",
        "sha256": "abc",
        "size_bytes": 25,
        "log_count": 1,
        "content_type": "application/json",
    }


def test_the_same_key_is_recorded_once(audit_log: MongoAuditLog, audit_collection: Any) -> None:
    assert audit_log.record(RECORD) is True
    assert audit_log.record(RECORD) is False
    assert audit_collection.count_documents({}) == 1


def test_the_key_is_unique_in_the_database(audit_log: MongoAuditLog, audit_collection: Any) -> None:
    index = audit_collection.index_information()["s3_key_unique"]
    assert index["key"] == [("s3_key", 1)]
    assert index["unique"] is True


class _RefusingCollection:
    def insert_one(self, document: dict[str, Any]) -> None:
        raise OperationFailure("not authorized on audit_vault to execute command", code=13)


def test_a_refused_write_is_audit_unavailable() -> None:
    with pytest.raises(AuditUnavailable, match="not authorized"):
        MongoAuditLog(_RefusingCollection()).record(RECORD)
