"""Adapters against a real driver whose server cannot be reached, over loopback."""

from __future__ import annotations

from typing import Any

import pymongo
import pytest

from tests.unit.test_mongo_audit_log import RECORD
from vault.adapters.mongo_audit_log import MongoAuditLog
from vault.errors import AuditUnavailable

pytestmark = pytest.mark.real_http


def test_a_database_that_cannot_be_reached_is_audit_unavailable(closed_port: int) -> None:
    # A real pymongo client and a loopback port nothing listens on: a genuine server selection
    # timeout. pymongo waits at least 0.5 s per selection, so this lives in the real-socket tier.
    client: Any = pymongo.MongoClient(
        f"mongodb://127.0.0.1:{closed_port}/", serverSelectionTimeoutMS=50, connectTimeoutMS=50
    )
    try:
        log = MongoAuditLog(client["audit_vault"]["audit_records"])
        with pytest.raises(AuditUnavailable, match="could not take the audit record"):
            log.record(RECORD)
        with pytest.raises(AuditUnavailable, match="could not prepare"):
            log.ensure_indexes()
    finally:
        client.close()
