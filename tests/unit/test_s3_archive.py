"""S3Archive against moto: what is stored, what is sent, and how S3 errors map to run errors."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from steps.archive import ArchiveFaults, UploadFault
from vault.adapters.s3_archive import S3Archive
from vault.errors import (
    StorageAccessDenied,
    StorageBucketMissing,
    StorageRejected,
    StorageUnavailable,
    VaultError,
)

BODY = b'{"logs":[{"id":"evt-1"}]}'
SHA = hashlib.sha256(BODY).hexdigest()
KEY = f"logs/{SHA}.json"


def test_the_object_keeps_its_bytes_type_and_encryption(s3: Any, archive_bucket: str) -> None:
    S3Archive(s3, archive_bucket).store(KEY, BODY, SHA)
    stored = s3.get_object(Bucket=archive_bucket, Key=KEY)
    assert stored["Body"].read() == BODY
    assert stored["ContentType"] == "application/json"
    assert stored["ServerSideEncryption"] == "AES256"


def test_every_upload_carries_its_sha256_for_s3_to_verify(s3: Any, archive_bucket: str) -> None:
    sent: list[dict[str, Any]] = []
    event = "provide-client-params.s3.PutObject"

    def capture(params: dict[str, Any], **_: Any) -> None:
        sent.append(dict(params))

    s3.meta.events.register(event, capture)
    try:
        S3Archive(s3, archive_bucket).store(KEY, BODY, SHA)
    finally:
        s3.meta.events.unregister(event, capture)
    assert [p["ChecksumSHA256"] for p in sent] == [
        base64.b64encode(hashlib.sha256(BODY).digest()).decode()
    ]


def test_storing_the_same_bytes_again_keeps_one_object(s3: Any, archive_bucket: str) -> None:
    archive = S3Archive(s3, archive_bucket)
    archive.store(KEY, BODY, SHA)
    archive.store(KEY, BODY, SHA)
    assert s3.list_objects_v2(Bucket=archive_bucket)["KeyCount"] == 1


def test_a_missing_bucket_is_storage_bucket_missing(s3: Any, archive_bucket: str) -> None:
    s3.delete_bucket(Bucket=archive_bucket)
    with pytest.raises(StorageBucketMissing, match="does not exist"):
        S3Archive(s3, archive_bucket).store(KEY, BODY, SHA)


def test_a_genuine_iam_denial_is_storage_access_denied(
    denied_uploader: tuple[Any, Any], archive_bucket: str, s3: Any
) -> None:
    client, enforcement = denied_uploader
    with enforcement(), pytest.raises(StorageAccessDenied) as caught:
        S3Archive(client, archive_bucket).store(KEY, BODY, SHA)
    cause = caught.value.__cause__
    assert isinstance(cause, ClientError)
    assert cause.response["Error"]["Code"] == "AccessDenied"
    assert cause.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert s3.list_objects_v2(Bucket=archive_bucket)["KeyCount"] == 0


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_storage_unavailable(
    s3: Any, vault_s3: Any, archive_bucket: str, archive_faults: ArchiveFaults, status: int
) -> None:
    archive_faults.plan(UploadFault(accepted=0, status=status))
    with pytest.raises(StorageUnavailable, match=f"S3 answered {status}"):
        S3Archive(vault_s3, archive_bucket).store(KEY, BODY, SHA)
    assert s3.list_objects_v2(Bucket=archive_bucket)["KeyCount"] == 0


@pytest.mark.parametrize(("status", "code"), [(502, "502"), (504, "504"), (599, "599")])
def test_a_proxy_error_without_an_aws_code_is_storage_unavailable(
    vault_s3: Any, archive_bucket: str, archive_faults: ArchiveFaults, status: int, code: str
) -> None:
    archive_faults.plan(UploadFault(accepted=0, status=status))
    with pytest.raises(StorageUnavailable) as caught:
        S3Archive(vault_s3, archive_bucket).store(KEY, BODY, SHA)
    cause = caught.value.__cause__
    assert isinstance(cause, ClientError)
    assert cause.response["Error"]["Code"] == code  # what botocore makes of a proxy's page


class _FailingClient:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def put_object(self, **_: Any) -> None:
        raise self.error


def _client_error(code: str, status: int) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}},
        "PutObject",
    )


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_client_error("Forbidden", 403), StorageAccessDenied),
        (_client_error("InvalidAccessKeyId", 403), StorageAccessDenied),
        (_client_error("NoSuchBucket", 404), StorageBucketMissing),
        (_client_error("SlowDown", 503), StorageUnavailable),
        (_client_error("InvalidArgument", 400), StorageRejected),
        (_client_error("BadDigest", 400), StorageRejected),
        (EndpointConnectionError(endpoint_url="http://127.0.0.1:9"), StorageUnavailable),
        (ReadTimeoutError(endpoint_url="http://127.0.0.1:9"), StorageUnavailable),
    ],
    ids=lambda v: getattr(v, "__name__", type(v).__name__),
)
def test_every_failure_is_a_typed_storage_error(
    error: Exception, expected: type[VaultError]
) -> None:
    with pytest.raises(expected):
        S3Archive(_FailingClient(error), "bucket").store(KEY, BODY, SHA)
