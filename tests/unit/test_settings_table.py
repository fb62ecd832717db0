"""The settings table of the acceptance language (v3), rule by rule, and the two test hooks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from vault.bootstrap import s3_client
from vault.config import ConfigError, settings_from_env

GOOD = {
    "VAULT_API_URL": "https://logs.example.invalid/api",
    "VAULT_BUCKET": "audit-archive",
    "VAULT_MONGO_URI": "mongodb://127.0.0.1:27017",
}
WHOLE_NUMBERS = ("VAULT_MAX_ATTEMPTS", "VAULT_MAX_BODY_BYTES", "VAULT_MAX_PAGES")


def refused(**settings: str) -> list[str]:
    """The names of the settings that ``settings_from_env`` refuses."""
    with pytest.raises(ConfigError) as caught:
        settings_from_env({**GOOD, **settings})
    return caught.value.settings


@pytest.mark.parametrize("name", WHOLE_NUMBERS)
@pytest.mark.parametrize(
    "value", [" 5", "5 ", "+5", "-5", "5_0", "٣", "²", "0", "00", "1.0", "5\n"]
)
def test_a_whole_number_is_ascii_digits_and_nothing_else_at_least_one(
    name: str, value: str
) -> None:
    assert refused(**{name: value}) == [name]


@pytest.mark.parametrize("name", WHOLE_NUMBERS)
@pytest.mark.parametrize(("value", "taken"), [("1", 1), ("007", 7), ("1" + "0" * 5000, 10**18)])
def test_a_whole_number_of_digits_is_taken(name: str, value: str, taken: int) -> None:
    """Beyond 10**18 nothing is bounded any more; Python's int() would refuse 4,300 digits."""
    settings = settings_from_env({**GOOD, name: value})
    field = name.removeprefix("VAULT_").lower()
    assert getattr(settings, field) == taken


@pytest.mark.parametrize(
    "value",
    ["1e3", " 5", "5 ", "inf", "nan", "+5", "-1", "5_0", "0", "0.0", "86400.5", "1.2.3", "."],
)
def test_the_http_timeout_is_a_plain_decimal_above_zero_up_to_a_day(value: str) -> None:
    assert refused(VAULT_HTTP_TIMEOUT=value) == ["VAULT_HTTP_TIMEOUT"]


@pytest.mark.parametrize(
    ("value", "seconds"), [("86400", 86400.0), ("0.25", 0.25), ("5.", 5.0), (".5", 0.5)]
)
def test_a_plain_decimal_timeout_is_taken(value: str, seconds: float) -> None:
    assert settings_from_env({**GOOD, "VAULT_HTTP_TIMEOUT": value}).http_timeout == seconds


@pytest.mark.parametrize("url", ["HTTP://h/api", "Https://h:8443/api?tenant=a", "hTTp://[::1]/"])
def test_the_api_url_scheme_is_taken_in_any_case(url: str) -> None:
    assert settings_from_env({**GOOD, "VAULT_API_URL": url}).api_url == url


@pytest.mark.parametrize(
    "bucket", ["192.168.01.1", "999.1.1.1", "sthree-x", "abc--ol-s3", "a" * 64, "ab", "a_b"]
)
def test_the_bucket_follows_s3_naming_rules(bucket: str) -> None:
    assert refused(VAULT_BUCKET=bucket) == ["VAULT_BUCKET"]


def test_the_empty_text_counts_as_unset() -> None:
    env = {**GOOD, "VAULT_API_URL": "", **dict.fromkeys(WHOLE_NUMBERS, "")}
    env |= {"VAULT_HTTP_TIMEOUT": "", "VAULT_TEST_NOW": "", "VAULT_TEST_PAUSE_LOG": ""}
    with pytest.raises(ConfigError) as caught:
        settings_from_env(env)
    assert caught.value.settings == ["VAULT_API_URL"]
    settings = settings_from_env(env, need_api_url=False)
    assert (settings.max_attempts, settings.http_timeout, settings.test_now) == (3, 30.0, None)


def test_every_bad_setting_is_named_at_once() -> None:
    env = {
        "VAULT_BUCKET": "B",
        "VAULT_MAX_PAGES": " 1",
        "VAULT_HTTP_TIMEOUT": "1e3",
        "VAULT_TEST_NOW": "yesterday",
    }
    with pytest.raises(ConfigError) as caught:
        settings_from_env(env)
    assert caught.value.settings == [
        "VAULT_API_URL",
        "VAULT_MONGO_URI",
        "VAULT_BUCKET",
        "VAULT_MAX_PAGES",
        "VAULT_HTTP_TIMEOUT",
        "VAULT_TEST_NOW",
    ]


@pytest.mark.parametrize(
    ("value", "instant"),
    [
        ("2026-03-01T12:00:00Z", datetime(2026, 3, 1, 12, tzinfo=UTC)),
        ("2026-03-01T12:00:00.250Z", datetime(2026, 3, 1, 12, 0, 0, 250_000, tzinfo=UTC)),
        ("2026-03-01T12:00:00+00:00", datetime(2026, 3, 1, 12, tzinfo=UTC)),
    ],
)
def test_the_test_clock_is_an_iso_8601_utc_instant(value: str, instant: datetime) -> None:
    assert settings_from_env({**GOOD, "VAULT_TEST_NOW": value}).test_now == instant


@pytest.mark.parametrize(
    "value",
    ["2026-03-01", "2026-03-01T12:00:00", "2026-03-01T12:00:00+01:00", "2026-13-01T12:00:00Z", "x"],
)
def test_a_test_clock_that_is_not_a_utc_instant_is_refused(value: str) -> None:
    assert refused(VAULT_TEST_NOW=value) == ["VAULT_TEST_NOW"]


def test_the_pause_log_is_a_path_in_a_folder_that_exists(tmp_path: Path) -> None:
    log = tmp_path / "pauses.log"
    assert settings_from_env({**GOOD, "VAULT_TEST_PAUSE_LOG": str(log)}).test_pause_log == str(log)
    assert refused(VAULT_TEST_PAUSE_LOG=str(tmp_path / "nowhere" / "p.log")) == [
        "VAULT_TEST_PAUSE_LOG"
    ]


def test_aws_max_attempts_reaches_the_vaults_s3_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """The contract's single S3 attempt: botocore reads AWS_MAX_ATTEMPTS, and the vault's own
    client configuration must not override it."""
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "example-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    assert s3_client().meta.config.retries["total_max_attempts"] == 1
