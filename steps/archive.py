"""The archive bucket as the suite sees it, changes it and breaks it, through the S3 API.

The suite's speed rests on one rule: **only watched clients write to the archive bucket**
(the vault's client, the suite's own, the denied user's). ``S3Writes`` sees every write they
make, which lets two things skip S3 calls safely:
- ``ArchiveBucket`` reuses what it read until S3 accepts another write;
- ``restore_empty_bucket`` deletes exactly what was written, without listing the bucket.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError
from botocore.parsers import create_parser
from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import s3_backends

ARCHIVE_BUCKET = "audit-vault-archive"
REGION = "us-east-1"


class Write(NamedTuple):
    operation: str
    bucket: str
    key: str | None


class S3Writes:
    """Every write S3 accepted through a watched client.

    botocore's provide-client-params event sees the parameters; after-call sees the answer, and
    only a 2xx answer is recorded (a denied or failed upload changed nothing)."""

    OPERATIONS = ("PutObject", "DeleteObject", "DeleteObjects", "CreateBucket", "DeleteBucket")

    def __init__(self) -> None:
        self.writes: list[Write] = []

    @property
    def count(self) -> int:
        return len(self.writes)

    def watch(self, client: Any) -> None:
        for operation in self.OPERATIONS:
            client.meta.events.register(
                f"provide-client-params.s3.{operation}",
                self._remember,
                unique_id=f"s3-writes-params-{operation}",
            )
            client.meta.events.register(
                f"after-call.s3.{operation}", self._record, unique_id=f"s3-writes-{operation}"
            )

    def _remember(
        self, params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any
    ) -> None:
        context["suite_write"] = Write(model.name, params.get("Bucket", ""), params.get("Key"))
        context["suite_params"] = params

    def _record(self, http_response: Any, context: dict[str, Any], **_: Any) -> None:
        if http_response.status_code < 300 and "suite_write" in context:
            self.writes.append(context["suite_write"])

    def since(self, mark: int) -> list[Write]:
        return self.writes[mark:]


def restore_empty_bucket(s3: Any, writes: S3Writes, mark: int) -> None:
    """Leave the archive bucket existing and empty after a test that started at ``mark``.

    Relies on the rule above: what watched clients wrote is all there is to delete. The keys go
    straight from moto's store (no assertion reads it, and it saves an S3 call per key)."""
    written = [w for w in writes.since(mark) if w.bucket == ARCHIVE_BUCKET]
    store = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    if ARCHIVE_BUCKET not in store.buckets:
        s3.create_bucket(Bucket=ARCHIVE_BUCKET)
        return
    for key in {w.key for w in written if w.operation == "PutObject" and w.key}:
        with contextlib.suppress(KeyError):  # gone with a bucket deleted since
            store.delete_object(ARCHIVE_BUCKET, key)


@dataclass
class ArchiveBucket:
    """What a user sees in the archive bucket, and what a tamperer or an operator does to it.

    Reads are reused until the next accepted write through a watched client, so a scenario's
    Then steps do not list and download the same objects again."""

    s3: Any
    writes: S3Writes
    bucket: str = ARCHIVE_BUCKET
    _seen_writes: int = -1
    _keys: list[str] | None = None  # None: not listed since the last accepted write
    _bodies: dict[str, tuple[bytes, str]] = field(default_factory=dict)

    def _forget_older_reads(self) -> None:
        if self._seen_writes != self.writes.count:
            self._seen_writes, self._keys, self._bodies = self.writes.count, None, {}

    def keys(self) -> list[str]:
        self._forget_older_reads()
        if self._keys is None:
            try:
                listing = self.s3.list_objects_v2(Bucket=self.bucket)
            except self.s3.exceptions.NoSuchBucket:
                listing = {}
            self._keys = [item["Key"] for item in listing.get("Contents", [])]
        return self._keys

    def read(self, key: str) -> tuple[bytes, str]:
        """The object's bytes and content type."""
        self._forget_older_reads()
        if key not in self._bodies:
            answer = self.s3.get_object(Bucket=self.bucket, Key=key)
            self._bodies[key] = (answer["Body"].read(), answer["ContentType"])
        return self._bodies[key]

    def exists(self, bucket: str, key: str) -> bool:
        try:
            self.s3.head_object(Bucket=bucket, Key=key)
        except self.s3.exceptions.ClientError:
            return False
        return True

    def first_key(self) -> str:
        keys = sorted(self.keys())
        assert keys, "the archive holds no object to change: run the vault first"
        return keys[0]

    def overwrite_first(self) -> str:
        """New bytes under the smallest key, as a tamperer would leave them."""
        key = self.first_key()
        body, content_type = self.read(key)
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=body + b" ", ContentType=content_type)
        return key

    def delete_first(self) -> str:
        key = self.first_key()
        self.s3.delete_object(Bucket=self.bucket, Key=key)
        return key

    def delete_bucket(self) -> None:
        """The bucket goes, with whatever it held."""
        for key in self.keys():
            self.s3.delete_object(Bucket=self.bucket, Key=key)
        with contextlib.suppress(self.s3.exceptions.NoSuchBucket):
            self.s3.delete_bucket(Bucket=self.bucket)

    def create_bucket(self) -> None:
        self.s3.create_bucket(Bucket=self.bucket)


