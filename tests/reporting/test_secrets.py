"""No secret reaches any report or the console, in any form: as written, JSON-escaped,
percent-encoded or HTML-escaped.

A failing scenario carries a password, a token, an AWS session token and a secret the project
registers, in its step arguments, its error message, its captured output and the reprs of its
step function's arguments; the same values are in the environment, as an operator's would be.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from reporting import secrets
from tests.reporting.project import PROJECT, run_project

pytestmark = pytest.mark.reporting

PASSWORD = 'Pa"ss/wörd 4+u'
TOKEN = "tok-9f8e7d6c5b4a"
SESSION_TOKEN = "FwoGZXIvYXdzEJr//////////wEaDHf+yH/session"
DB_PASSWORD = "db-hunter2-secret"
REGISTERED = "scn-Secret-42"  # known only to the project, which registers it
# Known only to the scenario's world: the reprs of its step's arguments name it.
WORLD_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
API_URL = f"https://vault:{quote(PASSWORD, safe='')}@logs.example.com/api?token={TOKEN}"
ENVIRONMENT = {
    "VAULT_API_URL": API_URL,
    "AWS_SESSION_TOKEN": SESSION_TOKEN,
    "REPORTS_DB_PASSWORD": DB_PASSWORD,
}
FEATURE = f"""Feature: Secrets
  Scenario: A request with credentials fails
    Given the log API at "{API_URL}"
    And the scenario's own secret "{REGISTERED}"
    When the vault calls it with the session token "{SESSION_TOKEN}"
"""
STEPS = """
import os

import pytest
from pytest_bdd import given, parsers, when

import reporting.secrets


@pytest.fixture
def environment() -> dict[str, str]:
    # As the suite's world holds it: pytest's repr of the failing step's arguments shows it.
    return {"AWS_SECRET_ACCESS_KEY": WORLD_KEY, "VAULT_API_URL": os.environ["VAULT_API_URL"]}


@given(parsers.parse('the log API at "{url}"'))
def log_api(environment: dict[str, str], url: str) -> None:
    environment["url"] = url


@given(parsers.parse('the scenario\\'s own secret "{secret}"'))
def own_secret(environment: dict[str, str], secret: str) -> None:
    reporting.secrets.register(secret)
    environment["own"] = secret


@when(parsers.parse('the vault calls it with the session token "{token}"'))
def call(environment: dict[str, str], token: str) -> None:
    print("calling", environment, os.environ["REPORTS_DB_PASSWORD"], json.dumps(environment))
    key = environment["AWS_SECRET_ACCESS_KEY"]
    raise RuntimeError(f"UnplannedRequest: GET {environment['url']} signed {key} with {token}")
"""


def forms(secret: str) -> set[str]:
    """The ways a report could carry ``secret``."""
    escaped = json.dumps(secret)[1:-1]
    found = {secret, escaped, json.dumps(secret, ensure_ascii=False)[1:-1]}
    found.add(re.sub(r"\\u[0-9a-f]{4}", lambda m: m[0].upper().replace("\\U", "\\u"), escaped))
    found |= {form.replace("/", "\\/") for form in found}
    percent = {quote(secret, safe=""), quote(secret), quote_plus(secret)}
    found |= percent | {re.sub("%[0-9A-F]{2}", lambda m: m[0].lower(), p) for p in percent}
    return found | {html.escape(form) for form in found}


@pytest.mark.parametrize("processes", [["-p", "no:xdist"], ["-n", "2"]], ids=["single", "xdist"])
def test_no_report_and_no_console_line_shows_a_secret(tmp_path: Path, processes: list[str]) -> None:
    steps = (PROJECT / "test_features.py").read_text() + f"import json\nWORLD_KEY = {WORLD_KEY!r}\n"
    steps += STEPS
    result, reports = run_project(
        tmp_path,
        f"--cucumber-messages={tmp_path / 'reports' / 'cucumber.ndjson'}",
        *processes,
        env=ENVIRONMENT,
        files={"features/secrets.feature": FEATURE, "test_features.py": steps},
    )
    written = {path.name: path.read_text(encoding="utf-8") for path in reports.rglob("*.*")}
    assert {"report.html", "cucumber.json", "cucumber.ndjson", "junit.xml"} <= set(written)
    assert len(written) == 7  # and the three per-feature files
    written["console"] = result.stdout + result.stderr
    assert "A request with credentials fails" in written["console"]
    assert "UnplannedRequest" in written["junit.xml"]
    for secret in (PASSWORD, TOKEN, SESSION_TOKEN, DB_PASSWORD, REGISTERED, WORLD_KEY):
        for form in sorted(forms(secret)):
            shown = [name for name, text in written.items() if form in text]
            assert not shown, f"{form!r} (a form of {secret!r}) is in {shown}"


# The rules, one at a time -----------------------------------------------------------------------
@pytest.fixture(autouse=True)
def no_secrets_yet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts from no registered secret, and leaves none to this session's reports."""
    monkeypatch.setattr(secrets, "_REGISTERED", set())


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ('password "Pa\\u00f6ss\\/w\\"d"', 'password "***"'),  # JSON: ensure_ascii, "\\/"
        ('password "Pa\\u00F6ss/w\\"d"', 'password "***"'),  # upper-case hex
        ("password Pa%C3%B6ss%2fw%22d", "password ***"),  # percent-encoded, hex in both cases
        ("password Pa%c3%b6ss/w%22d", "password ***"),
        ("password Pa&#x27;ss/w&quot;d", "password Pa&#x27;ss/w&quot;d"),  # another value
    ],
)
def test_a_registered_secret_is_hidden_in_every_form(written: str, shown: str) -> None:
    secrets.register('Paöss/w"d')
    assert secrets.redact(written) == shown


