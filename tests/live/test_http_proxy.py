"""The forwarding proxy over real sockets: requests pass verbatim unless intercepted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from livestack import LogApiServer, Reply, Request, Respond
from livestack.http_proxy import ForwardingProxy

pytestmark = pytest.mark.live


class Upstream:
    def __init__(self) -> None:
        self.seen: list[Request] = []

    def __call__(self, request: Request) -> Reply:
        self.seen.append(request)
        return Respond(201, {"Content-Length": "5", "ETag": '"abc"'}, b"moto!")


@pytest.fixture
def upstream() -> Upstream:
    return Upstream()


@pytest.fixture
def proxy(upstream: Upstream) -> Iterator[ForwardingProxy]:
    server = LogApiServer(upstream).start()
    port = int(server.url.rsplit(":", 1)[1])

    def intercept(request: Request) -> Respond | None:
        if request.target.startswith("/refused"):
            return Respond(503, {"Content-Length": "4"}, b"busy")
        return None

    forwarding = ForwardingProxy(port, intercept, "test").start()
    yield forwarding
    forwarding.stop()
    server.stop()


def test_forwards_the_request_verbatim_and_relays_the_answer(
    proxy: ForwardingProxy, upstream: Upstream
) -> None:
    with requests.Session() as session:
        for _ in range(2):  # the second over the same connections, both sides
            answer = session.put(
                f"{proxy.url}/bucket/key.json?x-id=PutObject",
                data=b"payload",
                headers={"Host": "signed-host:9000", "Authorization": "AWS4-HMAC-SHA256 sig"},
                timeout=2,
            )
            assert (answer.status_code, answer.content) == (201, b"moto!")
            assert answer.headers["ETag"] == '"abc"'

    request = upstream.seen[-1]
    assert (request.method, request.target) == ("PUT", "/bucket/key.json?x-id=PutObject")
    assert request.headers["Host"] == "signed-host:9000"
    assert request.headers["Authorization"] == "AWS4-HMAC-SHA256 sig"
    assert request.body == b"payload"


def test_a_chunked_body_is_forwarded_with_its_framing(
    proxy: ForwardingProxy, upstream: Upstream
) -> None:
    answer = requests.put(f"{proxy.url}/b/k", data=iter([b"ab", b"cde"]), timeout=2)

    assert answer.status_code == 201
    assert upstream.seen[0].headers["Transfer-Encoding"] == "chunked"
    assert upstream.seen[0].body == b"2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n"


def test_an_intercepted_request_never_reaches_the_upstream(
    proxy: ForwardingProxy, upstream: Upstream
) -> None:
    answer = requests.put(f"{proxy.url}/refused/key", data=b"x", timeout=2)

    assert (answer.status_code, answer.content) == (503, b"busy")
    assert upstream.seen == []