# Faults ------------------------------------------------------------------------------------------
# What S3, or a proxy in front of it, answers with each status: S3's XML error document where
# S3 itself answers, a proxy's HTML page (no AWS error code) for 502 and 504, as in production.
_S3_CODES = {
    400: "InvalidRequest",
    403: "AccessDenied",
    404: "NoSuchBucket",
    409: "OperationAborted",
    411: "MissingContentLength",
    413: "EntityTooLarge",
    500: "InternalError",
    501: "NotImplemented",
    503: "SlowDown",
}
_PROXY_PAGE = (
    "<html><head><title>{status} {reason}</title></head><body><center><h1>{status} {reason}</h1>"
    "</center><hr><center>nginx</center></body></html>"
)
_REASONS = {502: "Bad Gateway", 504: "Gateway Time-out"}


def s3_error_answer(status: int) -> tuple[dict[str, str], bytes]:
    """The headers and body S3, or the proxy before it, sends with this status."""
    if status in _REASONS:
        page = _PROXY_PAGE.format(status=status, reason=_REASONS[status]).encode()
        return {"content-type": "text/html", "content-length": str(len(page))}, page
    if status not in _S3_CODES:
        return {"content-length": "0"}, b""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>'
        f"{_S3_CODES[status]}</Code><Message>planned by the scenario</Message>"
        "<RequestId>4442587FB7D0A2F9</RequestId></Error>"
    ).encode()
    headers = {"content-type": "application/xml", "content-length": str(len(body))}
    return headers, body


@dataclass(frozen=True)
class UploadFault:
    """Uploads after the first ``accepted`` ones fail: with ``status``, or (None) a genuine
    IAM denial."""

    accepted: int
    status: int | None = None


@dataclass
class ArchiveFaults:
    """Faults on the vault's S3 client. Every upload the vault attempts is counted, across runs.

    A status is answered with the bytes S3 or a proxy would send, parsed by botocore's own
    parser; a denial is a real request by an IAM user denied s3:PutObject, so its 403 is
    genuine. ``before-call`` answers instead of S3, so nothing is stored."""

    vault_s3: Any
    denied: Callable[[], tuple[Any, Callable[[], Any]]]  # (client, IAM enforcement), on demand
    uploads: int = 0
    _fault: UploadFault | None = None
    _fault_from: int = 0

    _HANDLER_ID = "acceptance-suite-archive-fault"

    def __post_init__(self) -> None:
        self.vault_s3.meta.events.register(
            "before-call.s3.PutObject", self._before_upload, unique_id=self._HANDLER_ID
        )

    def plan(self, fault: UploadFault) -> None:
        self._fault, self._fault_from = fault, self.uploads

    def clear(self) -> None:
        """The archive takes uploads again."""
        self._fault = None

    def remove(self) -> None:
        self.vault_s3.meta.events.unregister("before-call.s3.PutObject", unique_id=self._HANDLER_ID)

    def _before_upload(
        self, model: Any, context: dict[str, Any], **_: Any
    ) -> tuple[AWSResponse, dict[str, Any]] | None:
        self.uploads += 1
        fault = self._fault
        if fault is None or self.uploads - self._fault_from <= fault.accepted:
            return None
        if fault.status is None:
            return self._denied(context["suite_params"])
        headers, body = s3_error_answer(fault.status)
        parsed = create_parser("rest-xml").parse(
            {"status_code": fault.status, "headers": headers, "body": body}, model.output_shape
        )
        return AWSResponse(
            f"https://{ARCHIVE_BUCKET}.s3.amazonaws.com", fault.status, headers, None
        ), parsed

    def _denied(self, params: dict[str, Any]) -> tuple[AWSResponse, dict[str, Any]]:
        """The same upload, made by the IAM user denied s3:PutObject: S3's own 403."""
        client, enforcement = self.denied()
        try:
            with enforcement():
                client.put_object(**params)
        except ClientError as exc:
            metadata = exc.response["ResponseMetadata"]
            return AWSResponse(
                f"https://{ARCHIVE_BUCKET}.s3.amazonaws.com",
                metadata["HTTPStatusCode"],
                metadata.get("HTTPHeaders", {}),
                None,
            ), exc.response
        raise AssertionError("the denied IAM user was allowed to upload: the suite is wrong")
