"""The audit log in MongoDB, with an injected ``pymongo`` collection."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, fields
from typing import Any

from pymongo.errors import DuplicateKeyError, PyMongoError

from vault.errors import AuditUnavailable
from vault.ports import AuditLog, AuditRecord

_DUPLICATE_KEY = 11000


class MongoAuditLog(AuditLog):
    """One document per archived object; a unique index on ``s3_key`` keeps it that way."""

    def __init__(self, collection: Any) -> None:
        self._collection = collection

    def ensure_indexes(self) -> None:
        try:
            self._collection.create_index("s3_key", unique=True, name="s3_key_unique")
        except PyMongoError as exc:
            raise AuditUnavailable(f"could not prepare the audit collection: {exc}") from exc

    def record(self, entry: AuditRecord) -> bool:
        document = asdict(entry)
        # BSON dates keep milliseconds; store exactly what will be read back.
        stamp = entry.timestamp
        document["timestamp"] = stamp.replace(microsecond=stamp.microsecond // 1000 * 1000)
        try:
            self._collection.insert_one(document)
        except DuplicateKeyError as exc:
            if exc.code == _DUPLICATE_KEY:
                return False
            raise AuditUnavailable(f"audit write refused: {exc}") from exc
        except PyMongoError as exc:
            raise AuditUnavailable(
                f"MongoDB could not take the audit record for {entry.s3_key}: {exc}"
            ) from exc
        return True

    def records_by_key(self, bucket: str) -> Iterator[AuditRecord]:
        try:
            cursor = self._collection.find({"bucket": bucket}, {"_id": False}).sort("s3_key")
            for document in cursor:
                yield AuditRecord(**{name: document.get(name) for name in _FIELDS})
        except PyMongoError as exc:
            raise AuditUnavailable(f"MongoDB could not list the audit records: {exc}") from exc


_FIELDS = tuple(field.name for field in fields(AuditRecord))
