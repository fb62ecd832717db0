"""The archive on S3, with an injected ``boto3`` S3 client."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from vault.errors import (
    StorageAccessDenied,
    StorageBucketMissing,
    StorageRejected,
    StorageUnavailable,
    VaultError,
)
from vault.payload import CONTENT_TYPE
from vault.ports import Archive

_ACCESS_DENIED_CODES = frozenset({"AccessDenied", "Forbidden", "403", "InvalidAccessKeyId"})


class S3Archive(Archive):
    """``PutObject`` with content type, server-side encryption and a SHA-256 checksum."""

    def __init__(self, s3_client: Any, bucket: str, server_side_encryption: str = "AES256") -> None:
        self._s3 = s3_client
        self._bucket = bucket
        self._sse = server_side_encryption

    @property
    def location(self) -> str:
        return self._bucket

    def store(self, key: str, body: bytes, sha256_hex: str) -> None:
        try:
            self._s3.put_object(
                Bucket=self._bucket,
                Key=key,
                Body=body,
                ContentType=CONTENT_TYPE,
                ServerSideEncryption=self._sse,
                # S3 recomputes this and refuses the upload if a byte changed on the way.
                ChecksumSHA256=base64.b64encode(bytes.fromhex(sha256_hex)).decode("ascii"),
            )
        except ClientError as exc:
            raise storage_error(exc, self._bucket, key) from exc
        except (EndpointConnectionError, ConnectionClosedError, ReadTimeoutError) as exc:
            raise StorageUnavailable(f"S3 could not be reached: {exc}") from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(f"S3 upload failed: {exc}") from exc

    def keys(self, prefix: str) -> Iterator[str]:
        # S3 lists keys in ascending UTF-8 order, a page of at most 1,000 at a time. Each page's
        # response is dropped before the next is asked for: botocore's paginator keeps the last
        # one while parsing the next, two pages (~1 MB) where only one page's keys are needed.
        request = {"Bucket": self._bucket, "Prefix": prefix}
        while True:
            with _storage_errors(self._bucket, prefix):
                page = self._s3.list_objects_v2(**request)
            keys = [item["Key"] for item in page.get("Contents", [])]
            token = page.get("NextContinuationToken") if page.get("IsTruncated") else None
            del page
            yield from keys
            del keys  # nor are the last page's keys kept while the next page is read
            if not token:
                return
            request["ContinuationToken"] = token

    def read_chunks(self, key: str, chunk_size: int) -> Iterator[bytes]:
        with _storage_errors(self._bucket, key):
            body = self._s3.get_object(Bucket=self._bucket, Key=key)["Body"]
            try:
                yield from body.iter_chunks(chunk_size)
            finally:
                body.close()


@contextmanager
def _storage_errors(bucket: str, key: str) -> Iterator[None]:
    """Reads fail with the same typed errors as uploads."""
    try:
        yield
    except ClientError as exc:
        raise storage_error(exc, bucket, key) from exc
    except BotoCoreError as exc:
        raise StorageUnavailable(f"S3 could not be read for s3://{bucket}/{key}: {exc}") from exc


def storage_error(exc: ClientError, bucket: str, key: str) -> VaultError:
    """Map an S3 error answer to the run error a user can act on."""
    error = exc.response.get("Error", {})
    code = str(error.get("Code", ""))
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    detail = f"S3 answered {status or '?'} {code} for s3://{bucket}/{key}"
    if code == "NoSuchBucket":
        return StorageBucketMissing(f"{detail}: bucket {bucket!r} does not exist")
    if status == 403 or code in _ACCESS_DENIED_CODES:
        return StorageAccessDenied(f"{detail}: check the credentials' s3:PutObject permission")
    if status >= 500 or code in {"InternalError", "ServiceUnavailable", "SlowDown"}:
        return StorageUnavailable(f"{detail}: S3 kept failing; retry later")
    return StorageRejected(detail)
