"""A real HTTP/1.1 log API on 127.0.0.1 that answers each request as a decider says.

The server knows no plan and no contract: for every request it calls `decide(Request)` and acts
on the `Reply` it gets back, byte for byte. A reply can also be a fault held for real: a dropped
connection, a request never answered (`Hang`), or headers and the first bytes of a body and then
nothing (`Trickle`). Keep-alive works, so a `requests.Session` reuses its connection.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from requests.structures import CaseInsensitiveDict

from livestack._net import LOOPBACK, cut
from livestack.errors import LiveStackError

MAX_HOLD_SECONDS = 120.0  # a held connection never outlives this, whatever the reply asked


@dataclass(frozen=True)
class Request:
    """One request as the server received it: `target` is the path and query as sent."""

    method: str
    target: str
    headers: Mapping[str, str]  # case-insensitive: headers["authorization"] works
    body: bytes = b""  # as sent: a chunked body keeps its chunks' framing


@dataclass(frozen=True)
class Respond:
    """Send exactly this answer. The decider supplies Content-Length, Content-Type, Retry-After,
    Location...; only `Date` is added when missing. Without Content-Length (and without
    Transfer-Encoding) the body ends when the server closes the connection."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class Drop:
    """Close the connection without answering anything."""


@dataclass(frozen=True)
class Hang:
    """Answer nothing; hold the connection until the client goes away or `seconds` pass."""

    seconds: float = MAX_HOLD_SECONDS


@dataclass(frozen=True)
class Trickle:
    """Send the status line, the headers (with a Content-Length larger than `first`) and `first`
    at once, then nothing until the client goes away or `hold_seconds` pass. With `drip_every`,
    one more byte of `rest` every so many seconds meanwhile, never the last one: every single
    read is quick, only the whole body never ends (a deadline per read does not catch it)."""

    status: int
    headers: Mapping[str, str]
    first: bytes
    hold_seconds: float = MAX_HOLD_SECONDS
    rest: bytes = b""
    drip_every: float | None = None


Reply = Respond | Drop | Hang | Trickle
Decider = Callable[[Request], Reply]


class LogApiServer:
    """A threaded HTTP/1.1 server on 127.0.0.1, port chosen by the system.

    `errors` lists the exceptions `decide` raised (each was answered 500 with its text), so the
    suite can fail the scenario that caused them.
    """

    def __init__(self, decide: Decider) -> None:
        self.decide = decide
        self.errors: list[Exception] = []
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The server's base URL, `http://127.0.0.1:PORT`."""
        if self._httpd is None:
            raise LiveStackError("the log API server is not started: call start() first")
        return f"http://{LOOPBACK}:{self._httpd.server_port}"

    def start(self) -> LogApiServer:
        """Listen on a free loopback port and serve in a background thread."""
        try:
            httpd = ThreadingHTTPServer((LOOPBACK, 0), _handler_for(self))
        except OSError as error:
            raise LiveStackError(
                f"the log API server cannot listen on {LOOPBACK}: {error}"
            ) from error
        httpd.daemon_threads = True
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and end every open connection at once, held ones included."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            cut(connection)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _track(self, connection: socket.socket, open_: bool) -> None:
        with self._lock:
            (self._connections.add if open_ else self._connections.discard)(connection)

    def _hold(
        self,
        connection: socket.socket,
        seconds: float,
        drip: bytes = b"",
        every: float | None = None,
    ) -> None:
        """Wait until the client closes, `seconds` pass (capped) or the server stops; meanwhile
        send one byte of `drip` every `every` seconds, all but its last."""
        now = time.monotonic()
        deadline = now + min(max(seconds, 0.0), MAX_HOLD_SECONDS)
        next_drip, dripped = (now + every if every else deadline), 0
        while (left := deadline - time.monotonic()) > 0 and not self._stopping.is_set():
            try:
                if every and time.monotonic() >= next_drip and dripped < len(drip) - 1:
                    connection.sendall(drip[dripped : dripped + 1])
                    dripped, next_drip = dripped + 1, next_drip + every
                readable, _, _ = select.select([connection], [], [], min(left, 0.05))
                if readable and not connection.recv(65536):
                    return  # the client went away
            except OSError:
                return


def read_body(handler: BaseHTTPRequestHandler) -> bytes:
    """The request body exactly as sent: Content-Length bytes, or the chunks with their framing."""
    if "chunked" in (handler.headers.get("Transfer-Encoding") or "").lower():
        raw = b""
        while True:
            line = handler.rfile.readline()
            raw += line
            size = int(line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while (trailer := handler.rfile.readline()) not in (b"\r\n", b"\n", b""):
                    raw += trailer
                return raw + b"\r\n"
            raw += handler.rfile.read(size + 2)
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length > 0 else b""


def send_head(handler: BaseHTTPRequestHandler, status: int, headers: Mapping[str, str]) -> bool:
    """Send the status line and exactly these headers, plus `Date` when they have none; True
    when the body is framed (Content-Length or Transfer-Encoding), so keep-alive can go on."""
    handler.send_response_only(status)
    names = {name.lower() for name in headers}
    if "date" not in names:
        handler.send_header("Date", formatdate(usegmt=True))
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    return bool(names & {"content-length", "transfer-encoding"})


def _handler_for(server: LogApiServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive; botocore-style 100-continue answered at once

        def setup(self) -> None:
            super().setup()
            server._track(self.connection, open_=True)

        def finish(self) -> None:
            server._track(self.connection, open_=False)
            with contextlib.suppress(OSError):  # the connection was cut on purpose
                super().finish()

        def _serve(self) -> None:
            body = read_body(self)
            request = Request(
                method=self.command,
                target=self.path,
                headers=CaseInsensitiveDict(self.headers.items()),
                body=body,
            )
            try:
                reply = server.decide(request)
            except Exception as error:  # any decider bug fails the scenario
                server.errors.append(error)
                text = f"the log API's decider raised {type(error).__name__}: {error}".encode()
                reply = Respond(
                    500,
                    {"Content-Type": "text/plain", "Content-Length": str(len(text))},
                    text,
                )
            self._act(reply)

        def _act(self, reply: Reply) -> None:
            if isinstance(reply, Drop):
                self.close_connection = True
                cut(self.connection)
            elif isinstance(reply, Hang):
                self.close_connection = True
                server._hold(self.connection, reply.seconds)
                cut(self.connection)
            elif isinstance(reply, Trickle):
                self.close_connection = True
                send_head(self, reply.status, reply.headers)
                self.wfile.write(reply.first)
                self.wfile.flush()
                server._hold(self.connection, reply.hold_seconds, reply.rest, reply.drip_every)
                cut(self.connection)
            else:
                framed = send_head(self, reply.status, reply.headers)
                if self.command != "HEAD":
                    self.wfile.write(reply.body)
                self.close_connection = self.close_connection or not framed

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _serve  # noqa: N815

        def log_message(self, *_: Any) -> None:
            pass  # the suite records requests itself; stderr stays quiet

    return Handler
