"""Redaction at its edges: secrets outside the Basic Multilingual Plane or holding bytes that are
not UTF-8, credentials written percent-encoded, and the last C1 control. (Written against the
fast selection's surviving mutants of vault/redaction.py: each test pins what one of them
changed.)"""

from __future__ import annotations

import json
import os
import re
from urllib.parse import quote

import pytest

from vault.redaction import printable, redact, secrets_in

# A secret with a character beyond U+FFFF: JSON and Java write it as two \u escapes, a pair of
# UTF-16 surrogates.
ASTRAL = "vault-\U0001f511-key"
# A setting holding bytes that are not UTF-8: Python reads it with a lone surrogate (PEP 383).
NOT_UTF8 = os.fsdecode(b"pass\xffword")


@pytest.mark.parametrize(
    "spelled",
    [
        json.dumps(ASTRAL)[1:-1],  # vault-\ud83d\udd11-key
        re.sub(r"(?<=\\u)[0-9a-f]{4}", lambda unit: unit[0].upper(), json.dumps(ASTRAL)[1:-1]),
        quote(ASTRAL),
        ASTRAL,
    ],
    ids=["json", "json-capitals", "percent", "as-is"],
)
def test_a_secret_beyond_the_basic_plane_is_hidden_in_each_spelling(spelled: str) -> None:
    assert redact(f"refused {spelled}!", {ASTRAL}) == "refused ***!"


@pytest.mark.parametrize(
    "spelled",
    [
        NOT_UTF8,
        json.dumps(NOT_UTF8)[1:-1],  # pass\udcffword
        quote(NOT_UTF8, errors="surrogatepass"),  # pass%ED%B3%BFword
    ],
    ids=["as-is", "json", "percent"],
)
def test_a_secret_holding_bytes_that_are_not_utf8_is_hidden_in_each_spelling(
    spelled: str,
) -> None:
    assert redact(f"refused {spelled}!", {NOT_UTF8}) == "refused ***!"


def test_a_credential_is_found_as_written_and_percent_decoded() -> None:
    env = {"VAULT_MONGO_URI": "mongodb://auditor:p%40ss-w0rd@127.0.0.1:27017/"}
    assert secrets_in(env) == {"p%40ss-w0rd", "p@ss-w0rd"}


def test_a_credential_whose_percent_encoding_is_not_utf8_is_hidden_as_written() -> None:
    """Decoded, %ff becomes U+FFFD: only the credential as written matches the text."""
    env = {"AWS_ENDPOINT_URL": "http://minio:key%ff%fe-2024@127.0.0.1:9000"}
    assert redact("signature of key%ff%fe-2024 refused", secrets_in(env)) == (
        "signature of *** refused"
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("apc\x9f", "apc\\x9f"),  # the last C1 control
        ("nbsp\xa0here", "nbsp\xa0here"),  # the first character after them: printable
    ],
)
def test_c1_controls_end_at_u009f(text: str, shown: str) -> None:
    assert printable(text) == shown
