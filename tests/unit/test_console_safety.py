"""What reaches the console is safe to show: a secret in none of its spellings (as it is,
JSON-escaped, percent-encoded), and outside text with its control characters made visible."""

from __future__ import annotations

import json
from urllib.parse import quote, quote_plus

import pytest

from vault.redaction import printable, redact

SECRET = 'pa"ss\\wö/rd +x'


def json_forms(secret: str) -> list[str]:
    plain = json.dumps(secret, ensure_ascii=False)[1:-1]
    ascii_only = json.dumps(secret)[1:-1]
    return [plain, ascii_only, ascii_only.replace("\\u00f6", "\\u00F6"), plain.replace("/", "\\/")]


def percent_forms(secret: str) -> list[str]:
    upper = quote(secret, safe="")
    return [upper, upper.lower(), quote_plus(secret, safe=""), quote_plus(secret, safe="").lower()]


@pytest.mark.parametrize("form", [SECRET, *json_forms(SECRET), *percent_forms(SECRET)])
def test_a_secret_is_hidden_in_every_spelling(form: str) -> None:
    shown = redact(f"before {form} after", [SECRET])
    assert shown == "before *** after", shown


def test_every_character_may_be_spelled_its_own_way() -> None:
    mixed = "p%61\\u0073s"  # "pass" with one letter percent-encoded and one JSON-escaped
    assert redact(f"[{mixed}]", ["pass"]) == "[***]"


def test_text_that_only_looks_like_a_secret_stays() -> None:
    assert redact("pa%22sX and pa ss", ['pa"ss']) == "pa%22sX and pa ss"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b]0;owned\x07", "\\x1b]0;owned\\x07"),
        ("a\rb\nc\td\x00", "a\\x0db\\x0ac\\x09d\\x00"),
        ("del\x7f c1\x9b", "del\\x7f c1\\x9b"),
        (
            "\u202eevil\u202c \u2066x\u2069 \u200e\u200f\u061c",
            "\\u202eevil\\u202c \\u2066x\\u2069 \\u200e\\u200f\\u061c",
        ),
        ("lone \udc80", "lone \\udc80"),
        ("line\u2028sep", "line\\u2028sep"),
        ("café ☃ 日本", "café ☃ 日本"),
    ],
)
def test_control_and_bidi_characters_are_shown_escaped(text: str, shown: str) -> None:
    assert printable(text) == shown
