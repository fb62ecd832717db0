"""What counts as a valid page, and the reason a user is given when it is not."""

from __future__ import annotations

import pytest

from vault.errors import InvalidPayload, PayloadTooLarge
from vault.payload import parse_page

LIMIT = 1024


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "body is empty"),
        (b"not json", "body is not JSON"),
        (b'{"logs": [', "body is not JSON"),
        (b"\xff\xfe{}", "not valid UTF-8"),
        (b'\xef\xbb\xbf{"logs":[]}', "body is not JSON"),
        (b'{"logs":[{"m":"\xc3"}]}', "not valid UTF-8"),
        (b"[]", "JSON array, not an object"),
        (b'"x"', "JSON string, not an object"),
        (b"1.5", "JSON number, not an object"),
        (b"true", "JSON boolean, not an object"),
        (b"null", "JSON null, not an object"),
        (b"{}", '"logs" must be an array, found missing'),
        (b'{"logs": null}', '"logs" must be an array, found a JSON null'),
        (b'{"logs": "x"}', '"logs" must be an array, found a JSON string'),
        (b'{"logs": [1]}', "entry 0 is a JSON number"),
        (b'{"logs": [{}, []]}', "entry 1 is a JSON array"),
        (b'{"logs": [], "logs": []}', "duplicate key 'logs'"),
        (b'{"logs": [{"a": 1, "a": 2}]}', "duplicate key 'a'"),
        (b'{"logs": [{"a": NaN}]}', "NaN is not valid JSON"),
        (b'{"logs": [{"a": -Infinity}]}', "-Infinity is not valid JSON"),
        (b'{"logs": [], "next_cursor": 5}', '"next_cursor" must be a non-empty string'),
        (b'{"logs": [], "next_cursor": ""}', '"next_cursor" must be a non-empty string'),
        (b"[" * 100_000 + b"]" * 100_000, "levels deep, over the limit of 512"),
    ],
)
def test_invalid_bodies_are_refused_with_the_reason(body: bytes, reason: str) -> None:
    with pytest.raises(InvalidPayload) as caught:
        parse_page(body, max_bytes=len(body) + 1)
    assert reason in caught.value.message
    assert caught.value.code == "INVALID_PAYLOAD"


def test_a_body_over_the_limit_is_too_large() -> None:
    body = b'{"logs":[]}'
    with pytest.raises(PayloadTooLarge, match="11 bytes, over the limit of 10 bytes"):
        parse_page(body, max_bytes=10)
    assert parse_page(body, max_bytes=11).log_count == 0


def test_a_valid_page_keeps_its_exact_bytes() -> None:
    body = '{ "logs":[{"$set":{"x":1}},{"msg":"caf\\u00e9 ☕"}], "next_cursor":"p 2/?&" }'.encode()
    page = parse_page(body, LIMIT)
    assert page.body is body
    assert (page.log_count, page.next_cursor) == (2, "p 2/?&")
    assert page.key == f"logs/{page.sha256}.json"


def test_a_null_cursor_ends_the_pull() -> None:
    assert parse_page(b'{"logs":[],"next_cursor":null}', LIMIT).next_cursor is None
