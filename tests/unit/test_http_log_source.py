"""HttpLogSource over requests, answered by responses: statuses, faults, limits, cursors."""

from __future__ import annotations

import base64
import io
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses

from vault.adapters.http_log_source import HttpLogSource
from vault.errors import PayloadTooLarge, SourceRejected, TransientSourceError

BASE = "https://logs.example.test/api/"
URL = "https://logs.example.test/api/logs"


@pytest.fixture
def api() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def source() -> Iterator[HttpLogSource]:
    with requests.Session() as session:
        yield HttpLogSource(session, BASE, timeout=(1.0, 2.0))


def test_the_first_page_is_the_body_as_served(api: Any, source: HttpLogSource) -> None:
    api.get(URL, body=b'{"logs":[]}', match=[responses.matchers.query_string_matcher("")])
    assert source.fetch_page(None, 100) == b'{"logs":[]}'


def test_the_cursor_travels_encoded_in_the_query(api: Any, source: HttpLogSource) -> None:
    api.get(URL, body=b"{}", match=[responses.matchers.query_param_matcher({"cursor": "a b&c=/"})])
    source.fetch_page("a b&c=/", 100)
    assert api.calls[0].request.url == URL + "?cursor=a+b%26c%3D%2F"


def test_every_request_has_a_timeout(api: Any, source: HttpLogSource) -> None:
    api.get(
        URL, body=b"{}", match=[responses.matchers.request_kwargs_matcher({"timeout": (1.0, 2.0)})]
    )
    source.fetch_page(None, 100)


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_transient_statuses_are_retryable(api: Any, source: HttpLogSource, status: int) -> None:
    api.get(URL, status=status)
    with pytest.raises(TransientSourceError, match=f"HTTP {status}") as caught:
        source.fetch_page(None, 100)
    assert caught.value.retry_after is None


@pytest.mark.parametrize("status", [201, 204, 301, 400, 401, 403, 404, 410, 501, 505])
def test_other_statuses_are_rejected(api: Any, source: HttpLogSource, status: int) -> None:
    api.get(URL, status=status)
    with pytest.raises(SourceRejected) as caught:
        source.fetch_page(None, 100)
    assert (caught.value.status, caught.value.code) == (status, "SOURCE_REJECTED")


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("12", 12.0),
        (" 3 ", 3.0),
        ("Wed, 21 Oct 2026 07:28:00 GMT", None),
        ("soon", None),
        ("²", None),  # str.isdigit() says yes, float() says no
        ("١٢", None),
    ],
)
def test_retry_after_in_seconds_is_read(
    api: Any, source: HttpLogSource, header: str, seconds: float | None
) -> None:
    api.get(URL, status=503, headers={"Retry-After": header})
    with pytest.raises(TransientSourceError) as caught:
        source.fetch_page(None, 100)
    assert caught.value.retry_after == seconds


@pytest.mark.parametrize(
    "fault",
    [
        requests.exceptions.ConnectTimeout("connect timed out"),
        requests.exceptions.ReadTimeout("read timed out"),
        requests.exceptions.ConnectionError("connection reset by peer"),
        requests.exceptions.ChunkedEncodingError("connection broken mid-body"),
    ],
    ids=lambda fault: type(fault).__name__,
)
def test_network_faults_are_retryable(api: Any, source: HttpLogSource, fault: Exception) -> None:
    api.get(URL, body=fault)
    with pytest.raises(TransientSourceError):
        source.fetch_page(None, 100)


def test_a_declared_length_over_the_limit_is_refused_unread(
    api: Any, source: HttpLogSource
) -> None:
    api.get(URL, body=b"x" * 101, auto_calculate_content_length=True)
    with pytest.raises(
        PayloadTooLarge, match=r"declared 101 bytes \(Content-Length\), over the limit of 100 bytes"
    ):
        source.fetch_page(None, 100)


def test_a_streamed_body_is_cut_off_past_the_limit(api: Any, source: HttpLogSource) -> None:
    raw = _CountingBytes(b"x" * 1_000_000)
    api.get(
        URL, body=io.BufferedReader(raw)
    )  # no Content-Length: the limit must hold while reading
    with pytest.raises(PayloadTooLarge, match="over the limit of 100000 bytes"):
        source.fetch_page(None, 100_000)
    assert raw.bytes_read < 200_000, "read far past the limit before giving up"


class _CountingBytes(io.BytesIO):
    bytes_read = 0

    def readinto(self, buffer: Any) -> int:
        count = super().readinto(buffer)
        self.bytes_read += count
        return count


def test_a_body_exactly_at_the_limit_is_read(api: Any, source: HttpLogSource) -> None:
    api.get(URL, body=b"y" * 100)
    assert source.fetch_page(None, 100) == b"y" * 100


def test_only_the_logs_endpoint_is_asked(api: Any, source: HttpLogSource) -> None:
    api.get(re.compile(r".*"), body=b"{}")
    source.fetch_page(None, 10)
    assert api.calls[0].request.method == "GET"
    assert api.calls[0].request.url == URL


