"""The live S3 stack over real sockets: the vault's proxy, its faults and its upload count."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from livestack import S3Stack

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def stack() -> Iterator[S3Stack]:
    s3 = S3Stack().start()
    yield s3
    s3.stop()


@pytest.fixture
def s3(stack: S3Stack) -> S3Stack:
    stack.reset()
    return stack


@pytest.fixture
def vault_client(s3: S3Stack) -> Any:
    """A client configured as the vault is: through the proxy, with the vault's IAM user."""
    return boto3.client(
        "s3",
        endpoint_url=s3.vault_endpoint,
        region_name="us-east-1",
        aws_access_key_id=s3.vault_credentials.access_key_id,
        aws_secret_access_key=s3.vault_credentials.secret_access_key,
        config=Config(retries={"total_max_attempts": 1}),
    )


def upload(client: Any, key: str, body: bytes = b'{"logs": [1]}') -> None:
    client.put_object(Bucket="audit-vault-archive", Key=key, Body=body)


def refusal(client: Any, key: str) -> dict[str, Any]:
    with pytest.raises(ClientError) as raised:
        upload(client, key)
    return {
        "code": raised.value.response["Error"]["Code"],
        "status": raised.value.response["ResponseMetadata"]["HTTPStatusCode"],
    }


def stored_keys(s3: S3Stack) -> list[str]:
    listing = s3.suite_client().list_objects_v2(Bucket="audit-vault-archive")
    return [item["Key"] for item in listing.get("Contents", [])]


def test_the_proxy_forwards_uploads_verbatim_and_counts_them(
    s3: S3Stack, vault_client: Any
) -> None:
    upload(vault_client, "logs/2026/a.json", b"exact bytes")
    upload(vault_client, "logs/2026/a.json", b"exact bytes")  # a re-upload counts too
    vault_client.list_objects_v2(Bucket="audit-vault-archive")
    vault_client.head_object(Bucket="audit-vault-archive", Key="logs/2026/a.json")

    read = s3.suite_client().get_object(Bucket="audit-vault-archive", Key="logs/2026/a.json")
    assert read["Body"].read() == b"exact bytes"
    assert s3.uploads == 2


def test_a_denial_is_moto_s_genuine_access_denied_after_n_uploads(
    s3: S3Stack, vault_client: Any
) -> None:
    s3.deny_uploads(after=1)
    upload(vault_client, "a.json")

    assert refusal(vault_client, "b.json") == {"code": "AccessDenied", "status": 403}
    assert refusal(vault_client, "c.json") == {"code": "AccessDenied", "status": 403}
    assert vault_client.list_objects_v2(Bucket="audit-vault-archive")["KeyCount"] == 1
    assert (s3.uploads, stored_keys(s3)) == (3, ["a.json"])

    s3.clear_faults()
    upload(vault_client, "b.json")
    assert stored_keys(s3) == ["a.json", "b.json"]


@pytest.mark.parametrize(
    ("status", "code"), [(503, "SlowDown"), (500, "InternalError"), (409, "OperationAborted")]
)
def test_a_failure_is_the_proxy_s_own_s3_error(
    s3: S3Stack, vault_client: Any, status: int, code: str
) -> None:
    s3.fail_uploads(status)

    assert refusal(vault_client, "a.json") == {"code": code, "status": status}
    assert stored_keys(s3) == []
    assert s3.uploads == 1


def test_a_gateway_failure_is_an_html_page(s3: S3Stack, vault_client: Any) -> None:
    s3.fail_uploads(502, after=1)
    upload(vault_client, "a.json")

    with pytest.raises(ClientError) as raised:
        upload(vault_client, "b.json")
    response = raised.value.response
    assert (response["Error"]["Code"], response["Error"]["Message"]) == ("502", "Bad Gateway")
    assert response["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "text/html"
    assert (s3.uploads, stored_keys(s3)) == (2, ["a.json"])


def test_an_unknown_failure_status_is_refused_when_planned(s3: S3Stack) -> None:
    with pytest.raises(ValueError, match="HTTP 418"):
        s3.fail_uploads(418)


def test_reset_recreates_an_empty_archive_and_ends_the_faults(
    s3: S3Stack, vault_client: Any
) -> None:
    upload(vault_client, "a.json")
    s3.deny_uploads()
    refusal(vault_client, "b.json")
    s3.delete_bucket()

    s3.reset()

    assert (s3.uploads, stored_keys(s3)) == (0, [])
    upload(vault_client, "c.json")
    assert stored_keys(s3) == ["c.json"]


def test_only_put_object_counts_as_an_upload(s3: S3Stack, vault_client: Any) -> None:
    bucket = "audit-vault-archive"
    big = b"x" * (5 * 1024 * 1024)  # a part's minimum size, sent with Expect: 100-continue
    started = vault_client.create_multipart_upload(Bucket=bucket, Key="parts.json")
    part = vault_client.upload_part(
        Bucket=bucket, Key="parts.json", UploadId=started["UploadId"], PartNumber=1, Body=big
    )
    vault_client.complete_multipart_upload(
        Bucket=bucket,
        Key="parts.json",
        UploadId=started["UploadId"],
        MultipartUpload={"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]},
    )
    vault_client.copy_object(
        Bucket=bucket, Key="copy.json", CopySource={"Bucket": bucket, "Key": "parts.json"}
    )
    vault_client.put_object_tagging(
        Bucket=bucket, Key="copy.json", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]}
    )
    assert s3.uploads == 0

    upload(vault_client, "big.json", big)
    assert s3.uploads == 1
    assert stored_keys(s3) == ["big.json", "copy.json", "parts.json"]
