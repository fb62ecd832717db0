"""A MongoDB wire-protocol proxy on 127.0.0.1 that counts inserts and can refuse them.

Each client connection gets its own connection to the server; messages are relayed whole, in
both directions. Client messages are read just enough to find the command name (OP_MSG: the
16-byte header, flagBits, then the kind 0 section whose first key names the command). An
`insert` is counted; a refused one is never forwarded and gets a MongoDB error reply built
here as an OP_MSG whose responseTo is the insert's requestID.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import struct
import threading
from collections.abc import Callable

import bson

from livestack._net import LOOPBACK, cut
from livestack.errors import LiveStackError

OP_MSG = 2013
CHECKSUM_PRESENT, MORE_TO_COME = 1, 2
CODE_NAMES = {91: "ShutdownInProgress", 13: "Unauthorized", 11600: "InterruptedAtShutdown"}
HEADER = struct.Struct("<iiii")  # messageLength, requestID, responseTo, opCode

Refusal = Callable[[str], int | None]  # command name -> an error code to answer, or None


def command_name(message: bytes) -> str | None:
    """The command an OP_MSG carries (the first key of its kind 0 section), else None."""
    _, _, _, opcode = HEADER.unpack_from(message)
    if opcode != OP_MSG:
        return None  # legacy OP_QUERY handshakes and compressed messages are only relayed
    (flags,) = struct.unpack_from("<I", message, 16)
    end = len(message) - (4 if flags & CHECKSUM_PRESENT else 0)
    at = 20
    while at < end:
        kind = message[at]
        if kind == 0:
            name_at = at + 1 + 4 + 1  # the kind byte, the document's length, the first type
            return message[name_at : message.index(b"\x00", name_at)].decode()
        (size,) = struct.unpack_from("<i", message, at + 1)
        at += 1 + size  # a kind 1 section: its size counts itself, not the kind byte
    return None


def error_reply(request: bytes, request_id: int, code: int) -> bytes:
    """A MongoDB error reply ({ok: 0, errmsg, code, codeName}) to `request`, as an OP_MSG."""
    _, answered_id, _, _ = HEADER.unpack_from(request)
    name = CODE_NAMES.get(code, "UnknownError")
    body = bson.encode(
        {
            "ok": 0.0,
            "errmsg": f"{name}: writes refused (planned by the scenario)",
            "code": code,
            "codeName": name,
        }
    )
    payload = struct.pack("<I", 0) + b"\x00" + body
    return HEADER.pack(16 + len(payload), request_id, answered_id, OP_MSG) + payload


def read_message(connection: socket.socket) -> bytes | None:
    """One whole wire message, or None when the peer closed the connection."""
    header = _read_exactly(connection, 16)
    if header is None:
        return None
    (length,) = struct.unpack_from("<i", header)
    rest = _read_exactly(connection, length - 16)
    return None if rest is None else header + rest


def _read_exactly(connection: socket.socket, size: int) -> bytes | None:
    chunks, missing = [], size
    while missing:
        try:
            chunk = connection.recv(min(missing, 1 << 20))
        except OSError:
            return None
        if not chunk:
            return None
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


class WireProxy:
    """Relays MongoDB connections to `upstream` (host, port). `refuse` is asked about every
    client message, by command name ("" when it carries none), and may answer an error code."""

    def __init__(self, upstream: tuple[str, int], refuse: Refusal) -> None:
        self.upstream = upstream
        self.refuse = refuse
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._ids = itertools.count(1_000_000)
        self.connections = 0  # every connection a client opened through the proxy

    @property
    def port(self) -> int:
        if self._listener is None:
            raise LiveStackError("the MongoDB proxy is not started: call start() first")
        return int(self._listener.getsockname()[1])

    def start(self) -> WireProxy:
        listener = socket.socket()
        try:
            listener.bind((LOOPBACK, 0))
        except OSError as error:
            raise LiveStackError(f"the MongoDB proxy cannot listen: {error}") from error
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._listener is not None:
            cut(self._listener)
        with self._lock:
            connections = list(self._open)
        for connection in connections:
            cut(connection)

    def _accept(self) -> None:
        listener = self._listener
        while listener is not None:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            self.connections += 1
            try:
                server = socket.create_connection(self.upstream, timeout=10)
            except OSError:
                cut(client)  # the client sees the server's absence as a closed connection
                continue
            server.settimeout(None)
            with self._lock:
                self._open.update((client, server))
            to_client = threading.Lock()
            threading.Thread(
                target=self._pump_requests, args=(client, server, to_client), daemon=True
            ).start()
            threading.Thread(
                target=self._pump_replies, args=(server, client, to_client), daemon=True
            ).start()

    def _pump_requests(
        self, client: socket.socket, server: socket.socket, to_client: threading.Lock
    ) -> None:
        while (message := read_message(client)) is not None:
            code = self.refuse(command_name(message) or "")
            if code is None:
                with contextlib.suppress(OSError):
                    server.sendall(message)
                continue
            (flags,) = struct.unpack_from("<I", message, 16)
            if not flags & MORE_TO_COME:  # an unacknowledged write expects no reply
                with to_client, contextlib.suppress(OSError):
                    client.sendall(error_reply(message, next(self._ids), code))
        self._close(client, server)

    def _pump_replies(
        self, server: socket.socket, client: socket.socket, to_client: threading.Lock
    ) -> None:
        while (message := read_message(server)) is not None:
            with to_client, contextlib.suppress(OSError):
                client.sendall(message)
        self._close(client, server)

    def _close(self, *connections: socket.socket) -> None:
        for connection in connections:
            with self._lock:
                self._open.discard(connection)
            cut(connection)
