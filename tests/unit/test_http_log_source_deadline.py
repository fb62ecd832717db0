"""HttpLogSource's deadline worker: a late request is abandoned, its socket shut, and the caller
told in time; and the body as the server sent it (Content-Encoding) is what is read.

A one-connection server on 127.0.0.1 plays the log API where the socket matters; a transport
adapter mounted on a real Session plays it where only the stream does.
"""

from __future__ import annotations

import gzip
import signal
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter

from vault.adapters.http_log_source import HttpLogSource
from vault.errors import PayloadTooLarge, TransientSourceError

HEADERS_THEN_STALL = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"x" * 10


class _OneConnectionServer:
    """Accepts one connection on 127.0.0.1, reads the request, sends ``answer``; then keeps the
    connection open until the client closes it (``client_closed``) or the test ends."""

    def __init__(self, answer: bytes) -> None:
        self.answer = answer
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/api"
        self.request = b""
        self.client_closed = threading.Event()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        connection, _ = self.listener.accept()
        with connection:
            while b"\r\n\r\n" not in self.request:
                self.request += connection.recv(4096)
            connection.sendall(self.answer)
            connection.settimeout(0.05)
            while not self.release.is_set():
                try:
                    if not connection.recv(4096):
                        self.client_closed.set()
                        return
                except TimeoutError:
                    continue
                except OSError:
                    self.client_closed.set()
                    return


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[_OneConnectionServer] = []

    def start(answer: bytes) -> _OneConnectionServer:
        server = _OneConnectionServer(answer)
        server.thread.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.release.set()
        server.thread.join(1.0)
        server.listener.close()


