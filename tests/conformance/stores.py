"""In-process stand-ins for the stores and the log API, for the kit's own tests: moto's S3 (the
root conftest's session-wide ``moto_aws``: a second mock would reset it under the other tests),
mongomock's MongoDB and a ``responses`` log API. The kit's scenarios run over the live stack."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
import mongomock
import responses
from botocore.awsrequest import AWSResponse

BUCKET = "conformance-kit-archive"  # not the suite's own bucket, which the session keeps
API = "https://logs.example.test/api"
LOGS = f"{API}/logs"
AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_MAX_ATTEMPTS": "1",
}


@dataclass
class Stores:
    s3: Any
    mongo: Any
    api: responses.RequestsMock

    def objects(self) -> dict[str, bytes]:
        return {
            key: self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
            for key in object_keys(self.s3)
        }

    def records(self) -> list[dict[str, Any]]:
        return list(self.mongo["audit_vault"]["audit_records"].find({}, {"_id": False}))

    def calls(self) -> list[str]:
        return [call.request.url or "" for call in self.api.calls]


def object_keys(s3: Any) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


@contextmanager
def in_process_stores() -> Iterator[Stores]:
    """An empty bucket, an empty audit log, and a log API with no answer planned. Needs moto
    running (the ``moto_aws`` fixture); removes the bucket and all it holds afterwards."""
    s3 = boto3.client(
        "s3",
        region_name=AWS["AWS_DEFAULT_REGION"],
        aws_access_key_id=AWS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=AWS["AWS_SECRET_ACCESS_KEY"],
    )
    s3.create_bucket(Bucket=BUCKET)
    try:
        with responses.RequestsMock(assert_all_requests_are_fired=False) as api:
            yield Stores(s3, mongomock.MongoClient(tz_aware=True), api)
    finally:
        for key in object_keys(s3):
            s3.delete_object(Bucket=BUCKET, Key=key)
        s3.delete_bucket(Bucket=BUCKET)


def answer_uploads_with(client: Any, status: int, s3_code: str) -> None:
    """Every upload by ``client`` gets this S3 error, parsed as botocore would parse it."""

    def answer(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        parsed = {"Error": {"Code": s3_code}, "ResponseMetadata": {"HTTPStatusCode": status}}
        return AWSResponse("https://s3.example.test", status, {}, None), parsed

    client.meta.events.register("before-call.s3.PutObject", answer)
