"""Pages a hostile log API may serve (issue 21, language v3): typed errors, never a crash."""

from __future__ import annotations

import json
import tracemalloc
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
import responses
import urllib3

from tests.unit.fakes import FakeLogSource, Rig
from vault.adapters.http_log_source import HttpLogSource
from vault.errors import InvalidPayload, PageLimitReached, PayloadTooLarge, SourceUnavailable
from vault.payload import parse_page

LIMIT = 1 << 20
LOGS = "https://logs.example.test/logs"
HUGE = "9" * 5000  # over int()'s 4,300 digits


@pytest.mark.parametrize(
    "number",
    [HUGE, "-" + HUGE, "1e999", "-1e999", HUGE + "." + HUGE, "1" + "0" * 400 + ".5e-9999"],
    ids=[
        "huge-int",
        "huge-negative-int",
        "overflowing-float",
        "-overflowing-float",
        "long",
        "tiny",
    ],
)
def test_a_number_too_large_for_a_double_is_valid_json_kept_as_served(number: str) -> None:
    body = f'{{"logs":[{{"n":{number}}},{{"m":[{number}]}}]}}'.encode()
    page = parse_page(body, LIMIT)
    assert (page.body, page.log_count) == (body, 2)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'{"logs":[{"a":1,"\\u0061":2}]}', "duplicate key 'a'"),
        (b'{"logs":[],"next_cursor":"x","next_\\u0063ursor":"y"}', "duplicate key 'next_cursor'"),
        (b'{"logs":[{"a":{"b":[{"c":1,"c":1}]}}]}', "duplicate key 'c'"),
        (b'{"logs":[{"a":[NaN]}]}', "NaN is not valid JSON"),
        (b'{"logs":[{"a":Infinity}]}', "Infinity is not valid JSON"),
        (b'{"logs":[],"next_cursor":' + HUGE.encode() + b"}", "found a JSON number"),
        (b'{"logs":[],"next_cursor":1.5}', "found a JSON number"),
        (b'{"logs":[],"next_cursor":{}}', "found a JSON object"),
        (b'{"logs":' + HUGE.encode() + b"}", '"logs" must be an array, found a JSON number'),
        (b'{"logs":[{},' + HUGE.encode() + b"]}", "entry 1 is a JSON number, not an object"),
        (b'{"logs":[{},{},[]]}', "entry 2 is a JSON array, not an object"),
        (b"[{}]", "body is a JSON array, not an object"),
        (HUGE.encode(), "body is a JSON number, not an object"),
    ],
)
def test_a_page_that_breaks_a_v3_rule_is_invalid(body: bytes, says: str) -> None:
    with pytest.raises(InvalidPayload, match=says.replace("[", r"\[")):
        parse_page(body, LIMIT)


def test_a_duplicate_key_is_quoted_safely_and_briefly() -> None:
    key = "\x1b]0;pwned\x07\u202e" + "k" * 10_000
    body = f'{{"logs":[],{json.dumps(key)}:1,{json.dumps(key)}:2}}'.encode()
    with pytest.raises(InvalidPayload) as caught:
        parse_page(body, LIMIT)
    message = caught.value.message
    assert message.isprintable(), message
    assert "\\x1b]0;pwned\\x07\\u202e" in message
    assert len(message) < 200


@pytest.mark.parametrize("cursor", ["\\udc80", "ok\\ud800", "\\udfff\\ud800"])
def test_a_cursor_no_url_can_carry_is_invalid_and_its_page_is_not_kept(cursor: str) -> None:
    body = f'{{"logs":[{{"id":"a"}}],"next_cursor":"{cursor}"}}'.encode()
    with pytest.raises(InvalidPayload, match="lone surrogate") as caught:
        parse_page(body, LIMIT)
    assert caught.value.message.isprintable()


def test_a_paired_surrogate_in_a_cursor_is_an_ordinary_character() -> None:
    page = parse_page(b'{"logs":[],"next_cursor":"\\ud83d\\ude00"}', LIMIT)
    assert page.next_cursor == "\U0001f600"


def test_a_control_character_in_a_string_is_named_once() -> None:
    with pytest.raises(InvalidPayload) as caught:
        parse_page(b'{"logs":[{"a":"\x01"}]}', LIMIT)
    assert caught.value.message == (
        "body is not JSON (Invalid control character at line 1 column 16)"
    )


def test_a_page_of_empty_entries_costs_at_most_8_times_its_size() -> None:
    # About 100 KiB, 35,001 entries: the cost grows with the entries (a dict each would be 28
    # times the page), so a page ten times larger costs the same multiple, in ten times the time.
    body = b'{"logs":[' + b"{}," * 35_000 + b"{}]}"
    tracemalloc.start()
    try:
        page = parse_page(body, 10 * LIMIT)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert page.log_count == 35_001
    assert peak <= 8 * len(body), f"peak {peak:,} bytes for a page of {len(body):,} bytes"


# The service ---------------------------------------------------------------------------------
def loop(count: int, back_to: int) -> dict[str | None, list[Any]]:
    """Pages 1..count, one entry each; the last names the cursor of page ``back_to`` again."""
    cursors: list[str | None] = [None, *(f"c{n}" for n in range(2, count + 1))]
    pages: dict[str | None, list[Any]] = {}
    for number, cursor in enumerate(cursors, start=1):
        following = cursors[back_to - 1] if number == count else cursors[number]
        pages[cursor] = [json.dumps({"logs": [{"n": number}], "next_cursor": following}).encode()]
    return pages


