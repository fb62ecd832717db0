"""Every bad setting is refused before anything is fetched, naming the setting and the rule."""

from __future__ import annotations

import os
import warnings

import pytest

from vault.config import ConfigError, Settings, settings_from_env

GOOD = {
    "VAULT_API_URL": "https://logs.example.invalid/api",
    "VAULT_BUCKET": "audit-archive",
    "VAULT_MONGO_URI": "mongodb://127.0.0.1:27017",
}

BAD = [
    ("VAULT_API_URL", "ftp://x", "http:// or https://"),
    ("VAULT_API_URL", "logs.example.invalid", "http:// or https://"),
    ("VAULT_API_URL", "http://", "host"),
    ("VAULT_API_URL", "http:///x", "host"),
    ("VAULT_API_URL", "http://[::1", "not a valid URL"),
    ("VAULT_API_URL", "http://127.0.0.1:99999", "port"),
    ("VAULT_API_URL", "http://127.0.0.1:0", "port"),
    ("VAULT_API_URL", "http://127.0.0.1:http/", "port"),
    ("VAULT_API_URL", "http://h/api#part", "fragment"),
    ("VAULT_API_URL", "http://h /api", "host"),
    ("VAULT_HTTP_TIMEOUT", "nan", "ASCII digits"),
    ("VAULT_HTTP_TIMEOUT", "inf", "ASCII digits"),
    ("VAULT_HTTP_TIMEOUT", "1e400", "ASCII digits"),
    ("VAULT_HTTP_TIMEOUT", "-1", "ASCII digits"),
    ("VAULT_HTTP_TIMEOUT", "0", "above 0"),
    ("VAULT_HTTP_TIMEOUT", "x", "number"),
    ("VAULT_HTTP_TIMEOUT", "²", "number"),
    ("VAULT_HTTP_TIMEOUT", "86401", "at most"),
    ("VAULT_MONGO_TIMEOUT", "nan", "ASCII digits"),
    ("VAULT_MONGO_TIMEOUT", "-0.5", "ASCII digits"),
    ("VAULT_MONGO_TIMEOUT", "soon", "number"),
    ("VAULT_MAX_ATTEMPTS", "0", "at least 1"),
    ("VAULT_MAX_ATTEMPTS", "abc", "whole number"),
    ("VAULT_MAX_ATTEMPTS", "²", "whole number"),
    ("VAULT_MAX_ATTEMPTS", "1.5", "whole number"),
    ("VAULT_MAX_BODY_BYTES", "-5", "whole number"),
    ("VAULT_MAX_PAGES", "0", "at least 1"),
    ("VAULT_MONGO_URI", "mongodb://", "host"),
    ("VAULT_MONGO_URI", "redis://127.0.0.1:6379", "mongodb://"),
    ("VAULT_MONGO_URI", "127.0.0.1:27017", "mongodb://"),
    ("VAULT_MONGO_URI", "mongodb://127.0.0.1:abc", "port"),
    ("VAULT_MONGO_URI", "mongodb://127.0.0.1:70000", "port"),
    ("VAULT_MONGO_URI", "mongodb://a:1,:2", "host"),
    ("VAULT_MONGO_URI", "mongodb+srv://cluster.example.invalid:27017", "port"),
    ("VAULT_MONGO_DATABASE", "a/b", "database name"),
    ("VAULT_MONGO_DATABASE", "$x", "database name"),
    ("VAULT_MONGO_DATABASE", "a..b", "database name"),
    ("VAULT_MONGO_DATABASE", "a b", "database name"),
    ("VAULT_MONGO_DATABASE", 'a"b', "database name"),
    ("VAULT_MONGO_DATABASE", "a\\b", "database name"),
    ("VAULT_MONGO_DATABASE", "d" * 64, "63 bytes"),
    ("VAULT_MONGO_COLLECTION", "$x", "collection name"),
    ("VAULT_MONGO_COLLECTION", "a..b", "collection name"),
    ("VAULT_MONGO_COLLECTION", ".a", "collection name"),
    ("VAULT_MONGO_COLLECTION", "a.", "collection name"),
    ("VAULT_MONGO_COLLECTION", "a\x00b", "collection name"),
    ("VAULT_MONGO_COLLECTION", "system.users", "system."),
    ("VAULT_MONGO_COLLECTION", "c" * 250, "255 bytes"),
    ("VAULT_BUCKET", "Bad_Bucket", "lowercase"),
    ("VAULT_BUCKET", "ab", "3 to 63"),
    ("VAULT_BUCKET", "b" * 64, "3 to 63"),
    ("VAULT_BUCKET", "-abc", "begin and end"),
    ("VAULT_BUCKET", "abc.", "begin and end"),
    ("VAULT_BUCKET", "a..b", "two dots"),
    ("VAULT_BUCKET", "192.168.1.1", "IP address"),
    ("VAULT_BUCKET", "xn--abc", "xn--"),
    ("VAULT_BUCKET", "abc-s3alias", "-s3alias"),
    ("AWS_ENDPOINT_URL", "not a url", "http:// or https://"),
    ("AWS_ENDPOINT_URL", "ftp://127.0.0.1", "http:// or https://"),
    ("AWS_ENDPOINT_URL", "http://", "host"),
    ("AWS_ENDPOINT_URL", "http://127.0.0.1:99999", "port"),
    ("AWS_ENDPOINT_URL_S3", "not a url", "http:// or https://"),
    ("AWS_MAX_ATTEMPTS", "abc", "whole number"),
    ("AWS_MAX_ATTEMPTS", "0", "at least 1"),
    ("AWS_RETRY_MODE", "eager", "legacy, standard or adaptive"),
    ("AWS_REGION", "us east 1", "region"),
    ("AWS_DEFAULT_REGION", "-bad", "region"),
    ("AWS_DEFAULT_REGION", "a/b", "region"),
]


