"""Secrets a scenario gives (a password, a token): the reports must never show them.

``keep_secret`` hands each one to the reporting plugin's redaction, which hides it, as it is,
JSON-escaped and percent-encoded, in every report file and on the console.
"""

from __future__ import annotations

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
