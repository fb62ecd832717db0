"""A log API that misbehaves on purpose, over raw sockets on 127.0.0.1, and the CLI run against it.

Each behaviour writes the bytes of its answer itself, so a test can send what no HTTP library
would: two Content-Length headers, a body one byte at a time, chunks that never end.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.real_http.conftest import LOOPBACK, closed_port, moto_server

__all__ = ["closed_port", "moto_server"]  # shared with the real-socket tier

ROOT = Path(__file__).parents[2]
# Every run carries these; none may ever appear in what the vault prints.
API_PASSWORD = "S3cr3t-api-pw"
API_TOKEN = "T0ken-in-query"
AWS_KEY_ID = "AKIAHOSTILETEST0001"
AWS_SECRET = "AwsSecret-hostile-0001"
SECRETS = (API_PASSWORD, API_TOKEN, AWS_KEY_ID, AWS_SECRET)


class Stop(Exception):
    """The test is over: a behaviour stops writing."""


@dataclass
class Peer:
    """One accepted request: what was asked, and a way to answer it byte by byte."""

    target: str
    connection: socket.socket
    stopped: threading.Event

    def send(self, data: bytes) -> None:
        if self.stopped.is_set():
            raise Stop
        self.connection.sendall(data)

    def wait(self, seconds: float) -> None:
        if self.stopped.wait(seconds):
            raise Stop


Behaviour = Callable[[Peer], None]


def head(status: int, *headers: tuple[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} Hostile", "Connection: close", *(f"{n}: {v}" for n, v in headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def answer(status: int = 200, body: bytes = b"", *headers: tuple[str, str]) -> Behaviour:
    """A whole answer at once; Content-Length is added unless the headers name one."""
    named = {name.lower() for name, _ in headers}
    length = () if "content-length" in named else (("Content-Length", str(len(body))),)
    return lambda peer: peer.send(head(status, *length, *headers) + body)


def redirect(location: str) -> Behaviour:
    return answer(302, b"", ("Location", location))


def trickle(body: bytes, interval: float) -> Behaviour:
    """A declared body sent one byte every ``interval`` seconds."""

    def behave(peer: Peer) -> None:
        peer.send(head(200, ("Content-Length", str(len(body)))))
        for byte in body:
            peer.wait(interval)
            peer.send(bytes([byte]))

    return behave


def trickle_headers(interval: float) -> Behaviour:
    """The status line, then one header byte every ``interval`` seconds, forever."""

    def behave(peer: Peer) -> None:
        peer.send(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        while True:
            peer.wait(interval)
            peer.send(b"a")

    return behave


def endless_chunks(interval: float, chunk: bytes = b" " * 1024) -> Behaviour:
    """``Transfer-Encoding: chunked``, and the last chunk never comes."""

    def behave(peer: Peer) -> None:
        peer.send(head(200, ("Transfer-Encoding", "chunked")) + b'9\r\n{"logs":[\r\n')
        while True:
            if interval:
                peer.wait(interval)
            peer.send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")

    return behave


def hang(peer: Peer) -> None:
    while True:
        peer.wait(1)


def pages_forever(peer: Peer) -> None:
    """Each page holds one entry and names a new next page."""
    cursor = re.search(r"cursor=c(\d+)", peer.target)
    number = int(cursor.group(1)) if cursor else 1
    body = json.dumps({"logs": [{"id": f"evt-{number}"}], "next_cursor": f"c{number + 1}"})
    answer(200, body.encode())(peer)


class HostileServer:
    """Plays the next planned behaviour for each request (the last one repeats)."""

    def __init__(self) -> None:
        self.behaviours: deque[Behaviour] = deque()
        self.requests: list[str] = []
        self.stopped = threading.Event()
        script = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                received = b""
                while b"\r\n\r\n" not in received:
                    data = self.request.recv(65536)
                    if not data:
                        return
                    received += data
                method, target, _ = received.split(b"\r\n", 1)[0].decode().split(" ", 2)
                script.requests.append(f"{method} {target}")
                queue = script.behaviours
                behave = queue.popleft() if len(queue) > 1 else queue[0]
                with contextlib.suppress(Stop, OSError):
                    behave(Peer(target, self.request, script.stopped))

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server((LOOPBACK, 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://{LOOPBACK}:{self.port}"

    def plan(self, *behaviours: Behaviour) -> None:
        self.behaviours.extend(behaviours)


@pytest.fixture
def hostile_api() -> Iterator[HostileServer]:
    yield from _serving()


@pytest.fixture
def other_origin() -> Iterator[HostileServer]:
    """A second server: what a redirect to another origin would reach."""
    yield from _serving()


def _serving() -> Iterator[HostileServer]:
    server = HostileServer()
    thread = threading.Thread(
        target=server.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    yield server
    server.stopped.set()
    server.server.shutdown()
    server.server.server_close()


@dataclass
class Trial:
    """One ``python -m vault`` process: its exit status, output and wall time."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def secret_api_url(server: HostileServer, path: str = "/api") -> str:
    """The server's URL with a password in its userinfo and a token in its query string."""
    return (
        f"http://alice:{API_PASSWORD}@{LOOPBACK}:{server.port}{path}?token={API_TOKEN}&tenant=acme"
    )


def base_env(s3_endpoint: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "VAULT_BUCKET": "hostile-archive",
        "VAULT_MONGO_URI": "mongomock://",
        "VAULT_HTTP_TIMEOUT": "0.5",
        "VAULT_MAX_ATTEMPTS": "1",
        "AWS_ENDPOINT_URL": s3_endpoint,
        "AWS_ACCESS_KEY_ID": AWS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": AWS_SECRET,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_MAX_ATTEMPTS": "1",
        # Never look for credentials anywhere but this environment (no instance metadata).
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }


def vault_run(env: dict[str, str], *args: str, stdout: int | None = subprocess.PIPE) -> Trial:
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "vault", *(args or ("run",))],
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = process.communicate(timeout=45)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        err += "\n[the test killed the vault after 45 s]"
    return Trial(process.returncode, out or "", err, time.monotonic() - started)


def assert_typed(trial: Trial, code: str, within: float) -> None:
    """A typed error (or a clean exit), in time, and no secret in anything printed."""
    shown = f"exit {trial.returncode} after {trial.seconds:.1f}s\n{trial.output}"
    assert "Traceback" not in trial.stderr, shown
    leaked = [secret for secret in SECRETS if secret in trial.output]
    assert leaked == [], shown
    if code == "OK":
        assert trial.returncode == 0, shown
    elif code == "CONFIG":
        assert trial.returncode == 2, shown
        assert trial.stderr.startswith("vault: cannot run"), shown
    else:
        assert trial.returncode == 1, shown
        assert trial.stderr.startswith(f"vault: run failed: {code}: "), shown
    assert trial.seconds < within, shown


@pytest.fixture
def s3(moto_server: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=moto_server,
        region_name="us-east-1",
        aws_access_key_id=AWS_KEY_ID,
        aws_secret_access_key=AWS_SECRET,
    )


@pytest.fixture
def bucket(s3: Any) -> str:
    """A bucket of the test's own: moto's server lives for the whole session."""
    name = f"hostile-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture
def env(moto_server: str, bucket: str, hostile_api: HostileServer) -> dict[str, str]:
    return {
        **base_env(moto_server),
        "VAULT_BUCKET": bucket,
        "VAULT_API_URL": secret_api_url(hostile_api),
    }
