"""One redaction function for everything the vault prints: URLs' userinfo, secret query values,
and every credential the environment holds."""

from __future__ import annotations

import io
import logging

import pytest

from vault.cli import _RedactingHandler
from vault.redaction import redact, secrets_in

ENV = {
    "VAULT_API_URL": "https://alice:S3cr3t%21pw@logs.example.invalid/api?token=T0kenValue&x=1",
    "VAULT_MONGO_URI": "mongodb://auditor:M0ngoPw@127.0.0.1:27017/",
    "AWS_ENDPOINT_URL": "http://bob:EndpointPw@127.0.0.1:9000",
    "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEKEYID",
    "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG",
    "AWS_SESSION_TOKEN": "FwoGZXIvYXdzEXAMPLE",
}
SECRETS = [
    "S3cr3t%21pw",
    "S3cr3t!pw",
    "T0kenValue",
    "M0ngoPw",
    "EndpointPw",
    "AKIAEXAMPLEKEYID",
    "wJalrXUtnFEMI/K7MDENG",
    "FwoGZXIvYXdzEXAMPLE",
]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("GET https://alice:pw@h/api/logs failed", "GET https://***@h/api/logs failed"),
        ("'mongodb://u:p@h1:1,h2:2/'", "'mongodb://***@h1:1,h2:2/'"),
        ("http://token-only@h/x", "http://***@h/x"),
        ("/logs?token=abc&tenant=acme", "/logs?token=***&tenant=acme"),
        (
            "/x?api_key=1&X-Amz-Signature=ff&password=p;sessionid=9&page=2",
            "/x?api_key=***&X-Amz-Signature=***&password=***;sessionid=***&page=2",
        ),
        ("url: /logs?access_token=a%20b&cursor=c2", "url: /logs?access_token=***&cursor=c2"),
        ("no secret in here: page 1, HTTP 503", "no secret in here: page 1, HTTP 503"),
    ],
)
def test_urls_lose_their_userinfo_and_secret_query_values(text: str, shown: str) -> None:
    assert redact(text) == shown


def test_every_secret_of_the_environment_is_hidden_wherever_it_appears() -> None:
    text = " | ".join(SECRETS) + " | " + " ".join(ENV.values())
    redacted = redact(text, secrets_in(ENV))
    assert [secret for secret in SECRETS if secret in redacted] == []
    assert "alice" not in redacted
    assert "logs.example.invalid/api" in redacted  # the rest stays readable


def test_secrets_are_found_in_urls_that_do_not_parse() -> None:
    assert "S3cr3t" in secrets_in({"VAULT_API_URL": "http://alice:S3cr3t@[::1"})
    assert redact("got 'http://alice:S3cr3t@[::1'") == "got 'http://***@[::1'"


def test_a_secret_that_contains_another_is_hidden_whole() -> None:
    """One secret is part of another: the longer must go first, or its rest shows. (The
    shorter one also sorts after the longer, so no other order can pass by chance.)"""
    env = {
        "VAULT_MONGO_URI": "mongodb://auditor:archive-vault-2024@127.0.0.1:27017/",
        "AWS_SECRET_ACCESS_KEY": "vault-2024",
    }
    shown = redact("auth failed for archive-vault-2024 and vault-2024", secrets_in(env))
    assert shown == "auth failed for *** and ***"


def test_a_secret_of_four_characters_is_hidden_and_a_shorter_one_is_not() -> None:
    assert redact("key Ab9z, page 1, on p1", {"Ab9z", "1", "p1"}) == "key ***, page 1, on p1"


