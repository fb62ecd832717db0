"""Whether a text shows a value: as it is, through any JSON string escape, or percent-encoded.

The output is decoded, not the value encoded: a vault may escape any character of a secret
(``\\u0041`` for ``A``), in either case, and still show it.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, unquote_plus

_JSON_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[\"\\/bfnrt])")
_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def json_unescaped(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        escape = match.group(1)
        return chr(int(escape[1:], 16)) if escape[0] == "u" else _SIMPLE[escape]

    decoded = _JSON_ESCAPE.sub(one, text)
    # A character outside the BMP is escaped as a surrogate pair: join the pair again.
    return decoded.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def shown_form(text: str, value: str) -> str | None:
    """How ``text`` shows ``value`` ("as it is", "JSON-escaped", "percent-encoded"), or None."""
    if not value:
        return None
    forms = (
        ("as it is", text),
        ("JSON-escaped", json_unescaped(text)),
        ("percent-encoded", unquote(text, errors="replace")),
        ("percent-encoded, a space as +", unquote_plus(text, errors="replace")),
        ("JSON-escaped, then percent-encoded", unquote(json_unescaped(text), errors="replace")),
    )
    return next((name for name, decoded in forms if value in decoded), None)
