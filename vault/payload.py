"""What a valid page is, and where its bytes are kept: the one place that derives S3 keys."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vault.errors import InvalidPayload, PayloadTooLarge
from vault.ports import AuditRecord

CONTENT_TYPE = "application/json"
KEY_PREFIX = "logs/"
MAX_DEPTH = 512
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_A_BRACKET = bytes(set(range(256)) - set(b"[]{}"))


@dataclass(frozen=True)
class Page:
    """One validated API page: its exact bytes and what the vault needs to know about them."""

    body: bytes
    sha256: str
    log_count: int
    next_cursor: str | None

    @property
    def key(self) -> str:
        return key_for_digest(self.sha256)

    def audit_record(self, *, bucket: str, timestamp: datetime, status: str) -> AuditRecord:
        """The audit record of this page once archived in ``bucket``: metadata, no content."""
        return AuditRecord(
            s3_key=self.key,
            bucket=bucket,
            timestamp=timestamp,
            status=status,
            sha256=self.sha256,
            size_bytes=len(self.body),
            log_count=self.log_count,
            content_type=CONTENT_TYPE,
        )


def key_for_digest(sha256_hex: str) -> str:
    """``logs/<sha256 hex>.json``: derived from the bytes alone, so equal payloads share a key."""
    return f"{KEY_PREFIX}{sha256_hex}.json"


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            # Parsers disagree on which duplicate wins, so the archived meaning would be ambiguous.
            raise InvalidPayload(f"duplicate key {key!r} in a JSON object")
        obj[key] = value
    return obj


def _reject_constant(name: str) -> Any:
    raise InvalidPayload(f"{name} is not valid JSON")


def parse_page(body: bytes, max_bytes: int) -> Page:
    """Validate a raw body; raise ``PayloadTooLarge`` or ``InvalidPayload`` with the reason."""
    if len(body) > max_bytes:
        raise PayloadTooLarge(f"body is {len(body)} bytes, over the limit of {max_bytes} bytes")
    if not body:
        raise InvalidPayload("body is empty")
    # Counting brackets is cheap; the exact depth is computed only when it could be too deep.
    if body.count(b"[") + body.count(b"{") > MAX_DEPTH and nesting_depth(body) > MAX_DEPTH:
        raise InvalidPayload(
            f"body nests arrays and objects {nesting_depth(body)} levels deep, "
            f"over the limit of {MAX_DEPTH} levels"
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidPayload(f"body is not valid UTF-8 (byte {exc.start})") from None
    try:
        document = json.loads(
            text, object_pairs_hook=_reject_duplicate_keys, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        raise InvalidPayload(
            f"body is not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    if not isinstance(document, dict):
        raise InvalidPayload(f"body is a JSON {_json_type(document)}, not an object")
    logs = document.get("logs")
    if not isinstance(logs, list):
        found = "missing" if "logs" not in document else f"a JSON {_json_type(logs)}"
        raise InvalidPayload(f'"logs" must be an array, found {found}')
    for index, entry in enumerate(logs):
        if not isinstance(entry, dict):
            raise InvalidPayload(f"entry {index} is a JSON {_json_type(entry)}, not an object")
    cursor = document.get("next_cursor")
    if cursor is not None and (not isinstance(cursor, str) or not cursor):
        raise InvalidPayload('"next_cursor" must be a non-empty string or null')
    return Page(
        body=body,
        sha256=hashlib.sha256(body).hexdigest(),
        log_count=len(logs),
        next_cursor=cursor,
    )


def nesting_depth(body: bytes) -> int:
    """How deeply arrays and objects nest, strings aside: ``{"logs": []}`` is 2 levels deep.

    Counted before parsing, so the limit never depends on Python's recursion limit."""
    depth = deepest = 0
    for bracket in _STRING.sub(b"", body).translate(None, _NOT_A_BRACKET):
        if bracket in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
