"""The audit log as the suite sees it and breaks it: a real (mongomock) collection."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pymongo.errors import ServerSelectionTimeoutError


@dataclass(frozen=True)
class WriteFault:
    """Writes after the first ``accepted`` ones fail as if MongoDB could not be reached."""

    accepted: int


class AuditCollection:
    """The collection the vault writes to. Every write it attempts is counted, across runs, a
    write refused as already recorded included; a planned fault refuses writes like a MongoDB
    that is down. Everything else passes through to the real collection."""

    def __init__(self, collection: Any) -> None:
        self._collection = collection
        self.writes = 0
        self.unreachable = False  # nothing answers at the address the operator gave
        self._fault: WriteFault | None = None
        self._fault_from = 0

    def plan(self, fault: WriteFault) -> None:
        self._fault, self._fault_from = fault, self.writes

    def clear(self) -> None:
        """MongoDB takes writes again, and answers again."""
        self._fault = None
        self.unreachable = False

    def make_unreachable(self) -> None:
        self.unreachable = True

    def insert_one(self, document: dict[str, Any]) -> Any:
        self.writes += 1
        fault = self._fault
        if fault is not None and self.writes - self._fault_from > fault.accepted:
            raise ServerSelectionTimeoutError(
                "127.0.0.1:27017: [Errno 111] Connection refused (planned by the scenario)"
            )
        return self._collection.insert_one(document)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._collection, name)


def as_text(value: object) -> str:
    """A stored value as the language compares it: digits, strings, ISO 8601 UTC with a Z."""
    if isinstance(value, datetime):
        instant = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        text = instant.strftime("%Y-%m-%dT%H:%M:%S")
        if instant.microsecond:
            text += f".{instant.microsecond // 1000:03d}"
        return text + "Z"
    return str(value)


@dataclass
class AuditView:
    """The audit records, read as a user reads them: by key, without MongoDB's ``_id``."""

    collection: Any

    def records(self) -> list[dict[str, Any]]:
        return list(self.collection.find({}, {"_id": False}).sort("s3_key"))

    def the_record(self) -> dict[str, Any]:
        """The only record; fails with what was found when there is not exactly one."""
        records = self.records()
        assert len(records) == 1, (
            f"expected exactly one audit record, found {len(records)}:\n{self.show(records)}"
        )
        return records[0]

    def with_status(self, status: str) -> list[dict[str, Any]]:
        return [record for record in self.records() if record.get("status") == status]

    def delete_first(self) -> str:
        """Delete the record with the smallest key, straight in MongoDB, as an operator might."""
        records = self.records()
        assert records, "the audit log holds no record to delete: run the vault first"
        key = str(records[0]["s3_key"])
        self.collection.delete_one({"s3_key": key})
        return key

    @staticmethod
    def show(records: list[dict[str, Any]]) -> str:
        shown = [{k: as_text(v) for k, v in record.items()} for record in records]
        return json.dumps(shown, indent=2, ensure_ascii=False)