class _WorkerRecordingSession(requests.Session):
    """A real Session that notes the thread each request runs in."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[threading.Thread] = []

    def get(self, url: str | bytes, **kwargs: Any) -> requests.Response:
        self.threads.append(threading.current_thread())
        return super().get(url, **kwargs)


@pytest.fixture
def session() -> Iterator[_WorkerRecordingSession]:
    with _WorkerRecordingSession() as session:
        yield session


# The socket: a late body is abandoned -------------------------------------------------------
def test_a_stalled_body_is_abandoned_at_the_deadline_and_its_socket_shut(
    serve: Any, session: _WorkerRecordingSession
) -> None:
    server = serve(HEADERS_THEN_STALL)
    # The read timeout (2 s) would let the worker wait far past the deadline (0.25 s).
    source = HttpLogSource(session, server.url, timeout=(1.0, 2.0), deadline=0.25)
    with pytest.raises(TransientSourceError) as caught:
        source.fetch_page(None, 1000)
    assert str(caught.value) == (
        f"timeout: the log API at {server.url}/logs did not send the whole page "
        "within 0.25 s (timed out)"
    )
    assert server.request.startswith(b"GET /api/logs HTTP/1.1\r\n")
    assert server.client_closed.wait(1.0), "the abandoned request's socket was left open"
    (worker,) = session.threads
    worker.join(1.0)
    assert not worker.is_alive(), "the abandoned worker is still reading"


def test_a_server_that_never_answers_times_out_at_the_deadline(
    serve: Any, session: _WorkerRecordingSession
) -> None:
    server = serve(b"")  # reads the request, answers nothing
    source = HttpLogSource(session, server.url, timeout=(1.0, 2.0), deadline=0.1)
    with pytest.raises(TransientSourceError, match=r"^timeout: .* within 0.1 s \(timed out\)$"):
        source.fetch_page(None, 1000)


# The body as sent: Content-Encoding ------------------------------------------------------------
def _gzipped_answer(body: bytes) -> bytes:
    packed = gzip.compress(body)
    head = (
        "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
        f"Content-Length: {len(packed)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + packed


def test_a_gzip_encoded_page_is_handed_over_decoded(
    serve: Any, session: _WorkerRecordingSession
) -> None:
    page = b'{"logs":[{"id":"1"}],"next_cursor":null}'
    server = serve(_gzipped_answer(page))
    assert HttpLogSource(session, server.url, timeout=(1.0, 2.0)).fetch_page(None, 1000) == page


def test_the_limit_holds_for_the_decoded_bytes_of_a_gzip_page(
    serve: Any, session: _WorkerRecordingSession
) -> None:
    server = serve(_gzipped_answer(b"0" * 1_000_000))  # about 1 KB on the wire
    source = HttpLogSource(session, server.url, timeout=(1.0, 2.0))
    with pytest.raises(PayloadTooLarge) as caught:
        source.fetch_page(None, 100_000)
    assert caught.value.message.startswith("the body is over the limit of 100000 bytes")


# The worker, through a transport adapter ---------------------------------------------------
class _StalledStream:
    """A body that stalls until the test ends; ``connection`` only when given one."""

    def __init__(self, release: threading.Event, connection: Any = None) -> None:
        self.release = release
        if connection is not None:
            self.connection = connection

    def read1(self, size: int, decode_content: bool = False) -> bytes:
        self.release.wait(2.0)
        return b""

    def close(self) -> None:
        pass


class _Adapter(BaseAdapter):
    """Answers every request 200 with ``stream``, noting the thread each request runs in."""

    def __init__(self, stream: Any) -> None:
        super().__init__()
        self.stream = stream
        self.threads: list[threading.Thread] = []

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        self.threads.append(threading.current_thread())
        response = requests.Response()
        response.status_code = 200
        response.raw = self.stream
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read1(self, size: int, decode_content: bool = False) -> bytes:
        chunk, self.data = self.data[:size], self.data[size:]
        return chunk

    def close(self) -> None:
        pass


def _source_over(adapter: BaseAdapter, deadline: float = 0.1) -> HttpLogSource:
    session = requests.Session()
    session.mount("https://", adapter)
    return HttpLogSource(session, "https://logs.example.test/api", deadline=deadline)


@pytest.fixture
def release() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()  # lets the abandoned worker end


def test_the_request_runs_in_a_named_daemon_worker() -> None:
    # Named, so a thread dump says what it is; a daemon, so an abandoned one never holds the
    # process from exiting.
    adapter = _Adapter(_Body(b'{"logs":[]}'))
    assert _source_over(adapter).fetch_page(None, 100) == b'{"logs":[]}'
    (worker,) = adapter.threads
    assert worker is not threading.current_thread()
    assert (worker.name, worker.daemon) == ("vault-log-api", True)


def test_a_stream_with_no_connection_to_shut_still_times_out(release: threading.Event) -> None:
    # A transport whose stream is not urllib3's has no socket to shut: the deadline holds anyway.
    source = _source_over(_Adapter(_StalledStream(release)))
    with pytest.raises(TransientSourceError, match=r"^timeout: .* within 0.1 s"):
        source.fetch_page(None, 100)


class _Connection:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock


def test_a_socket_closed_as_the_deadline_passes_still_times_out(release: threading.Event) -> None:
    # The worker may close its connection just as the deadline passes: shutting a closed
    # socket fails, and the caller must still be told about the timeout, not about that.
    closed = socket.socket()
    closed.close()
    source = _source_over(_Adapter(_StalledStream(release, _Connection(closed))))
    with pytest.raises(TransientSourceError, match=r"^timeout: .* within 0.1 s"):
        source.fetch_page(None, 100)


def test_ctrl_c_delivered_to_the_worker_thread_stops_the_wait_at_once(serve: Any) -> None:
    """The kernel may hand SIGINT to any thread: when it picks the request's worker, Python runs
    the handler in the main thread only once that thread wakes. The caller must not sleep
    through Ctrl-C until the deadline (here 5 s)."""
    server = serve(b"")  # reads the request, answers nothing
    source = HttpLogSource(requests.Session(), server.url, timeout=(1.0, 30.0), deadline=5.0)

    earlier = set(threading.enumerate())  # workers other tests abandoned may still be alive
    sent: list[int] = []

    def interrupt_the_worker() -> None:
        while not server.request:
            time.sleep(0.005)
        (worker,) = (
            t for t in threading.enumerate() if t.name == "vault-log-api" and t not in earlier
        )
        signal.pthread_kill(worker.ident or 0, signal.SIGINT)
        sent.append(worker.ident or 0)

    sender = threading.Thread(target=interrupt_the_worker, daemon=True)
    # Ctrl-C as a terminal gives it: a run started in the background (`.ci/run &`) inherits
    # SIGINT ignored, and Python then installs no KeyboardInterrupt for it.
    ignored_or_not = signal.signal(signal.SIGINT, signal.default_int_handler)
    started = time.monotonic()
    sender.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            source.fetch_page(None, 1000)
    finally:
        signal.signal(signal.SIGINT, ignored_or_not)
    assert time.monotonic() - started < 1.0
    sender.join(1.0)
    assert sent, "SIGINT was never sent to the worker"
