"""The documented settings (README: every VAULT_* variable), the error text an operator reads, and
the clients the composition root builds: timeouts, retries, time zones. Written to close the
mutation tier's survivors in vault/config.py, vault/errors.py and vault/bootstrap.py."""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from vault import bootstrap, defaults
from vault.config import ConfigError, Settings, settings_from_env
from vault.errors import SourceUnavailable, TransientSourceError, VaultError
from vault.results import RunResult

REQUIRED = {
    "VAULT_API_URL": "https://logs.example.test",
    "VAULT_BUCKET": "archive",
    "VAULT_MONGO_URI": "mongomock://",
}


def test_every_optional_variable_is_read_by_its_documented_name() -> None:
    settings = settings_from_env(
        REQUIRED
        | {
            "VAULT_MONGO_DATABASE": "db",
            "VAULT_MONGO_COLLECTION": "records",
            "VAULT_MAX_PAGES": "7",
            "VAULT_HTTP_TIMEOUT": "2.5",
        }
    )
    assert (settings.mongo_database, settings.mongo_collection) == ("db", "records")
    assert (settings.max_pages, settings.http_timeout) == (7, 2.5)
    assert type(settings.max_pages) is int


@pytest.mark.parametrize("url", ["http://logs.example.test", "https://logs.example.test"])
def test_both_schemes_are_accepted(url: str) -> None:
    assert settings_from_env(REQUIRED | {"VAULT_API_URL": url}).api_url == url


def test_a_limit_of_one_is_positive_and_every_problem_is_listed_once() -> None:
    assert settings_from_env(REQUIRED | {"VAULT_MAX_PAGES": "1"}).max_pages == 1
    with pytest.raises(ConfigError) as refused:
        settings_from_env({"VAULT_MAX_PAGES": "0"})
    message = str(refused.value)
    assert message.startswith("VAULT_API_URL is not set (base URL of the log API")
    assert message.endswith("; VAULT_MAX_PAGES must be at least 1, got '0'")
    assert message.count("; ") == 3
    assert "must start with" not in message  # an unset URL is reported once, as unset


def test_an_invalid_body_limit_is_named_with_its_value() -> None:
    with pytest.raises(ConfigError, match="VAULT_MAX_BODY_BYTES must be at least 1, got '0'"):
        settings_from_env(REQUIRED | {"VAULT_MAX_BODY_BYTES": "0"})


def test_the_error_text_shows_the_page_and_progress_only_when_known() -> None:
    error = VaultError("boom")
    assert str(error) == "VAULT_ERROR: boom"
    assert error.args == ("boom",)
    assert error.page is None
    error.page, error.progress = 2, RunResult(bucket="archive")
    assert str(error) == "VAULT_ERROR: page 2: boom (0 page(s) archived before the failure)"
    assert TransientSourceError("HTTP 503").reason == "HTTP 503"


def test_the_clock_reads_utc() -> None:
    assert bootstrap.utc_now().utcoffset() == timedelta(0)
    assert bootstrap.utc_now().tzinfo is not None


def test_the_s3_client_has_timeouts_and_standard_retries(
    moto_aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Keys given by the caller (as the demo gives them) need none from the environment.
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    client = bootstrap.s3_client(
        region_name="eu-west-1", aws_access_key_id="demo", aws_secret_access_key="demo"
    )
    assert client.meta.region_name == "eu-west-1"  # what the caller asks for is passed on
    config = client.meta.config
    assert (config.connect_timeout, config.read_timeout) == (5, 30)
    assert config.retries["mode"] == "standard"


def test_the_s3_client_honours_the_aws_retry_settings(
    moto_aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_RETRY_MODE", "adaptive")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "7")
    retries = bootstrap.s3_client(region_name="eu-west-1").meta.config.retries
    assert (retries["mode"], retries["total_max_attempts"]) == ("adaptive", 7)


def test_a_real_mongodb_client_reads_dates_as_utc() -> None:
    settings = Settings(
        api_url="https://x.test",
        bucket="b",
        mongo_uri="mongodb://127.0.0.1:9/?connect=false",
        mongo_database="db",
        mongo_collection="records",
    )
    client, collection = bootstrap.mongo_collection(settings)
    try:
        assert client.codec_options.tz_aware is True
        assert (collection.database.name, collection.name) == ("db", "records")
        assert "127.0.0.1:9" in repr(client)
    finally:
        client.close()
    mock, _ = bootstrap.mongo_collection(
        Settings(api_url="https://x.test", bucket="b", mongo_uri="mongomock://")
    )
    assert mock.codec_options.tz_aware is True


def test_the_log_api_is_asked_with_a_connect_and_a_read_timeout(moto_aws: None) -> None:
    settings = Settings(
        api_url="https://x.test", bucket="b", mongo_uri="mongomock://", http_timeout=2.5
    )
    seen: list[Any] = []

    class Session:
        def get(self, url: str, **options: Any) -> Any:
            seen.append(options["timeout"])
            raise ClientError({}, "never")  # stops the run here; the timeout is what counts

    _, collection = bootstrap.mongo_collection(settings)
    service = bootstrap.build_service(
        settings, session=Session(), s3=None, collection=collection, pause=lambda _: None
    )
    with pytest.raises(ClientError):
        service.run()
    assert seen == [(defaults.CONNECT_TIMEOUT_SECONDS, 2.5)]


def test_the_service_pauses_with_the_jitter_it_is_given(moto_aws: None) -> None:
    settings = Settings(api_url="https://x.test", bucket="b", mongo_uri="mongomock://")

    class Down:
        def get(self, url: str, **_: Any) -> Any:
            raise requests.ConnectionError("refused")

    pauses: list[float] = []
    _, collection = bootstrap.mongo_collection(settings)
    service = bootstrap.build_service(
        settings,
        session=Down(),
        s3=None,
        collection=collection,
        pause=pauses.append,
        jitter=lambda: 0.25,
    )
    with pytest.raises(SourceUnavailable):
        service.run()
    assert pauses == [1.25, 2.25]


def test_a_repair_keeps_to_the_configured_body_limit(s3: Any, archive_bucket: str) -> None:
    body = b'{"logs":[{"id":"a"}]}'
    key = f"logs/{hashlib.sha256(body).hexdigest()}.json"
    s3.put_object(Bucket=archive_bucket, Key=key, Body=body)
    settings = Settings(
        api_url="https://x.test",
        bucket=archive_bucket,
        mongo_uri="mongomock://",
        max_body_bytes=len(body) - 1,
    )
    _, collection = bootstrap.mongo_collection(settings)
    repair = bootstrap.build_integrity_check(settings, s3=s3, collection=collection).repair()
    assert [problem.key for problem in repair.skipped] == [key]
    assert repair.written == []
