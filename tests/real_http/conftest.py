"""Servers on 127.0.0.1 for the real-socket tier: moto's S3 and a scripted log API."""

from __future__ import annotations

import socket
import threading
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest

pytestmark = pytest.mark.real_http
LOOPBACK = "127.0.0.1"


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection without answering
    hang: bool = False  # never answer, until the test ends


class ScriptedServer:
    """Answers each request with the next planned answer; the last one repeats."""

    def __init__(self) -> None:
        self.answers: deque[Answer] = deque()
        self.requests: list[str] = []
        self.release = threading.Event()
        script = self

        class Handler(BaseHTTPRequestHandler):
            # HTTP/1.1 answers botocore's "Expect: 100-continue" at once (1.0 makes it wait 1 s).
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                script.requests.append(f"{self.command} {self.path}")
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                answer = script.answers.popleft() if len(script.answers) > 1 else script.answers[0]
                if answer.hang:
                    script.release.wait(10)
                    return
                if answer.drop:
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.send_response(answer.status)
                for name, value in {
                    "Content-Length": str(len(answer.body)),
                    **answer.headers,
                }.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer.body)

            do_GET = do_PUT = _answer  # noqa: N815 - the names http.server calls

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{LOOPBACK}:{self.server.server_port}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def plan(self, *answers: Answer) -> None:
        self.answers.extend(answers)


@pytest.fixture
def log_api_server() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    server.thread.start()
    yield server
    server.release.set()
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """moto's S3 over real HTTP on 127.0.0.1 (~0.5 s to stop, so one per session)."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address=LOOPBACK, port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_over_http(moto_server: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=moto_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def bucket(s3_over_http: Any) -> str:
    """A bucket of the test's own on moto's server."""
    name = f"vault-{uuid.uuid4().hex[:12]}"
    s3_over_http.create_bucket(Bucket=name)
    return name


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])