def test_a_space_may_be_encoded_as_a_plus() -> None:
    secrets.register("two words here")
    assert secrets.redact("q=two+words+here&x=two%20words%20here") == "q=***&x=***"


def test_credentials_in_the_environment_and_in_urls_are_found() -> None:
    environment = {
        "AWS_SESSION_TOKEN": "FwoGZX//session",
        "GITHUB_TOKEN": "ghp_0123456789",
        "SERVICE_DB_PASSWORD": "hunter2-x",
        "VAULT_MONGO_URI": "mongodb://vault:p%40ss-word@db.example:27017/?authSource=admin",
        "VAULT_API_URL": "https://logs.example/api?access_token=tok-123456&page=2",
        "TOKENIZERS_PARALLELISM": "false",  # a setting: hiding "false" would break every JSON
        "HOME": "/root",
    }
    assert secrets.from_environment(environment) == {
        "FwoGZX//session",
        "ghp_0123456789",
        "hunter2-x",
        "p%40ss-word",
        "p@ss-word",
        "admin",
        "tok-123456",
    }


def test_a_value_given_to_a_credential_name_is_hidden_there_and_everywhere() -> None:
    text = (
        "env={'AWS_SECRET_ACCESS_KEY': 'wJalrX/K7MDENG', 'VAULT_MAX_PAGES': '3'} key wJalrX/K7MDENG"
    )
    assert (
        secrets.redact(text)
        == "env={'AWS_SECRET_ACCESS_KEY': '***', 'VAULT_MAX_PAGES': '3'} key ***"
    )


def test_a_urls_userinfo_is_hidden_wherever_it_stands() -> None:
    assert secrets.redact("GET https://user:pw@logs.example/x") == "GET https://***@logs.example/x"


def test_json_that_holds_a_secret_url_stays_json() -> None:
    """A URL quoted inside JSON text ends at an escaped quote: masking its token or userinfo
    must leave the escape whole, or the Messages and Cucumber JSON stop being JSON."""
    document = json.dumps(
        {
            "text": 'redirects every request to "https://h.test/logs?token=tok-Quarry-Lantern-7"',
            "url": 'see "https://u:Pa55-Word-Quill@h.test/x"',
        }
    )
    masked = secrets.redact(document)
    assert json.loads(masked)["text"].endswith('token=***"')
    assert "tok-Quarry-Lantern-7" not in masked
    assert "Pa55-Word-Quill" not in masked
