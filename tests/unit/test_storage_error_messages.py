"""What an operator reads when S3 fails, and how S3Archive lists and reads: the mapping of every
S3 answer (AWS codes, bare proxy statuses, errors inside a 200) to a run error and its message.
Written to close the mutation tier's survivors in vault/adapters/s3_archive.py."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ParamValidationError

from vault.adapters.s3_archive import S3Archive, storage_error
from vault.errors import (
    StorageAccessDenied,
    StorageBucketMissing,
    StorageRejected,
    StorageUnavailable,
    VaultError,
)


def answer(response: dict[str, Any]) -> VaultError:
    return storage_error(ClientError(response, "PutObject"), "archive", "logs/k.json")


def meta(status: int) -> dict[str, Any]:
    return {"ResponseMetadata": {"HTTPStatusCode": status}}


@pytest.mark.parametrize(
    ("response", "kind", "message"),
    [
        # A proxy's 503 page has no AWS error document at all.
        (meta(503), StorageUnavailable, "S3 answered 503  for s3://archive/logs/k.json"),
        ({"Error": {}} | meta(500), StorageUnavailable, "S3 answered 500  for s3://"),
        # No status at all: the message says so instead of inventing one.
        ({"Error": {"Code": "Teapot"}}, StorageRejected, "S3 answered ? Teapot for s3://"),
        ({"Error": {"Code": "Teapot"}, "ResponseMetadata": {}}, StorageRejected, "answered ? "),
        # A 403 is a denial whatever its code; a code of denial is one whatever its status.
        ({"Error": {"Code": "Odd"}} | meta(403), StorageAccessDenied, "answered 403 Odd"),
        ({"Error": {"Code": "NoSuchKey"}} | meta(404), StorageRejected, "answered 404 NoSuchKey"),
        ({"Error": {"Code": "Odd"}} | meta(500), StorageUnavailable, "answered 500 Odd"),
        ({"Error": {"Code": "Odd"}} | meta(499), StorageRejected, "answered 499 Odd"),
        # S3 can send these inside a 200 answer: they are still S3 failing.
        ({"Error": {"Code": "InternalError"}} | meta(200), StorageUnavailable, "InternalError"),
        ({"Error": {"Code": "ServiceUnavailable"}} | meta(200), StorageUnavailable, "Unavail"),
        ({"Error": {"Code": "SlowDown"}} | meta(200), StorageUnavailable, "SlowDown"),
    ],
)
def test_each_s3_answer_becomes_its_run_error_and_says_what_s3_said(
    response: dict[str, Any], kind: type[VaultError], message: str
) -> None:
    error = answer(response)
    assert type(error) is kind
    assert message in str(error)


def test_an_unreachable_s3_says_so(s3: Any) -> None:
    class Unreachable:
        def put_object(self, **_: Any) -> None:
            raise EndpointConnectionError(endpoint_url="http://127.0.0.1:9")

    with pytest.raises(StorageUnavailable, match=r"S3 could not be reached: .*127\.0\.0\.1:9"):
        S3Archive(Unreachable(), "archive").store("logs/k.json", b"{}", "00" * 32)


def test_a_missing_bucket_names_the_bucket_and_the_key(s3: Any) -> None:
    with pytest.raises(StorageBucketMissing, match=r"s3://no-such-archive/logs/k\.json"):
        S3Archive(s3, "no-such-archive").store("logs/k.json", b"{}", "44136fa3" * 8)


def test_listing_keeps_to_the_prefix_and_names_bucket_and_prefix(
    s3: Any, archive_bucket: str
) -> None:
    for key in ("logs/a.json", "other/b.json", "logs/c.json"):
        s3.put_object(Bucket=archive_bucket, Key=key, Body=b"{}")
    assert list(S3Archive(s3, archive_bucket).keys("logs/")) == ["logs/a.json", "logs/c.json"]
    with pytest.raises(StorageBucketMissing, match=r"s3://no-such-archive/logs/"):
        list(S3Archive(s3, "no-such-archive").keys("logs/"))


def test_an_object_is_read_in_chunks_of_the_asked_size(s3: Any, archive_bucket: str) -> None:
    s3.put_object(Bucket=archive_bucket, Key="logs/a.json", Body=b"0123456789")
    chunks = list(S3Archive(s3, archive_bucket).read_chunks("logs/a.json", 4))
    assert chunks == [b"0123", b"4567", b"89"]
    with pytest.raises(VaultError, match=rf"s3://{archive_bucket}/logs/gone\.json"):
        list(S3Archive(s3, archive_bucket).read_chunks("logs/gone.json", 4))


def test_any_other_client_failure_says_the_upload_failed() -> None:
    class Misconfigured:
        def put_object(self, **_: Any) -> None:
            raise ParamValidationError(report="Bucket name is invalid")

    with pytest.raises(
        StorageUnavailable,
        match=r"S3 upload failed: Parameter validation failed:\nBucket name is invalid",
    ):
        S3Archive(Misconfigured(), "archive").store("logs/k.json", b"{}", "00" * 32)
