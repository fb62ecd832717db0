"""vault/bootstrap.py: which settings a refusal by botocore or pymongo names, and that
nothing starts on MongoDB before the ping. Written to close the fast selection's survivors
(tests/mutation/survivors.toml)."""

from __future__ import annotations

import os
import threading

import pytest

from vault.bootstrap import mongo_collection, s3_client
from vault.config import ConfigError, Settings


@pytest.fixture
def clean_aws(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No AWS_ variable but those a test sets, and no file or metadata service to fall back on."""
    for name in [name for name in os.environ if name.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    return monkeypatch


def test_settings_botocore_refuses_name_the_empty_aws_variables(
    clean_aws: pytest.MonkeyPatch,
) -> None:
    clean_aws.setenv("AWS_RETRY_MODE", "")  # the one botocore refuses
    clean_aws.setenv("AWS_DEFAULT_REGION", "us-east-1")  # set: not a suspect
    clean_aws.setenv("VAULT_UNRELATED_EMPTY", "")  # empty, but not botocore's
    with pytest.raises(ConfigError) as caught:
        s3_client(aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="example-secret")
    [problem] = caught.value.problems
    assert problem.startswith("AWS settings refused by botocore: "), problem
    assert caught.value.settings == ["AWS_RETRY_MODE"]


def test_credentials_that_cannot_be_found_name_the_two_variables_to_set(
    clean_aws: pytest.MonkeyPatch,
) -> None:
    clean_aws.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with pytest.raises(ConfigError) as caught:
        s3_client()
    assert caught.value.settings == ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]


@pytest.mark.parametrize(("database", "collection"), [("audit vault", "records"), ("a", "$r")])
def test_a_name_pymongo_refuses_names_both_settings(database: str, collection: str) -> None:
    settings = Settings(
        api_url="",
        bucket="b",
        mongo_uri="mongodb://127.0.0.1:27017",
        mongo_database=database,
        mongo_collection=collection,
    )
    with pytest.raises(ConfigError) as caught:
        mongo_collection(settings)
    assert caught.value.settings == ["VAULT_MONGO_DATABASE", "VAULT_MONGO_COLLECTION"]


def test_building_the_mongodb_client_starts_nothing_before_the_ping() -> None:
    """A client that connected at once would start monitoring the server while being built, in
    threads of its own: the ping is where MongoDB is first reached, within VAULT_MONGO_TIMEOUT."""
    settings = Settings(
        api_url="", bucket="b", mongo_uri="mongodb://127.0.0.1:9", mongo_timeout=0.5
    )
    before = set(threading.enumerate())
    client, _ = mongo_collection(settings)
    try:
        started = set(threading.enumerate()) - before
        assert not started, sorted(thread.name for thread in started)
    finally:
        client.close()