def _id(value: object) -> str:
    # Plain ASCII without a backslash: pytest escapes any other id, and escapes it again when it
    # collects a second time in the same process (mutmut's), where the test is then not found.
    return "".join(
        c if c.isascii() and c.isprintable() and c != "\\" else f"U+{ord(c):04X}"
        for c in str(value)
    )


@pytest.mark.parametrize(("name", "value", "rule"), BAD, ids=_id)
def test_a_bad_setting_is_named_with_its_rule(name: str, value: str, rule: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from_env({**GOOD, name: value})
    [problem] = caught.value.problems
    assert problem.startswith(f"{name} "), problem
    assert rule in problem, problem


GOOD_VALUES = [
    ("VAULT_API_URL", "http://[::1]:8080/api"),
    ("VAULT_API_URL", "https://user:pw@logs.example.invalid/v2/?tenant=acme&token=x"),
    ("VAULT_API_URL", "http://127.0.0.1:65535"),
    ("VAULT_HTTP_TIMEOUT", "0.25"),
    ("VAULT_MONGO_TIMEOUT", "5"),
    ("VAULT_MONGO_URI", "mongomock://"),
    ("VAULT_MONGO_URI", "mongodb://u:p@h1:1,h2:2,[::1]:27017/db?replicaSet=rs0"),
    ("VAULT_MONGO_URI", "mongodb+srv://cluster.example.invalid/?tls=true"),
    ("VAULT_MONGO_URI", "mongodb://%2Ftmp%2Fmongodb-27017.sock"),
    # A socket path is not a host name (a "+" is no host's), in either case of its %2F.
    ("VAULT_MONGO_URI", "mongodb://%2Ftmp%2Fmongo+db.sock/audit"),
    ("VAULT_MONGO_URI", "mongodb://%2ftmp%2fmongo+db.sock/audit"),
    ("VAULT_MONGO_URI", "mongodb://[::1]/audit"),  # an IPv6 member without a port
    ("VAULT_MONGO_URI", "mongodb://[db1]:1/"),  # the brackets are not the name's
    ("VAULT_MONGO_URI", "mongodb://X:1/"),  # a one-letter host
    ("VAULT_MONGO_URI", "mongodb://MONGO:65535/"),  # capitals, the highest port
    ("VAULT_MONGO_URI", "mongodb://auditor:pw@h/audit"),  # userinfo, no port
    ("VAULT_MONGO_URI", "mongodb://user:pa://ss@h:1/"),  # the members follow the last @
    ("VAULT_MONGO_DATABASE", "audit-vault_2"),
    ("VAULT_MONGO_COLLECTION", "audit.records"),
    ("VAULT_BUCKET", "my.bucket-1"),
    ("AWS_ENDPOINT_URL", "http://127.0.0.1:9000"),
    ("AWS_MAX_ATTEMPTS", "5"),
    ("AWS_RETRY_MODE", "adaptive"),
    ("AWS_RETRY_MODE", "standard"),
    ("AWS_RETRY_MODE", "legacy"),
    ("AWS_REGION", "eu-west-1"),
    ("AWS_REGION", "EU-West-1"),  # botocore's rule takes capitals
]


# Each rule's words, whole: an operator reads them, and the docs quote them.
EXACT = [
    ("VAULT_HTTP_TIMEOUT", "0", "must be above 0"),
    ("VAULT_API_URL", "http://127.0.0.1:99999", "must have a port from 1 to 65535"),
    ("VAULT_API_URL", "http://127.0.0.1:0", "must have a port from 1 to 65535"),
    ("VAULT_API_URL", "http://[::1", "is not a valid URL"),
    ("VAULT_API_URL", "http:///x", "must name a host (http://host[:port]/path)"),
    ("VAULT_API_URL", "http://h/api#part", "must not have a fragment (#...)"),
    ("VAULT_MONGO_URI", "mongodb://", "must name a host (mongodb://host[:port][,host[:port]...]/)"),
    ("VAULT_MONGO_URI", "mongodb://a:1,:2", "must name a host for each member (host[:port],...)"),
    ("VAULT_MONGO_URI", "mongodb://127.0.0.1:70000", "must have ports from 1 to 65535"),
    (
        "VAULT_MONGO_URI",
        "mongodb+srv://c.example.invalid:27017",
        "must not give a port with mongodb+srv://",
    ),
    ("VAULT_MONGO_DATABASE", "d" * 64, "must be a database name of at most 63 bytes"),
    ("VAULT_MONGO_COLLECTION", "system.audit", "must not start with system. (MongoDB reserves it)"),
    ("VAULT_MONGO_COLLECTION", "c" * 250, "must keep database.collection within 255 bytes"),
    (
        "VAULT_MONGO_COLLECTION",
        "$x",
        "must be a collection name without $, NUL, '..' or a leading or trailing '.'",
    ),
    (
        "VAULT_MONGO_DATABASE",
        "a/b",
        'must be a database name without / \\ . " $ * < > : | ? spaces or NUL',
    ),
    ("VAULT_MAX_ATTEMPTS", "abc", "must be a whole number in ASCII digits (no sign, no space)"),
    (
        "VAULT_MONGO_URI",
        "mongodb://bad!host:1",
        "must name a host for each member (host[:port],...)",
    ),
    ("VAULT_MONGO_URI", "mongodb://h:65536", "must have ports from 1 to 65535"),
    # The members come before the path or query, whatever "://" the query holds.
    (
        "VAULT_MONGO_URI",
        "mongodb://:1/?appName=a://b",
        "must name a host for each member (host[:port],...)",
    ),
]


@pytest.mark.parametrize(("name", "value", "rule"), EXACT, ids=_id)
def test_a_refusal_says_the_rule_in_its_own_words(name: str, value: str, rule: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from_env({**GOOD, name: value})
    assert caught.value.problems == [f"{name} {rule}, got {value!r}"]


@pytest.mark.parametrize(("name", "value"), GOOD_VALUES, ids=_id)
def test_a_good_setting_is_taken(name: str, value: str) -> None:
    settings_from_env({**GOOD, name: value})


def test_every_problem_is_named_at_once() -> None:
    env = {**GOOD, "VAULT_API_URL": "http://", "VAULT_BUCKET": "B", "AWS_MAX_ATTEMPTS": "x"}
    with pytest.raises(ConfigError) as caught:
        settings_from_env(env)
    assert [problem.split(" ")[0] for problem in caught.value.problems] == [
        "VAULT_API_URL",
        "VAULT_BUCKET",
        "AWS_MAX_ATTEMPTS",
    ]


def test_a_bad_aws_setting_is_named_with_what_it_may_be() -> None:
    env = {**GOOD, "AWS_RETRY_MODE": "eager", "AWS_REGION": "us east 1"}
    with pytest.raises(ConfigError) as caught:
        settings_from_env(env)
    assert caught.value.problems == [
        "AWS_RETRY_MODE must be legacy, standard or adaptive, got 'eager'",
        "AWS_REGION must be an AWS region name such as us-east-1, got 'us east 1'",
    ]


def test_timeouts_have_documented_defaults() -> None:
    settings = settings_from_env(GOOD)
    assert (settings.http_timeout, settings.mongo_timeout) == (30.0, 5.0)


def test_a_subcommand_that_needs_no_api_url_does_not_ask_for_one() -> None:
    env = {name: value for name, value in GOOD.items() if name != "VAULT_API_URL"}
    assert settings_from_env(env, need_api_url=False).api_url == ""
    with pytest.raises(ConfigError, match="VAULT_API_URL is not set"):
        settings_from_env(env)


@pytest.mark.parametrize(
    "uri",
    [
        "mongodb://127.0.0.1/?serverSelectionTimeoutMS=soon",
        "mongodb://127.0.0.1/?w=-5",
        "mongodb://127.0.0.1/?tls=true&ssl=false",
        "mongodb://127.0.0.1:1,127.0.0.1:2/?directConnection=true",
        "mongodb://127.0.0.1/?noSuchOption=1",
    ],
)
def test_a_mongo_uri_that_pymongo_refuses_is_a_configuration_error(uri: str) -> None:
    from vault.bootstrap import mongo_collection

    settings = Settings(api_url="", bucket="audit-archive", mongo_uri=uri)
    with pytest.raises(ConfigError, match=r"^VAULT_MONGO_URI is refused by pymongo: "):
        mongo_collection(settings)


def test_an_unknown_mongo_uri_option_is_refused_with_pymongos_warning() -> None:
    """pymongo only warns about an option it does not know; the vault refuses it, in pymongo's
    words, whatever warning filters the process runs with."""
    from vault.bootstrap import mongo_collection

    settings = Settings(api_url="", bucket="b", mongo_uri="mongodb://127.0.0.1/?noSuchOption=1")
    with warnings.catch_warnings():
        warnings.resetwarnings()  # as in a plain `python -m vault`: warnings are only shown
        with pytest.raises(ConfigError) as caught:
            mongo_collection(settings)
    [problem] = caught.value.problems
    assert problem.startswith(
        "VAULT_MONGO_URI is refused by pymongo: Unknown option: nosuchoption. Did you mean "
    ), problem


@pytest.mark.parametrize(
    ("database", "collection", "said"),
    [
        ("audit vault", "records", "database names cannot contain the character ' '"),
        ("audit_vault", "$records", "collection names must not contain '$': '$records'"),
    ],
)
def test_a_name_pymongo_refuses_is_a_configuration_error_naming_both_settings(
    database: str, collection: str, said: str
) -> None:
    from vault.bootstrap import mongo_collection

    settings = Settings(
        api_url="",
        bucket="b",
        mongo_uri="mongodb://127.0.0.1/?connect=false",
        mongo_database=database,
        mongo_collection=collection,
    )
    with pytest.raises(ConfigError) as caught:
        mongo_collection(settings)
    assert caught.value.problems == [f"VAULT_MONGO_DATABASE or VAULT_MONGO_COLLECTION: {said}"]


def test_settings_that_botocore_refuses_are_a_configuration_error() -> None:
    from vault.bootstrap import s3_client

    with pytest.raises(ConfigError, match=r"^AWS settings refused by botocore: "):
        s3_client(endpoint_url="not a url")


@pytest.fixture
def no_aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    # Nowhere else to look: no files, and never the instance metadata service.
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)


def test_credentials_that_cannot_be_found_are_a_configuration_error(
    no_aws_credentials: None,
) -> None:
    from vault.bootstrap import s3_client

    with pytest.raises(ConfigError) as caught:
        s3_client()
    assert caught.value.problems == [
        "AWS credentials cannot be found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
        "or AWS_PROFILE, or another source boto3 reads"
    ]


@pytest.mark.parametrize(("setting", "seconds"), [(None, 5.0), ("0.25", 0.25)])
def test_vault_mongo_timeout_bounds_pymongo(setting: str | None, seconds: float) -> None:
    from vault.bootstrap import mongo_collection

    env = {**GOOD, "VAULT_MONGO_URI": "mongodb://127.0.0.1:27017/?serverSelectionTimeoutMS=30000"}
    if setting is not None:
        env["VAULT_MONGO_TIMEOUT"] = setting
    client, _ = mongo_collection(settings_from_env(env))
    try:
        assert client.options.server_selection_timeout == seconds
        assert client.options.pool_options.connect_timeout == seconds
    finally:
        client.close()


def test_the_defaults_are_the_start_of_every_scenario() -> None:
    """The acceptance language fixes them (3 attempts, 10 MiB, 10,000 pages), and the scenarios
    run on the vault's own defaults: this pins the two no scenario reaches."""
    settings = settings_from_env(
        {
            "VAULT_API_URL": "https://logs.example.invalid/api",
            "VAULT_BUCKET": "audit-vault-archive",
            "VAULT_MONGO_URI": "mongomock://",
        }
    )
    assert (settings.max_attempts, settings.max_body_bytes, settings.max_pages) == (
        3,
        10_485_760,
        10_000,
    )