def test_the_body_is_trusted_not_the_content_type(api: Any, source: HttpLogSource) -> None:
    # A decision: the vault validates the bytes themselves, whatever the header claims.
    api.get(URL, body=b'{"logs":[]}', content_type="text/html; charset=latin-1")
    assert source.fetch_page(None, 100) == b'{"logs":[]}'


def test_a_query_string_in_the_base_url_stays_in_the_query(api: Any) -> None:
    api.get(URL, body=b'{"next_cursor":"c2"}')
    api.get(URL, body=b"{}")
    with requests.Session() as session:
        source = HttpLogSource(session, "https://logs.example.test/api/?tenant=acme&token=t")
        source.fetch_page(None, 100)
        source.fetch_page("a b&c", 100)
    assert [call.request.url for call in api.calls] == [
        URL + "?tenant=acme&token=t",
        URL + "?tenant=acme&token=t&cursor=a+b%26c",
    ]


class _SlowBytes(io.BytesIO):
    """A body that arrives one byte every 50 ms."""

    def readinto(self, buffer: Any) -> int:
        time.sleep(0.05)
        return super().readinto(memoryview(buffer)[:1])


def test_one_deadline_bounds_the_whole_request_body_included(api: Any) -> None:
    api.get(URL, body=io.BufferedReader(_SlowBytes(b"x" * 200), buffer_size=1))
    with requests.Session() as session:
        source = HttpLogSource(session, BASE, timeout=(1.0, 0.3))
        started = time.monotonic()
        with pytest.raises(TransientSourceError, match=r"^timeout: .* within 0.3 s"):
            source.fetch_page(None, 1000)
    assert time.monotonic() - started < 0.6


@pytest.mark.parametrize(
    "target",
    ["http://[::1", "https://[zz]/", "\xe9", "€"],
    ids=["unclosed-bracket", "not-an-address-in-brackets", "latin-1-byte", "not-latin-1"],
)
def test_a_redirect_to_an_address_requests_cannot_parse_is_a_rejection(
    api: Any, source: HttpLogSource, target: str
) -> None:
    # requests works out where a redirect leads even when it follows none, and raises
    # ValueError (or a Unicode error) on a Location it cannot parse: the answer is still a 302.
    api.get(URL, status=302, headers={"Location": target})
    with pytest.raises(SourceRejected) as caught:
        source.fetch_page(None, 100)
    assert caught.value.status == 302
    assert str(caught.value) == (
        f"SOURCE_REJECTED: HTTP 302 redirect from {URL} to {target}: the vault follows no redirect"
    )


class Unreadable(io.RawIOBase):
    """A body that fails the test if anybody reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise AssertionError("the body of a redirect was read")


def test_a_redirects_body_is_never_read(api: Any, source: HttpLogSource) -> None:
    # requests reads a redirect's whole body to work out where it leads, even when it follows
    # none: a 302 with a body of any size, or one that never ends, would be read to the end.
    body = io.BufferedReader(Unreadable())
    api.get(URL, status=302, headers={"Location": "https://elsewhere.test/"}, body=body)
    with pytest.raises(SourceRejected) as caught:
        source.fetch_page(None, 100)
    assert caught.value.status == 302


@pytest.mark.parametrize(
    ("userinfo", "sent"),
    [
        ("vault:Kestrel-Harbour-42", b"vault:Kestrel-Harbour-42"),
        # Percent-encoded UTF-8 is sent as those bytes, as RFC 7617's charset has it (requests
        # alone decodes the URL's userinfo and encodes it again as Latin-1: b"\xfc" for "ü").
        ("vault:p%40ss%3Aw%2Frd%25Zulu%20%C3%BC%3F%23%26", "vault:p@ss:w/rd%Zulu ü?#&".encode()),
        # Characters Latin-1 lacks (requests alone: UnicodeEncodeError, the vault's exit 70).
        (
            "vault:%E3%83%91%E3%82%B9%E3%83%AF%E3%83%BC%E3%83%89-Kilo-7",
            "vault:パスワード-Kilo-7".encode(),
        ),
        ("vault:パスワード-Kilo-7", "vault:パスワード-Kilo-7".encode()),  # not percent-encoded
        ("user%3Aname", b"user:name:"),  # a user and no password
        ("vault:", b"vault:"),
    ],
    ids=["ascii", "latin-1", "japanese", "raw-utf-8", "no-password", "empty-password"],
)
def test_the_userinfo_is_sent_as_basic_credentials_in_the_bytes_it_encodes(
    api: Any, userinfo: str, sent: bytes
) -> None:
    api.get(URL, body=b"{}")
    with requests.Session() as session:
        HttpLogSource(session, f"https://{userinfo}@logs.example.test/api/").fetch_page(None, 9)
    request = api.calls[0].request
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(sent).decode()
    assert request.url == URL  # the credentials travel in the header only


def test_a_url_without_userinfo_sends_no_credentials(api: Any, source: HttpLogSource) -> None:
    api.get(URL, body=b"{}")
    source.fetch_page(None, 9)
    assert "Authorization" not in api.calls[0].request.headers
