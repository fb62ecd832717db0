"""The composition root: the only module that builds real clients and wires them together.

Production, the demo, the acceptance suite, the unit tests and the benchmark all build the
service here; they differ only in the clients, the clock and the pause they pass in.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import boto3
import requests
from botocore.config import Config

from vault import defaults
from vault.adapters.http_log_source import HttpLogSource
from vault.adapters.mongo_audit_log import MongoAuditLog
from vault.adapters.s3_archive import S3Archive
from vault.config import MONGOMOCK_URI, Settings
from vault.integrity import IntegrityCheck
from vault.ports import Archive, AuditLog, Clock, LogSource, Pause
from vault.retry import RetryPolicy
from vault.service import VaultService


def utc_now() -> datetime:
    return datetime.now(UTC)


def s3_client(**overrides: Any) -> Any:
    """An S3 client configured from boto3's standard variables (``AWS_ENDPOINT_URL`` included)."""
    # Retry mode "standard" (3 attempts); AWS_MAX_ATTEMPTS and AWS_RETRY_MODE still apply.
    config = Config(retries={"mode": "standard"}, connect_timeout=5, read_timeout=30)
    return boto3.client("s3", config=config, **overrides)


def mongo_collection(settings: Settings) -> tuple[Any, Any]:
    """Return ``(client, collection)``; ``mongomock://`` gives an in-memory MongoDB."""
    if settings.mongo_uri.startswith(MONGOMOCK_URI):
        import mongomock  # noqa: PLC0415 - a test double, only loaded when asked for

        client: Any = mongomock.MongoClient(tz_aware=True)
    else:
        import pymongo  # noqa: PLC0415

        # Timeouts come from the URI (serverSelectionTimeoutMS=...); pymongo's default is 30 s.
        client = pymongo.MongoClient(settings.mongo_uri, tz_aware=True)
    return client, client[settings.mongo_database][settings.mongo_collection]


def http_session() -> requests.Session:
    return requests.Session()


def wire(
    settings: Settings,
    *,
    log_source: LogSource,
    archive: Archive,
    audit_log: AuditLog,
    clock: Clock = utc_now,
    pause: Pause = time.sleep,
    jitter: Callable[[], float] = random.random,
) -> VaultService:
    """The service from its three ports and the settings; tests pass their fakes here."""
    return VaultService(
        log_source=log_source,
        archive=archive,
        audit_log=audit_log,
        clock=clock,
        pause=pause,
        retry_policy=RetryPolicy(max_attempts=settings.max_attempts, jitter=jitter),
        max_body_bytes=settings.max_body_bytes,
        max_pages=settings.max_pages,
    )


def build_service(
    settings: Settings,
    *,
    session: requests.Session,
    s3: Any,
    collection: Any,
    clock: Clock = utc_now,
    pause: Pause = time.sleep,
    jitter: Callable[[], float] = random.random,
) -> VaultService:
    """The service over real adapters, from clients that the caller owns."""
    audit_log = MongoAuditLog(collection)
    audit_log.ensure_indexes()
    return wire(
        settings,
        log_source=HttpLogSource(
            session,
            settings.api_url,
            timeout=(defaults.CONNECT_TIMEOUT_SECONDS, settings.http_timeout),
        ),
        archive=S3Archive(s3, settings.bucket),
        audit_log=audit_log,
        clock=clock,
        pause=pause,
        jitter=jitter,
    )


@contextmanager
def vault_service(settings: Settings) -> Iterator[VaultService]:
    """The production wiring. Closes every client it opened."""
    session = http_session()
    mongo_client, collection = mongo_collection(settings)
    try:
        yield build_service(settings, session=session, s3=s3_client(), collection=collection)
    finally:
        session.close()
        mongo_client.close()


def build_integrity_check(
    settings: Settings, *, s3: Any, collection: Any, clock: Clock = utc_now
) -> IntegrityCheck:
    """Verification and repair over the same adapters and settings as a run."""
    return IntegrityCheck(
        S3Archive(s3, settings.bucket),
        MongoAuditLog(collection),
        clock=clock,
        max_body_bytes=settings.max_body_bytes,
    )
