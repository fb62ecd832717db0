"""In-process stand-ins for the stores and the log API, for the kit's own tests: moto's S3,
mongomock's MongoDB and a ``responses`` log API. (The kit's scenarios run over the live stack.)"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
import mongomock
import responses
from botocore.awsrequest import AWSResponse
from moto import mock_aws

BUCKET = "audit-vault-archive"
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
        listing = self.s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
        return {
            o["Key"]: self.s3.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read()
            for o in listing
        }

    def records(self) -> list[dict[str, Any]]:
        return list(self.mongo["audit_vault"]["audit_records"].find({}, {"_id": False}))

    def calls(self) -> list[str]:
        return [call.request.url or "" for call in self.api.calls]


@contextmanager
def in_process_stores() -> Iterator[Stores]:
    """An empty bucket, an empty audit log, and a log API with no answer planned."""
    with (
        mock_aws(config={"core": {"reset_boto3_session": False}}),
        responses.RequestsMock(assert_all_requests_are_fired=False) as api,
    ):
        s3 = boto3.client(
            "s3",
            region_name=AWS["AWS_DEFAULT_REGION"],
            aws_access_key_id=AWS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=AWS["AWS_SECRET_ACCESS_KEY"],
        )
        s3.create_bucket(Bucket=BUCKET)
        yield Stores(s3, mongomock.MongoClient(tz_aware=True), api)


def answer_uploads_with(client: Any, status: int, s3_code: str) -> None:
    """Every upload by ``client`` gets this S3 error, parsed as botocore would parse it."""

    def answer(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        parsed = {"Error": {"Code": s3_code}, "ResponseMetadata": {"HTTPStatusCode": status}}
        return AWSResponse("https://s3.example.test", status, {}, None), parsed

    client.meta.events.register("before-call.s3.PutObject", answer)
