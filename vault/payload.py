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


class _Scan:
    """The hooks of one parse: it checks every object and keeps none of them.

    An object becomes ``OBJECT`` and a number ``NUMBER``: a page is validated and counted without
    building its entries (a page of ``{}`` entries would cost 28 times its size as dicts), and
    ``int()``'s 4,300-digit limit never applies, since a number too large for a double is valid
    JSON, archived as served. Objects end innermost first, so the last one is the document.
    """

    def __init__(self) -> None:
        self.document: list[tuple[str, Any]] = []

    def object_pairs(self, pairs: list[tuple[str, Any]]) -> object:
        # Parsers disagree on which duplicate wins, so the archived meaning would be ambiguous.
        if len(pairs) > 1 and len({key for key, _ in pairs}) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    raise InvalidPayload(f"duplicate key {quoted(key)} in a JSON object")
                seen.add(key)
        self.document = pairs
        return OBJECT

    @staticmethod
    def number(_: str) -> object:
        return NUMBER

    @staticmethod
    def constant(name: str) -> Any:
        raise InvalidPayload(f"{name} is not valid JSON")


OBJECT, NUMBER = object(), object()


def quoted(text: str, limit: int = 40) -> str:
    """Outside text in a message: quoted, every unprintable character escaped, cut short."""
    shown = repr(text[:limit])
    return shown if len(text) <= limit else f"{shown}... ({len(text):,} characters)"


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
    scan = _Scan()
    try:
        document = json.loads(
            text,
            object_pairs_hook=scan.object_pairs,
            parse_int=scan.number,
            parse_float=scan.number,
            parse_constant=scan.constant,
        )
    except json.JSONDecodeError as exc:
        # Some of json's messages end in "at" already ("Invalid control character at").
        raise InvalidPayload(
            f"body is not JSON ({exc.msg.removesuffix(' at')} "
            f"at line {exc.lineno} column {exc.colno})"
        ) from None
    del text
    if document is not OBJECT:
        raise InvalidPayload(f"body is a JSON {_json_type(document)}, not an object")
    fields = dict(scan.document)
    logs = fields.get("logs")
    if not isinstance(logs, list):
        found = "missing" if "logs" not in fields else f"a JSON {_json_type(logs)}"
        raise InvalidPayload(f'"logs" must be an array, found {found}')
    if logs.count(OBJECT) != len(logs):
        index, entry = next((i, e) for i, e in enumerate(logs) if e is not OBJECT)
        raise InvalidPayload(f"entry {index} is a JSON {_json_type(entry)}, not an object")
    return Page(
        body=body,
        sha256=hashlib.sha256(body).hexdigest(),
        log_count=len(logs),
        next_cursor=_next_cursor(fields),
    )


def _next_cursor(fields: dict[str, Any]) -> str | None:
    cursor = fields.get("next_cursor")
    if cursor is None:
        return None
    if not isinstance(cursor, str) or not cursor:
        found = "an empty string" if cursor == "" else f"a JSON {_json_type(cursor)}"
        raise InvalidPayload(f'"next_cursor" must be a non-empty string or null, found {found}')
    try:
        cursor.encode("utf-8")
    except UnicodeEncodeError as exc:
        # JSON's grammar allows "\udc80", but no URL can carry it: the page names a next page
        # the vault cannot ask for, so it is refused whole, like a cursor that is not a string.
        raise InvalidPayload(
            f'"next_cursor" holds a lone surrogate ({quoted(cursor[exc.start])} at character '
            f"{exc.start}), which no URL can carry: the page is refused, not archived"
        ) from None
    return cursor


class FollowedCursors:
    """The cursors a run has followed, as 16-byte digests in one buffer: a cursor may be 60 KiB,
    and a run may follow 10,000 of them. A lookup scans the buffer at C speed."""

    _SIZE = 16

    def __init__(self) -> None:
        self._digests = bytearray()

    def _digest(self, cursor: str) -> bytes:
        return hashlib.blake2b(cursor.encode("utf-8"), digest_size=self._SIZE).digest()

    def add(self, cursor: str) -> None:
        self._digests += self._digest(cursor)

    def __contains__(self, cursor: object) -> bool:
        if not isinstance(cursor, str):
            return False
        digest, start = self._digest(cursor), 0
        while (found := self._digests.find(digest, start)) != -1:
            if found % self._SIZE == 0:
                return True
            start = found + 1
        return False


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
    if value is OBJECT or value is NUMBER:
        return "object" if value is OBJECT else "number"
    if isinstance(value, bool):
        return "boolean"
    names: dict[type, str] = {str: "string", list: "array"}
    return names.get(type(value), "null")
