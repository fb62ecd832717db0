"""The live log API over real sockets: what a client sees for each kind of reply."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import requests
import urllib3

from livestack import Drop, Hang, LogApiServer, Reply, Request, Respond, Trickle

pytestmark = pytest.mark.live


class Script:
    """Answers every request with `reply` and keeps what it was asked."""

    def __init__(self) -> None:
        self.reply: Reply = Respond(200, {"Content-Length": "2"}, b"{}")
        self.seen: list[Request] = []

    def __call__(self, request: Request) -> Reply:
        self.seen.append(request)
        return self.reply


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
def api(script: Script) -> Iterator[LogApiServer]:
    server = LogApiServer(script).start()
    yield server
    server.stop()


def test_answers_exactly_what_the_decider_says(api: LogApiServer, script: Script) -> None:
    body = b'{"logs": []}'
    script.reply = Respond(
        429,
        {"Content-Type": "application/json", "Content-Length": str(len(body)), "Retry-After": "3"},
        body,
    )

    answer = requests.get(f"{api.url}/logs?cursor=a%20b", auth=("vault", "s3cret-pw"), timeout=2)

    assert (answer.status_code, answer.content) == (429, body)
    assert answer.headers["Retry-After"] == "3"
    assert answer.headers["Date"].endswith("GMT")  # added when the decider gives none
    request = script.seen[0]
    assert (request.method, request.target) == ("GET", "/logs?cursor=a%20b")
    assert request.headers["authorization"].startswith("Basic ")


def test_a_redirect_keeps_its_location_and_the_date_given(
    api: LogApiServer, script: Script
) -> None:
    date = "Tue, 01 Dec 2026 17:00:00 GMT"
    script.reply = Respond(302, {"Location": "/elsewhere", "Content-Length": "0", "Date": date})

    answer = requests.get(f"{api.url}/logs", allow_redirects=False, timeout=2)

    assert (answer.status_code, answer.headers["Location"]) == (302, "/elsewhere")
    assert answer.headers["Date"] == date


def test_keep_alive_serves_a_session_over_one_connection(api: LogApiServer, script: Script) -> None:
    ports = []
    with requests.Session() as session:
        for _ in range(3):
            answer = session.get(f"{api.url}/logs", timeout=2, stream=True)
            ports.append(answer.raw.connection.sock.getsockname()[1])
            answer.content  # noqa: B018 - read the body so the connection is reused

    assert len(script.seen) == 3
    assert len(set(ports)) == 1


def test_a_drop_is_a_connection_error(api: LogApiServer, script: Script) -> None:
    script.reply = Drop()

    with pytest.raises(requests.ConnectionError):
        requests.get(f"{api.url}/logs", timeout=2)


def test_a_hang_is_held_until_the_client_times_out(api: LogApiServer, script: Script) -> None:
    script.reply = Hang(30)

    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(f"{api.url}/logs", timeout=0.3)

    assert 0.3 <= time.monotonic() - started < 2


def test_a_trickle_sends_headers_then_times_out_on_the_body(
    api: LogApiServer, script: Script
) -> None:
    script.reply = Trickle(
        200, {"Content-Type": "application/json", "Content-Length": "100"}, b'{"logs": ['
    )

    answer = requests.get(f"{api.url}/logs", timeout=0.3, stream=True)
    assert answer.status_code == 200
    assert answer.raw.read(10) == b'{"logs": ['
    with pytest.raises(requests.exceptions.ConnectionError, match="timed out"):
        answer.content  # noqa: B018 - the body read is what times out


def test_a_dripping_trickle_beats_a_timeout_per_read_but_never_ends(
    api: LogApiServer, script: Script
) -> None:
    script.reply = Trickle(
        200,
        {"Content-Type": "application/json", "Content-Length": "100"},
        b'{"logs": [',
        hold_seconds=1.2,
        rest=b"{}" * 45,
        drip_every=0.1,
    )

    answer = requests.get(f"{api.url}/logs", timeout=0.3, stream=True)
    got = answer.raw.read(10)

    # Every read gets a byte within 0.3 s, so no read times out: the body just never ends, and
    # the server closes the connection when its hold is over (a broken body, not a timeout).
    def read_all() -> None:
        nonlocal got
        while chunk := answer.raw.read1(64):
            got += chunk

    with pytest.raises(urllib3.exceptions.ProtocolError, match="IncompleteRead"):
        read_all()
    assert 10 + 5 <= len(got) < 100


def test_a_decider_that_raises_answers_500_and_is_recorded(
    api: LogApiServer, script: Script
) -> None:
    def broken(request: Request) -> Reply:
        raise LookupError("no answer planned for GET /logs")

    api.decide = broken

    answer = requests.get(f"{api.url}/logs", timeout=2)

    assert answer.status_code == 500
    assert "no answer planned for GET /logs" in answer.text
    assert [str(error) for error in api.errors] == ["no answer planned for GET /logs"]


def test_stop_ends_held_connections_promptly(script: Script) -> None:
    script.reply = Hang(120)
    server = LogApiServer(script).start()
    outcome: list[BaseException] = []

    def wait() -> None:
        try:
            requests.get(f"{server.url}/logs", timeout=10)
        except requests.RequestException as error:
            outcome.append(error)

    client = threading.Thread(target=wait)
    client.start()
    while not script.seen:
        time.sleep(0.01)  # the request has reached the server
    started = time.monotonic()
    server.stop()
    client.join(timeout=5)

    assert time.monotonic() - started < 2
    assert isinstance(outcome[0], requests.ConnectionError)


def test_a_body_without_a_length_ends_with_the_connection(
    api: LogApiServer, script: Script
) -> None:
    script.reply = Respond(200, {"Content-Type": "application/json"}, b'{"logs": []}')

    with requests.Session() as session:
        first = session.get(f"{api.url}/logs", timeout=2)
        second = session.get(f"{api.url}/logs", timeout=2)

    assert first.content == second.content == b'{"logs": []}'
    assert "Content-Length" not in first.headers


def test_a_hang_ends_when_its_seconds_pass(api: LogApiServer, script: Script) -> None:
    script.reply = Hang(0.2)

    started = time.monotonic()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{api.url}/logs", timeout=5)

    assert 0.2 <= time.monotonic() - started < 1
