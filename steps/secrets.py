"""Secrets a scenario gives (a password, a token): the reports must never show them.

``keep_secret`` hands each one to the reporting plugin's redaction, which hides it, as it is,
JSON-escaped and percent-encoded, in every report file and on the console.
"""

from __future__ import annotations

import re

SECRETS: set[str] = set()


def keep_secret(value: str) -> None:
    SECRETS.add(value)
    try:
        from reporting import secrets
    except ImportError:  # pragma: no cover - the steps run without the reporting plugin too
        return
    secrets.register(value)


def keep_environment_secrets(env: dict[str, str]) -> None:
    """The credentials of a command's environment (AWS keys, a URL's password or token)."""
    try:
        from reporting import secrets
    except ImportError:  # pragma: no cover
        return
    secrets.register(*secrets.from_environment(env))


# The sentences that give a secret: every run that collects a scenario hides its secrets, so
# that every report of every shard masks the same text (a shard that does not run it included).
GIVING_SECRETS = re.compile(
    r"(?:the log API requires the (?:password|token)|the operator gives the log API the password)"
    r' "(?P<value>[^"]*)"'
)


SETTING = re.compile(r'the operator sets (?P<name>\w+) to "(?P<value>[^"]*)"')


def keep_secrets_of_steps(step_texts: list[str]) -> None:
    """Hide the secrets a scenario's steps give: passwords and tokens, and the credentials in
    the settings the operator sets (a password in a URL's userinfo, a token in its query)."""
    for text in step_texts:
        if given := GIVING_SECRETS.fullmatch(text):
            keep_secret(given["value"])
        elif setting := SETTING.fullmatch(text):
            keep_environment_secrets({setting["name"]: setting["value"]})
