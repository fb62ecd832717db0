"""S3 on 127.0.0.1: moto's server, with a fault-injecting proxy in front of it for the vault.

The vault talks to `vault_endpoint` (the proxy) with `vault_credentials` (an IAM user allowed
`s3:*`); the suite talks to moto directly through `suite_client()`, as an administrator. The
proxy counts the vault's uploads and, when a scenario plans it, refuses them: with a genuine 403
AccessDenied from moto's IAM enforcement (`deny_uploads`), or with an answer of its own in S3's
XML error format, or a gateway's HTML page for 502 and 504 (`fail_uploads`).

moto's state is the process's: a `mock_aws()` started in this process while the stack runs
wipes its users and buckets.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import boto3
import requests
from botocore.config import Config

from livestack.errors import LiveStackError
from livestack.http_proxy import ForwardingProxy
from livestack.log_api import Request, Respond
from livestack.s3_faults import is_upload, s3_error

REGION = "us-east-1"
ARCHIVE_BUCKET = "audit-vault-archive"
SINGLE_ATTEMPT = Config(retries={"total_max_attempts": 1})


@dataclass(frozen=True)
class Credentials:
    """An IAM user's access key, as the vault's environment carries it."""

    access_key_id: str
    secret_access_key: str


@dataclass(frozen=True)
class _UploadFault:
    after: int  # uploads accepted from the moment it was planned
    status: int | None  # None: a genuine 403 from moto's IAM enforcement


class DenialUnavailable(LiveStackError):
    """The S3 store cannot give a genuine 403 on demand (only moto's IAM can)."""


class S3Stack:
    """moto's S3 server and the vault's proxy; `start()` once per session, `reset()` per
    scenario."""

    def __init__(
        self,
        bucket: str = ARCHIVE_BUCKET,
        endpoint: str | None = None,
        credentials: Credentials | None = None,
    ) -> None:
        """`endpoint` (with `credentials`): an S3-compatible store of your own on loopback
        (MinIO, LocalStack, moto started elsewhere) instead of moto started here. Only moto's
        IAM gives a genuine 403, so `deny_uploads` is then refused (`DenialUnavailable`)."""
        self.bucket = bucket
        self.external = endpoint
        self._given = credentials or Credentials("", "")
        self.uploads = 0  # every upload attempt the vault made through the proxy
        self.requests = 0  # every request the vault made through the proxy
        self._fault: _UploadFault | None = None
        self._fault_from = 0
        self._denying = False
        self._lock = threading.Lock()
        self._deny_lock = threading.Lock()
        self._tag = uuid.uuid4().hex[:8]
        self._server: Any = None
        self._suite_client: Any = None
        self._enforcement_before = "inf"
        self._proxy: ForwardingProxy | None = None
        self.moto_url = ""
        self.vault_credentials = Credentials("", "")
        self._admin = Credentials("", "")

    @property
    def vault_endpoint(self) -> str:
        """The URL the vault's AWS_ENDPOINT_URL points at: the fault-injecting proxy."""
        if self._proxy is None:
            raise LiveStackError("the S3 stack is not started: call start() first")
        return self._proxy.url

    def start(self) -> S3Stack:
        """Start moto on a free loopback port, its users, the archive bucket and the proxy."""
        if self.external:
            return self._start_external(self.external)
        try:
            from moto.server import ThreadedMotoServer  # noqa: PLC0415 - needs Flask: a set-up error

            logging.getLogger("werkzeug").setLevel(logging.ERROR)
            self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
            self._server.start()
            host, port = self._server.get_host_and_port()
            self.moto_url = f"http://{host}:{port}"
            self._admin = self._user("livestack-admin", "*")
            self.vault_credentials = self._user("livestack-vault", "s3:*")
        except Exception as error:
            raise LiveStackError(
                f"the S3 server (moto) cannot start: {type(error).__name__}: {error}; "
                "install the dev requirements: pip install -r requirements-dev.txt"
            ) from error
        self._proxy = ForwardingProxy(port, self._intercept, "S3").start()
        self.reset()
        return self

    def _start_external(self, endpoint: str) -> S3Stack:
        url = urlsplit(endpoint)
        if url.hostname not in {"127.0.0.1", "localhost", "::1"} or not url.port:
            raise LiveStackError(
                f"the S3 store at {endpoint} is not on loopback with a port: give "
                "--live-s3-endpoint http://127.0.0.1:PORT (this suite talks to loopback only)"
            )
        self.moto_url, self._admin = endpoint.rstrip("/"), self._given
        self.vault_credentials = self._given
        self._proxy = ForwardingProxy(url.port, self._intercept, "S3").start()
        try:
            self.reset()
        except Exception as error:
            self._proxy.stop()
            raise LiveStackError(
                f"the S3 store at {endpoint} cannot be used: {type(error).__name__}: {error}; "
                "check it runs and that AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are its keys"
            ) from error
        return self

    def stop(self) -> None:
        self._set_denial(False)
        if self._proxy is not None:
            self._proxy.stop()
        if self._server is not None:
            self._server.stop()

    def suite_client(self) -> Any:
        """The suite's own S3 client: straight to moto, as an administrator, one attempt."""
        if self._suite_client is None:
            self._suite_client = self._client("s3", self._admin)
        return self._suite_client

    def create_bucket(self, name: str | None = None) -> None:
        self.suite_client().create_bucket(Bucket=name or self.bucket)

    def empty_bucket(self, name: str | None = None) -> None:
        client = self.suite_client()
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=name or self.bucket):
            for item in page.get("Contents", []):
                client.delete_object(Bucket=name or self.bucket, Key=item["Key"])

    def delete_bucket(self, name: str | None = None) -> None:
        self.empty_bucket(name)
        self.suite_client().delete_bucket(Bucket=name or self.bucket)

    def deny_uploads(self, after: int = 0) -> None:
        """After `after` more uploads, every upload gets a genuine 403 AccessDenied from moto."""
        if self.external:
            raise DenialUnavailable(
                "a genuine 403 needs moto's IAM, which the S3 store given with "
                "--live-s3-endpoint does not offer the same way"
            )
        self._plan(_UploadFault(after, None))

    def fail_uploads(self, status: int, after: int = 0) -> None:
        """After `after` more uploads, the proxy answers every upload with HTTP `status`."""
        s3_error(status)  # refuses an unknown status now, not at the upload
        self._plan(_UploadFault(after, status))

    def clear_faults(self) -> None:
        """Uploads are accepted again (the IAM deny is removed)."""
        with self._lock:
            self._fault = None
        self._set_denial(False)

    def reset(self) -> None:
        """The start of a scenario: no fault, no upload counted, the archive bucket empty."""
        self.clear_faults()
        self.uploads = 0
        client = self.suite_client()
        if self.bucket in {b["Name"] for b in client.list_buckets().get("Buckets", [])}:
            self.empty_bucket()
        else:
            self.create_bucket()

    def _plan(self, fault: _UploadFault) -> None:
        with self._lock:
            self._fault, self._fault_from = fault, self.uploads

    def _intercept(self, request: Request) -> Respond | None:
        with self._lock:
            self.requests += 1
        if not is_upload(request):
            return None
        with self._lock:
            self.uploads += 1
            fault = self._fault
            refused = fault is not None and self.uploads - self._fault_from > fault.after
        if fault is None or not refused:
            return None
        if fault.status is not None:
            return s3_error(fault.status)
        self._set_denial(True)
        return None  # moto itself answers 403 AccessDenied

    def _set_denial(self, on: bool) -> None:
        """Attach (or remove) a Deny s3:PutObject on the bucket to the vault's user, and turn
        moto's IAM enforcement on (or back off) for every request."""
        with self._deny_lock:
            if on == self._denying or not self.moto_url or self.external:
                return
            iam = self._client("iam", self._admin)
            user = f"livestack-vault-{self._tag}"
            if on:
                deny = {"Effect": "Deny", "Action": "s3:PutObject", "Resource": self._objects()}
                iam.put_user_policy(UserName=user, PolicyName="deny", PolicyDocument=_doc(deny))
            count = "0" if on else self._enforcement_before
            answer = requests.post(
                f"{self.moto_url}/moto-api/reset-auth", data=count.encode(), timeout=5
            )
            if on:
                self._enforcement_before = answer.json()["PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT"]
            else:
                iam.delete_user_policy(UserName=user, PolicyName="deny")
            self._denying = on

    def _objects(self) -> str:
        return f"arn:aws:s3:::{self.bucket}/*"

    def _user(self, name: str, action: str) -> Credentials:
        iam = self._client("iam", Credentials("testing", "testing"))
        user = f"{name}-{self._tag}"
        iam.create_user(UserName=user)
        allow = {"Effect": "Allow", "Action": action, "Resource": "*"}
        iam.put_user_policy(UserName=user, PolicyName="allow", PolicyDocument=_doc(allow))
        key = iam.create_access_key(UserName=user)["AccessKey"]
        return Credentials(key["AccessKeyId"], key["SecretAccessKey"])

    def _client(self, service: str, credentials: Credentials) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.moto_url,
            region_name=REGION,
            aws_access_key_id=credentials.access_key_id,
            aws_secret_access_key=credentials.secret_access_key,
            config=SINGLE_ATTEMPT,
        )


def _doc(statement: dict[str, str]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})