def test_settings_that_are_not_set_hold_no_secret() -> None:
    assert secrets_in({}) == frozenset()
    assert secrets_in({"VAULT_API_URL": "https://logs.example.invalid/api"}) == frozenset()


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        # Only the first colon separates the user from the password.
        ("https://alice:pw:Sec-ret@logs.example.invalid/api", "pw:Sec-ret"),
        # A scheme may be written in capitals; its userinfo is a secret all the same.
        ("HTTPS://alice:CapitalPw@logs.example.invalid/api", "CapitalPw"),
        # Only the first "=" ends the parameter's name: the value may hold more.
        ("https://logs.example.invalid/api?token=v1=T0kenValue", "v1=T0kenValue"),
    ],
)
def test_each_secret_of_a_url_is_hidden_whole_wherever_it_appears(url: str, secret: str) -> None:
    shown = redact(f"refused {secret}!", secrets_in({"VAULT_API_URL": url}))
    assert shown == "refused ***!"


def test_a_user_name_beside_a_password_is_hidden_only_where_it_stands_as_userinfo() -> None:
    """A MongoDB user called "vault" must not blank every "vault:" and every bucket name."""
    env = {"VAULT_MONGO_URI": "mongodb://vault:Pa55-word@127.0.0.1:27017/"}
    line = (
        "vault: run failed: AUDIT_UNAVAILABLE: page 1: s3://audit-vault-archive/logs/a.json "
        "(mongodb://vault:Pa55-word@127.0.0.1:27017/, password Pa55-word)"
    )
    assert redact(line, secrets_in(env)) == (
        "vault: run failed: AUDIT_UNAVAILABLE: page 1: s3://audit-vault-archive/logs/a.json "
        "(mongodb://***@127.0.0.1:27017/, password ***)"
    )
    assert secrets_in(env) == {"Pa55-word"}


def test_a_lone_token_as_userinfo_is_hidden_wherever_it_appears() -> None:
    env = {"VAULT_API_URL": "https://ghp_T0kenOnly42@logs.example.invalid/api"}
    assert secrets_in(env) == {"ghp_T0kenOnly42"}
    assert redact("token ghp_T0kenOnly42 refused", secrets_in(env)) == "token *** refused"


def test_a_log_call_that_cannot_be_formatted_says_so_in_one_redacted_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """logging's own handler would print a traceback and the arguments, secrets included."""
    stream = io.StringIO()
    handler = _RedactingHandler(stream, frozenset({"Pa55-word", "C:\\keys\\pw"}))
    record = logging.LogRecord(
        "urllib3",
        logging.WARNING,
        __file__,
        1,
        "login %s as Pa55-word (C:\\keys\\pw) failed: %d",
        ("x",),
        None,
    )
    handler.handle(record)
    assert stream.getvalue() == (
        "vault: warning: a log line could not be formatted: 'login %s as *** (***) failed: %d'\n"
    )
    assert capsys.readouterr() == ("", "")


def test_a_log_line_that_cannot_be_written_does_not_stop_the_run() -> None:
    attempts: list[str] = []

    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            attempts.append(text)
            raise ValueError("I/O operation on closed file")

    handler = _RedactingHandler(Closed(), frozenset())
    bad = logging.LogRecord("urllib3", logging.WARNING, __file__, 1, "%d", ("x",), None)
    handler.handle(bad)  # raises nothing, though neither line could be written
    assert attempts == ["vault: warning: a log line could not be formatted: '%d'\n"]


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        ("https://sk_live_51Habc123:@logs.example.invalid/api", "sk_live_51Habc123"),
        ("https://ghp_T0ken42:x-oauth-basic@logs.example.invalid/api", "ghp_T0ken42"),
        ("https://svc-archive2:Pa55@logs.example.invalid/api", "svc-archive2"),
        ("https://Deploykey:@logs.example.invalid/api", "Deploykey"),
    ],
    ids=[
        "token and an empty password",
        "token and a fixed password",
        "a name with a digit",
        "a word and an empty password",
    ],
)
def test_a_token_in_the_user_part_is_hidden_wherever_it_appears(url: str, secret: str) -> None:
    assert secret in secrets_in({"VAULT_API_URL": url})
    assert redact(f"refused {secret}", secrets_in({"VAULT_API_URL": url})) == "refused ***"