@pytest.mark.parametrize(("count", "back_to"), [(3, 2), (2, 2), (5, 3)])
def test_a_repeated_cursor_fails_after_its_page_is_archived_and_is_never_requested(
    count: int, back_to: int
) -> None:
    rig = Rig(source=FakeLogSource(loop(count, back_to)))
    with pytest.raises(InvalidPayload, match=f"c{back_to}") as caught:
        rig.service().run()
    assert rig.source.calls == [None, *(f"c{n}" for n in range(2, count + 1))]
    assert len(rig.archive.objects) == len(rig.audit_log.records) == count
    assert (caught.value.page, caught.value.progress.pages_archived) == (count, count)  # type: ignore[union-attr]


def test_a_repeated_cursor_is_checked_before_the_page_limit() -> None:
    rig = Rig(source=FakeLogSource(loop(3, 2)), max_pages=3)
    with pytest.raises(InvalidPayload):
        rig.service().run()
    limited = Rig(source=FakeLogSource(loop(4, 2)), max_pages=3)
    with pytest.raises(PageLimitReached):
        limited.service().run()


def test_a_long_repeated_cursor_is_named_briefly() -> None:
    cursor = "\x1b[2K" + "z" * 60_000
    pages: dict[str | None, list[Any]] = {
        None: [json.dumps({"logs": [], "next_cursor": cursor}).encode()],
        cursor: [json.dumps({"logs": [], "next_cursor": cursor}).encode()],
    }
    with pytest.raises(InvalidPayload) as caught:
        Rig(source=FakeLogSource(pages)).service().run()
    assert caught.value.message.isprintable()
    assert "\\x1b[2Kzzz" in caught.value.message
    assert len(caught.value.message) < 300


class Cursors(FakeLogSource):
    """``pages`` pages, each with one entry and a new cursor of ``size`` characters."""

    def __init__(self, pages: int, size: int) -> None:
        super().__init__()
        self.last, self.size = pages, size

    def fetch_page(self, cursor: str | None, max_bytes: int) -> bytes:
        number = 1 if cursor is None else int(cursor[: cursor.index("-")])
        following = f"{number + 1}-".ljust(self.size, "c") if number < self.last else None
        return json.dumps({"logs": [{"n": number}], "next_cursor": following}).encode()


def cursor_peak(pages: int) -> int:
    rig = Rig(source=Cursors(pages, 60 * 1024), max_pages=pages)
    rig.archive.store = lambda key, body, sha256_hex: None  # type: ignore[method-assign]
    rig.audit_log.record = lambda entry: True  # type: ignore[method-assign]
    service = rig.service()
    tracemalloc.start()
    try:
        assert service.run().pages_archived == pages
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_cursors_followed_cost_no_memory_that_grows_with_their_size() -> None:
    few, many = cursor_peak(20), cursor_peak(200)
    assert many <= 1.2 * few, f"{many:,} bytes for 200 pages vs {few:,} for 20"


def test_every_record_of_one_run_carries_the_time_it_started() -> None:
    ticks = iter(datetime(2026, 3, 1, 12, tzinfo=UTC) + timedelta(seconds=s) for s in range(99))
    rig = Rig(source=FakeLogSource(loop(4, 2)), clock=lambda: next(ticks))
    with pytest.raises(InvalidPayload):
        rig.service().run()
    stamps = {record.timestamp for record in rig.audit_log.records.values()}
    assert stamps == {datetime(2026, 3, 1, 12, tzinfo=UTC)}


# The HTTP adapter ---------------------------------------------------------------------------
@pytest.mark.parametrize("declared", ["9" * 5000, "0" * 5000 + "101", "1" + "0" * 30])
def test_a_content_length_of_any_length_over_the_limit_is_too_large(declared: str) -> None:
    with responses.RequestsMock() as api, requests.Session() as session:
        api.get(LOGS, body=b"{}", headers={"Content-Length": declared})
        source = HttpLogSource(session, "https://logs.example.test", timeout=(1.0, 2.0))
        with pytest.raises(PayloadTooLarge, match="over the limit of 100 bytes") as caught:
            source.fetch_page(None, 100)
    assert len(caught.value.message) < 200


def test_a_content_length_padded_with_zeros_within_the_limit_is_read() -> None:
    with responses.RequestsMock() as api, requests.Session() as session:
        api.get(LOGS, body=b"{}", headers={"Content-Length": "0" * 5000 + "2"})
        source = HttpLogSource(session, "https://logs.example.test", timeout=(1.0, 2.0))
        assert source.fetch_page(None, 100) == b"{}"


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        (requests.exceptions.ReadTimeout("x"), "timed out"),
        (requests.exceptions.ConnectTimeout("x"), "timed out"),
        (urllib3.exceptions.ReadTimeoutError(None, "u", "x"), "timed out"),  # type: ignore[arg-type]
        (requests.exceptions.ConnectionError("x"), "dropped"),
        (urllib3.exceptions.ProtocolError("x"), "dropped"),
        (requests.exceptions.ChunkedEncodingError("x"), "dropped"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else value,
)
def test_a_source_message_says_timed_out_or_dropped_in_those_words(
    fault: Exception, words: str
) -> None:
    with responses.RequestsMock() as api, requests.Session() as session:
        api.get(LOGS, body=fault)
        source = HttpLogSource(session, "https://logs.example.test", timeout=(1.0, 2.0))
        rig = Rig(source=source, max_attempts=2)  # type: ignore[arg-type]
        with pytest.raises(SourceUnavailable) as caught:
            rig.service().run()
    assert str(caught.value).startswith("SOURCE_UNAVAILABLE: page 1: GET first page failed 2")
    assert words in caught.value.message.split("; last: ", 1)[1]
