"""The one redaction function: everything the vault prints goes through ``redact``.

It hides the userinfo of any URL (``scheme://user:password@``), the value of any query
parameter whose name looks like a secret, and every credential the environment holds, wherever
it appears (botocore and urllib3 quote URLs and settings in their own messages).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import unquote

MASK = "***"
# scheme://userinfo@ : userinfo runs up to the last "@" before the host, and never past a "/".
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)[^/\s'\"<>@]*@")
_SECRET_NAME = r"[^=&;?#\s'\"]*(?:token|key|secret|pass|pwd|auth|sig|credential|session|cookie)"
_SECRET_QUERY = re.compile(
    rf"(?P<name>[?&;]{_SECRET_NAME}[^=&;?#\s'\"]*=)[^&;#\s'\"]*", re.IGNORECASE
)
# Values shorter than this are hidden only where they stand as userinfo or a query value: a
# literal "1" would blank out every page number.
_SHORTEST_SECRET = 4
_CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
)
_PLAIN_NAME = re.compile(r"[A-Za-z]+(?:[-_.][A-Za-z]+)*")
_URL_VARIABLES = ("VAULT_API_URL", "VAULT_MONGO_URI", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with URL userinfo, secret query values and each of ``secrets`` masked."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= _SHORTEST_SECRET:
            text = text.replace(secret, MASK)
    text = _USERINFO.sub(rf"\g<scheme>{MASK}@", text)
    return _SECRET_QUERY.sub(rf"\g<name>{MASK}", text)


def secrets_in(env: Mapping[str, str]) -> frozenset[str]:
    """Every credential in the settings: AWS keys, and the password (or lone token) of the
    userinfo and the secret query values of each URL setting, as written and percent-decoded.
    Works on URLs that do not parse."""
    found = {env.get(name, "") for name in _CREDENTIAL_VARIABLES}
    for name in _URL_VARIABLES:
        url = env.get(name, "")
        userinfo = re.match(r"[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)@", url)
        if userinfo:
            # The password is hidden everywhere. So is the user part, unless a password stands
            # beside it and it is a plain name (such as "vault", hidden as userinfo only, since
            # blanking it everywhere would blank every "vault:"): a token in the user part
            # ("TOKEN@", "TOKEN:@", "TOKEN:x-oauth-basic@") holds a digit or a symbol.
            user, _, password = userinfo.group(1).partition(":")
            found.add(password)
            if not password or not _PLAIN_NAME.fullmatch(user):
                found.add(user)
        found.update(match.group(0).split("=", 1)[1] for match in _SECRET_QUERY.finditer(url))
    found |= {unquote(value) for value in found}
    return frozenset(value for value in found if value)
