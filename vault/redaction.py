"""The one redaction function: everything the vault prints goes through ``redact``.

It hides the userinfo of any URL (``scheme://user:password@``), the value of any query
parameter whose name looks like a secret, and every credential the environment holds, wherever
it appears (botocore and urllib3 quote URLs and settings in their own messages), in any of its
spellings: as it is, JSON-escaped or percent-encoded, character by character. ``printable``
then shows the control characters of outside text escaped, so that no text can steer a terminal.
"""

from __future__ import annotations

import functools
import re
import unicodedata
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
    spelled = _spellings(frozenset(s for s in secrets if len(s) >= _SHORTEST_SECRET))
    if spelled is not None:
        text = spelled.sub(MASK, text)
    text = _USERINFO.sub(rf"\g<scheme>{MASK}@", text)
    return _SECRET_QUERY.sub(rf"\g<name>{MASK}", text)


_JSON_SHORT = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f", "\n": "\\n"}
_JSON_SHORT |= {"\r": "\\r", "\t": "\\t"}


def _either_case(hex_digits: str) -> str:
    return "".join(f"[{d.lower()}{d.upper()}]" if d.isalpha() else d for d in hex_digits)


def _character(char: str) -> str:
    """A pattern for one character of a secret in each spelling that output may give it."""
    forms = [re.escape(char)]
    if char in _JSON_SHORT:
        forms.append(re.escape(_JSON_SHORT[char]))
    utf16 = char.encode("utf-16-be", "surrogatepass")
    units = [utf16[i : i + 2].hex() for i in range(0, len(utf16), 2)]
    forms.append("".join(rf"\\u{_either_case(unit)}" for unit in units))
    forms.append(
        "".join(f"%{_either_case(f'{byte:02x}')}" for byte in char.encode("utf-8", "surrogatepass"))
    )
    if char == " ":
        forms.append(r"\+")
    return "(?:" + "|".join(forms) + ")"


@functools.lru_cache(maxsize=64)
def _spellings(secrets: frozenset[str]) -> re.Pattern[str] | None:
    """One pattern for every spelling of every secret, the longest secrets first."""
    if not secrets:
        return None
    ordered = sorted(secrets, key=lambda secret: (-len(secret), secret))
    return re.compile("|".join("".join(map(_character, secret)) for secret in ordered))


# Bidi controls reorder what a terminal shows; line and paragraph separators break lines.
_INVISIBLE = frozenset("\u061c\u200e\u200f\u2028\u2029") | frozenset(
    map(chr, range(0x202A, 0x202F))
)
_INVISIBLE |= frozenset(map(chr, range(0x2066, 0x206A)))


def printable(text: str) -> str:
    """``text`` with every control character (C0, C1, DEL), bidi control, line separator and
    lone surrogate shown as an escape (``\\x1b``, ``\\u202e``): safe to show in a terminal."""
    if text.isprintable() and text.isascii():
        return text
    return "".join(_shown(char) for char in text)


def _shown(char: str) -> str:
    code = ord(char)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"\\x{code:02x}"
    if char in _INVISIBLE or unicodedata.category(char) == "Cs":
        return f"\\u{code:04x}"
    return char


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
