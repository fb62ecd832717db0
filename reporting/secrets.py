"""The secrets of a test session, and the one function that hides them in every report.

Every file the reporting plugin writes (``report.html``, the Cucumber JSON and its per-feature
files, the Cucumber Messages), pytest's ``junit.xml`` and every line of the console pass through
``redact``. Each secret is hidden as written, JSON-escaped (``\\uXXXX`` in either case, ``\\/``),
percent-encoded (hex in either case, a space as ``%20`` or ``+``), HTML-escaped and as a
Python repr shows it.

What counts as a secret:

- what the project registers: call ``reporting.secrets.register(value, ...)`` from a fixture,
  a hook or a step, as soon as the value exists (before the scenario can fail). Under
  pytest-xdist a value registered on a worker travels to the controller with the test's report;
- the values of environment variables named like credentials (``AWS_SECRET_ACCESS_KEY``,
  ``AWS_SESSION_TOKEN``, any name holding ``PASSWORD``, ``TOKEN`` or ``SECRET``), read when the
  session starts and again when the reports are written;
- the password (or lone token) in the userinfo, and the values of secret-named query
  parameters, of URLs in environment variables named ``*_URL`` or ``*_URI``;
- anywhere in the text: a URL's userinfo, the value of a secret-named query parameter, and a
  value assigned to a credential-like name (``'AWS_SECRET_ACCESS_KEY': '...'``,
  ``DB_PASSWORD=...``), which is then hidden everywhere else too.

Values shorter than four characters are hidden only where a rule above finds them in place.
This module never imports the vault: the suite hides secrets by its own rules.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Mapping
from functools import cache
from urllib.parse import quote, unquote

MASK = "***"
SHORTEST = 4
_REGISTERED: set[str] = set()
# AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, DB_PASSWORD, GITHUB_TOKEN; not TOKENIZERS_PARALLELISM.
_CREDENTIAL_NAME = re.compile(r"(?:^|_)(?:PASSWORD|PASSWD|TOKEN|SECRET)(?:_|$)")
# Settings, not secrets: hiding "false" everywhere would break every JSON report.
_NOT_SECRETS = frozenset({"true", "false", "none", "null", "yes", "no", "on", "off"})
_URL_NAME = re.compile(r".*_UR[LI]")
# Any URL's userinfo: after "://", up to the last "@" before the host.
# No backslash in either: inside JSON text it starts an escape (\"), which must stay whole.
_USERINFO = re.compile(r"://[^/\s'\"<>@\\]*@")
_SECRET_QUERY = re.compile(
    r"(?P<name>[?&;][^=&;?#\s'\"<>]*(?:token|key|secret|pass|pwd|auth|sig|credential|session)"
    r"[^=&;?#\s'\"<>]*=)(?P<value>[^&;#\s'\"<>\\]*)",
    re.IGNORECASE,
)
# 'AWS_SECRET_ACCESS_KEY': 'value', "DB_PASSWORD": "value", API_TOKEN=value
_ASSIGNED = re.compile(
    r"""(?:PASSWORD|PASSWD|TOKEN|SECRET)(?:_[A-Z0-9_]*)?['"]?\s*[:=]\s*"""
    r"""(?:'(?P<single>[^'\n]+)'|"(?P<double>[^"\n]+)"|(?P<bare>[^\s'",;&]+))"""
)
# What URL quoting leaves unencoded, as requests and urllib write URLs.
_URL_SAFE = ("", "/", "!#$&'()*+,/:;=?@[]~")


def register(*values: str) -> None:
    """Hide each value in every report of this session (values shorter than 4 are ignored)."""
    _REGISTERED.update(value for value in values if len(value) >= SHORTEST)


def registered() -> frozenset[str]:
    return frozenset(_REGISTERED)


def from_environment(env: Mapping[str, str] | None = None) -> set[str]:
    """The credentials in ``env`` (``os.environ`` by default), by the rules above."""
    env = os.environ if env is None else env
    found = {value for name, value in env.items() if _CREDENTIAL_NAME.search(name.upper())}
    for name, url in env.items():
        if not _URL_NAME.fullmatch(name.upper()):
            continue
        userinfo = re.match(r"[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)@", url)
        if userinfo:
            user, _, password = userinfo.group(1).partition(":")
            found.add(password or user)
        found.update(match.group("value") for match in _SECRET_QUERY.finditer(url))
    found |= {unquote(value) for value in found}
    return {value for value in found if _worth_hiding(value)}


def _worth_hiding(value: str) -> bool:
    return len(value) >= SHORTEST and value.lower() not in _NOT_SECRETS


def register_environment() -> None:
    register(*from_environment())


def learn(text: str) -> None:
    """Register the values ``text`` gives to credential names, to hide them everywhere."""
    assigned = (
        next(filter(None, m.group("single", "double", "bare"))) for m in _ASSIGNED.finditer(text)
    )
    register(*filter(_worth_hiding, assigned))


def redact(text: str) -> str:
    """``text`` with every secret, in every form, and every credential in place, masked."""
    learn(text)
    exact, folded = _forms_of(frozenset(_REGISTERED))
    for form in exact:
        if form in text:
            text = text.replace(form, MASK)
    lowered = text.lower()
    for form in folded:  # escapes whose hex digits may be in either case, even mixed
        if form in lowered:
            text = re.sub(re.escape(form), MASK, text, flags=re.IGNORECASE)
            lowered = text.lower()
    text = _USERINFO.sub(f"://{MASK}@", text)
    return _SECRET_QUERY.sub(rf"\g<name>{MASK}", text)


@cache
def _forms_of(secrets: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every form of every secret, longest first so that no part of a longer one is left; and,
    lower-cased, those with percent or ``\\u`` escapes, to be found in any case."""
    found: set[str] = set().union(*(forms(secret) for secret in secrets))
    folded = {form.lower() for form in found if "%" in form or "\\u" in form}
    return _longest_first(found), _longest_first(folded)


def _longest_first(forms: set[str]) -> tuple[str, ...]:
    return tuple(sorted(forms, key=len, reverse=True))


def forms(secret: str) -> set[str]:
    """The ways a report can carry ``secret``."""
    written = {secret, repr(secret)[1:-1], ascii(secret)[1:-1]}
    escaped = {json.dumps(secret, ensure_ascii=ascii_only)[1:-1] for ascii_only in (True, False)}
    escaped |= {re.sub(r"\\u[0-9a-f]{4}", _upper_hex, form) for form in escaped}
    escaped |= {form.replace("/", "\\/") for form in escaped}
    encoded = set()
    for safe in _URL_SAFE:
        plain = quote(secret, safe=safe)
        for form in (plain, plain.replace("%20", "+")):
            encoded |= {form, re.sub("%[0-9A-F]{2}", lambda m: m[0].lower(), form)}
    found = written | escaped | encoded
    found |= {html.escape(form, quote=quoted) for form in found for quoted in (True, False)}
    return {form for form in found if len(form) >= SHORTEST}


def _upper_hex(match: re.Match[str]) -> str:
    return "\\u" + match[0][2:].upper()


class RedactingStream:
    """A console stream whose every write goes through ``redact``."""

    def __init__(self, stream: object) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(redact(text))  # type: ignore[attr-defined,no-any-return]

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)
