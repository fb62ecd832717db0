"""Verify over a large archive in moto: throughput, and peak memory at two archive sizes.

The objects go straight into moto's store, so 10,000 take a second; only ``verify()`` is
measured, built through ``vault.bootstrap.build_integrity_check`` over the real adapters.

The audit log is not mongomock here: mongomock's cursor copies every matching document into a
list at its first ``next()`` and keeps it (and slices it again at every ``next()``), so its own
memory grows with the archive and would hide the vault's. ``IndexedCollection`` answers the one
query ``records_by_key`` makes the way a MongoDB server does, walking its ``s3_key`` index and
handing out a fresh copy of each document. moto's own listing still allocates in proportion to
the bucket (it sorts every key for each page of 1,000): that is in the figure.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import s3_backends

from vault import bootstrap
from vault.config import MONGOMOCK_URI, Settings
from vault.integrity import Verification
from vault.payload import CONTENT_TYPE, key_for_digest
from vault.ports import AuditRecord

ROOT = Path(__file__).resolve().parents[1]
BUCKET, WARM = "bench-archive", "bench-warm-up"
REGION = "us-east-1"
SETTINGS = Settings(api_url="https://logs.bench.test/api", bucket=BUCKET, mongo_uri=MONGOMOCK_URI)
STAMP = datetime(2026, 1, 1, tzinfo=UTC)


def page(number: int) -> bytes:
    return (
        b'{"logs":[{"id":"evt-%07d","severity":"HIGH","source":"sshd",'
        b'"message":"failed login"}]}' % number
    )


class IndexedCollection:
    """The part of a pymongo collection that ``MongoAuditLog.records_by_key`` uses, answered as
    a MongoDB server answers it: documents walked in ``s3_key`` order, each a fresh copy."""

    def __init__(self, documents: list[dict[str, Any]]) -> None:
        self._documents = sorted(documents, key=lambda document: document["s3_key"])
        self._query: dict[str, Any] = {}
        self._hidden: set[str] = set()

    def find(self, query: dict[str, Any], projection: dict[str, Any]) -> IndexedCollection:
        self._query = query
        self._hidden = {name for name, shown in projection.items() if not shown}
        return self

    def sort(self, key: str) -> Iterator[dict[str, Any]]:
        if key != "s3_key":
            raise NotImplementedError(f"only the s3_key index is walked, not {key!r}")
        for document in self._documents:
            if all(document.get(name) == value for name, value in self._query.items()):
                yield {name: value for name, value in document.items() if name not in self._hidden}


def audit_documents(objects: int, bucket: str) -> list[dict[str, Any]]:
    documents = []
    for number in range(objects):
        body = page(number)
        digest = hashlib.sha256(body).hexdigest()
        record = AuditRecord(
            s3_key=key_for_digest(digest),
            bucket=bucket,
            timestamp=STAMP,
            status="ARCHIVED",
            sha256=digest,
            size_bytes=len(body),
            log_count=1,
            content_type=CONTENT_TYPE,
        )
        documents.append(asdict(record))
    return documents


@contextmanager
def archive_of(objects: int, *, over_http: bool) -> Iterator[Callable[[str], Verification]]:
    """A verify of ``objects`` archived pages and their records (``BUCKET``); the ``WARM``
    bucket holds two, for a warm-up verify that loads botocore's models before measuring.

    ``over_http``: moto's S3 server runs in a child process on 127.0.0.1, so that what the
    server allocates is not counted with what the vault does; otherwise moto runs in process."""
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"})
    collection = IndexedCollection(audit_documents(objects, BUCKET) + audit_documents(2, WARM))
    with _s3(objects, over_http) as s3:

        def verify(bucket: str) -> Verification:
            settings = replace(SETTINGS, bucket=bucket)
            check = bootstrap.build_integrity_check(
                settings, s3=s3, collection=collection, clock=lambda: STAMP
            )
            result = check.verify()
            if not result.passes:
                raise AssertionError(result.summary())
            return result

        verify(WARM)
        yield verify


@contextmanager
def _s3(objects: int, over_http: bool) -> Iterator[Any]:
    if not over_http:
        with mock_aws(config={"core": {"reset_boto3_session": False}}):
            fill_store(objects)
            yield bootstrap.s3_client(region_name=REGION)
        return
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.integrity", str(objects)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        endpoint = server.stdout.readline().strip()
        if not endpoint.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"moto's S3 server did not start: {endpoint!r}")
        yield bootstrap.s3_client(endpoint_url=endpoint, region_name=REGION)
    finally:
        server.kill()  # the child started above, by its own handle
        server.wait()


def fill_store(objects: int) -> None:
    """``objects`` pages in ``BUCKET`` and two in ``WARM``, straight into moto's store."""
    store = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    for bucket, count in ((BUCKET, objects), (WARM, 2)):
        store.create_bucket(bucket, REGION)
        for number in range(count):
            body = page(number)
            store.put_object(bucket, key_for_digest(hashlib.sha256(body).hexdigest()), body)


def serve(objects: int) -> None:
    """The child process: moto's S3 server on 127.0.0.1, filled; prints its URL."""
    from moto.server import ThreadedMotoServer

    fill_store(objects)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    print(f"http://{host}:{port}", flush=True)
    sys.stdin.read()  # until the parent closes the pipe or ends this process
    server.stop()


def throughput(objects: int) -> tuple[float, float]:
    """``(objects per second, seconds)`` of one verify over ``objects`` archived objects."""
    with archive_of(objects, over_http=False) as verify:
        started = time.perf_counter()
        result = verify(BUCKET)
        took = time.perf_counter() - started
    assert result.objects_checked == objects
    return objects / took, took


def peak_bytes(objects: int) -> int:
    """tracemalloc's peak during one verify of ``objects`` (setup and warm-up excluded), with S3
    in another process: moto in process sorts the whole bucket for each page it lists."""
    with archive_of(objects, over_http=True) as verify:
        tracemalloc.start()
        try:
            verify(BUCKET)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


if __name__ == "__main__":
    serve(int(sys.argv[1]))
