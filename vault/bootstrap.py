"""The composition root: the only module that builds real clients and wires them together.

Production, the demo, the acceptance suite, the unit tests and the benchmark all build the
service here; they differ only in the clients, the clock and the pause they pass in.
"""

from __future__ import annotations

import dataclasses
import os
import random
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import boto3
import requests
from botocore.config import Config
from botocore.exceptions import BotoCoreError
from pymongo.errors import PyMongoError

from vault import defaults
from vault.adapters.http_log_source import HttpLogSource
from vault.adapters.mongo_audit_log import MongoAuditLog
from vault.adapters.s3_archive import S3Archive
from vault.config import MONGOMOCK_URI, ConfigError, Settings
from vault.errors import AuditUnavailable
from vault.integrity import IntegrityCheck
from vault.ports import Archive, AuditLog, Clock, LogSource, Pause
from vault.retry import RetryPolicy
from vault.service import VaultService


def utc_now() -> datetime:
    return datetime.now(UTC)


def s3_client(**overrides: Any) -> Any:
    """An S3 client configured from boto3's standard variables (``AWS_ENDPOINT_URL`` included).

    Raises ``ConfigError`` when botocore refuses the settings or no credentials can be found,
    so that a run stops before it fetches anything.
    """
    # botocore's own retries apply: mode "standard" (3 attempts) unless AWS_RETRY_MODE and
    # AWS_MAX_ATTEMPTS say otherwise, which is why no retry setting is fixed here.
    config = Config(connect_timeout=5, read_timeout=30)
    session = boto3.session.Session()
    try:
        client = session.client("s3", config=config, **overrides)
    except (BotoCoreError, ValueError) as exc:
        # botocore does not say which setting it refused; an empty one is the usual culprit.
        empty = [
            name for name, value in os.environ.items() if name.startswith("AWS_") and not value
        ]
        raise ConfigError([f"AWS settings refused by botocore: {exc}"], empty) from exc
    if "aws_access_key_id" not in overrides and session.get_credentials() is None:
        raise ConfigError(
            [
                "AWS credentials cannot be found: set AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or another source boto3 reads"
            ],
            ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
        )
    return client


def mongo_collection(settings: Settings) -> tuple[Any, Any]:
    """Return ``(client, collection)``; ``mongomock://`` gives an in-memory MongoDB.

    Connects lazily; raises ``ConfigError`` when pymongo refuses the URI or a name.
    """
    if settings.mongo_uri.startswith(MONGOMOCK_URI):
        import mongomock  # noqa: PLC0415 - a test double, only loaded when asked for

        client: Any = mongomock.MongoClient(tz_aware=True)
        return client, client[settings.mongo_database][settings.mongo_collection]
    import pymongo  # noqa: PLC0415

    timeout_ms = int(settings.mongo_timeout * 1000)
    try:
        with warnings.catch_warnings():
            # pymongo only warns about an option it does not know or a value it refuses.
            warnings.simplefilter("error", UserWarning)
            # VAULT_MONGO_TIMEOUT bounds finding a server and connecting to it (pymongo's own
            # default would wait 30 s); it overrides the same options in the URI.
            client = pymongo.MongoClient(
                settings.mongo_uri,
                # Nothing is sent to MongoDB until the ping: a refused name is still a refusal.
                connect=False,
                tz_aware=True,
                serverSelectionTimeoutMS=timeout_ms,
                connectTimeoutMS=timeout_ms,
            )
    except (PyMongoError, ValueError, TypeError, UserWarning) as exc:
        raise ConfigError([f"VAULT_MONGO_URI is refused by pymongo: {exc}"]) from exc
    try:
        collection = client[settings.mongo_database][settings.mongo_collection]
    except (PyMongoError, ValueError, TypeError) as exc:
        client.close()
        raise ConfigError(
            [f"VAULT_MONGO_DATABASE or VAULT_MONGO_COLLECTION: {exc}"],
            ["VAULT_MONGO_DATABASE", "VAULT_MONGO_COLLECTION"],
        ) from exc
    return client, collection


def reach_mongo(client: Any, settings: Settings) -> None:
    """Ping MongoDB before anything is fetched; its failure in one line, not a topology dump."""
    if settings.mongo_uri.startswith(MONGOMOCK_URI):
        return
    try:
        client.admin.command("ping")
    except PyMongoError as exc:
        # pymongo appends ", Timeout: ..., Topology Description: <...>" and the timeouts it used.
        cause = str(exc).partition(", Timeout:")[0].partition(" (configured timeouts")[0]
        cause = " ".join(cause.split())
        raise AuditUnavailable(
            f"MongoDB could not be reached within {settings.mongo_timeout:g} s "
            f"(VAULT_MONGO_TIMEOUT): {cause}"
        ) from exc


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


@dataclass(frozen=True)
class Runtime:
    """What the process gives the vault besides its settings: how each client is made, the
    clock, the pause between attempts and the source of jitter.

    ``python -m vault`` runs with the defaults; the acceptance suite runs the same command with
    its doubles' clients, its clock and its recorded pauses.
    """

    s3: Callable[[], Any] = s3_client
    mongo: Callable[[Settings], tuple[Any, Any]] = mongo_collection
    http: Callable[[], requests.Session] = http_session
    clock: Clock = utc_now
    pause: Pause = time.sleep
    jitter: Callable[[], float] = random.random


PRODUCTION = Runtime()


class PauseLog:
    """The ``VAULT_TEST_PAUSE_LOG`` hook: each pause is appended to a file as one line of
    seconds in decimal (``1.5``), and nobody sleeps."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __call__(self, seconds: float) -> None:
        with open(self.path, "a", encoding="ascii") as log:
            log.write(f"{Decimal(repr(float(seconds))):f}\n")


def production_runtime(settings: Settings, base: Runtime | None = None) -> Runtime:
    """``base`` (``PRODUCTION`` by default), with the clock and the pause of the test hooks
    the settings turn on: a process started by the acceptance suite honours them, whatever
    made its clients."""
    base = PRODUCTION if base is None else base
    hooks: dict[str, Any] = {}
    if settings.test_now is not None:
        instant = settings.test_now
        hooks["clock"] = lambda: instant
    if settings.test_pause_log is not None:
        hooks["pause"] = PauseLog(settings.test_pause_log)
    return dataclasses.replace(base, **hooks) if hooks else base


@contextmanager
def vault_service(settings: Settings, runtime: Runtime = PRODUCTION) -> Iterator[VaultService]:
    """The production wiring: settings refused by a client raise ``ConfigError`` and an
    unreachable MongoDB ``AuditUnavailable``, both before anything is fetched. Closes every
    client it opened."""
    s3 = runtime.s3()
    mongo_client, collection = runtime.mongo(settings)
    session = runtime.http()
    try:
        reach_mongo(mongo_client, settings)
        yield build_service(
            settings,
            session=session,
            s3=s3,
            collection=collection,
            clock=runtime.clock,
            pause=runtime.pause,
            jitter=runtime.jitter,
        )
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


@contextmanager
def integrity_check(settings: Settings, runtime: Runtime = PRODUCTION) -> Iterator[IntegrityCheck]:
    """The production wiring of ``verify`` and ``repair``: the same clients, checks and
    failures as a run's, minus the log API."""
    s3 = runtime.s3()
    mongo_client, collection = runtime.mongo(settings)
    try:
        reach_mongo(mongo_client, settings)
        yield build_integrity_check(settings, s3=s3, collection=collection, clock=runtime.clock)
    finally:
        mongo_client.close()
