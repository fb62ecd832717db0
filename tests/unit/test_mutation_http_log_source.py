"""vault/adapters/http_log_source.py: how a declared Content-Length over the limit is shown to
the operator. Written to close the fast selection's survivors (tests/mutation/survivors.toml)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
import responses

from vault.adapters.http_log_source import HttpLogSource
from vault.errors import PayloadTooLarge

URL = "https://logs.example.test/api/logs"


@pytest.fixture
def source() -> Iterator[HttpLogSource]:
    with requests.Session() as session:
        yield HttpLogSource(session, "https://logs.example.test/api", timeout=(1.0, 2.0))


def _declared(source: HttpLogSource, content_length: str, limit: int) -> str:
    with responses.RequestsMock() as api:
        api.get(URL, body=b"{}", headers={"Content-Length": content_length})
        with pytest.raises(PayloadTooLarge) as caught:
            source.fetch_page(None, limit)
    return caught.value.message


@pytest.mark.parametrize(
    ("content_length", "shown"),
    [
        ("1000", "1000"),  # zeros at the end are the number's own
        ("000123", "123"),  # zeros in front are not
        ("9" * 20, "9" * 20),  # the longest number shown digit by digit
        ("9" * 21, "a 21-digit number of"),
        ("00" + "1" * 20, "1" * 20),
    ],
)
def test_a_declared_length_is_shown_as_the_number_it_is(
    source: HttpLogSource, content_length: str, shown: str
) -> None:
    assert _declared(source, content_length, 100) == (
        f"the log API declared {shown} bytes (Content-Length), over the limit of 100 bytes"
    )


@pytest.mark.parametrize("content_length", ["0", "000"])
def test_a_declared_length_of_zero_is_shown_as_0(
    source: HttpLogSource, content_length: str
) -> None:
    # The adapter takes any limit: below 0, even an empty body is over it.
    assert _declared(source, content_length, -1) == (
        "the log API declared 0 bytes (Content-Length), over the limit of -1 bytes"
    )
