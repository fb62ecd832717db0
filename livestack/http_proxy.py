"""A forwarding HTTP/1.1 proxy on 127.0.0.1 that can answer a request itself instead.

It forwards each request verbatim (the same target, the same headers, Host included, so that a
SigV4 signature still validates; the body as received, chunked or not) over a keep-alive
connection to its upstream, and relays the answer. Before forwarding, it asks `intercept`: a
`Respond` returned there is sent instead, and the upstream never sees the request.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from requests.structures import CaseInsensitiveDict

from livestack._net import LOOPBACK
from livestack.errors import LiveStackError
from livestack.log_api import Request, Respond, read_body, send_head

Intercept = Callable[[Request], Respond | None]
NOT_FORWARDED = {"expect", "connection", "keep-alive", "proxy-connection"}  # hop by hop
NOT_RELAYED = {"transfer-encoding", "connection", "keep-alive", "content-length"}


class ForwardingProxy:
    """Forwards to `http://127.0.0.1:upstream_port` unless `intercept` answers first.

    `errors` lists the failures to reach the upstream (each answered 502 to the client)."""

    def __init__(self, upstream_port: int, intercept: Intercept, name: str) -> None:
        self.upstream_port = upstream_port
        self.intercept = intercept
        self.name = name
        self.errors: list[Exception] = []
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise LiveStackError(f"the {self.name} proxy is not started: call start() first")
        return f"http://{LOOPBACK}:{self._httpd.server_port}"

    def start(self) -> ForwardingProxy:
        try:
            self._httpd = ThreadingHTTPServer((LOOPBACK, 0), _handler_for(self))
        except OSError as error:
            raise LiveStackError(f"the {self.name} proxy cannot listen: {error}") from error
        self._httpd.daemon_threads = True
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()


def _handler_for(proxy: ForwardingProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        upstream: http.client.HTTPConnection | None = None

        def _serve(self) -> None:
            body = read_body(self)
            request = Request(
                self.command, self.path, CaseInsensitiveDict(self.headers.items()), body
            )
            answer = proxy.intercept(request)
            if answer is None:
                answer = self._forward(body)
            send_head(self, answer.status, answer.headers)
            if self.command != "HEAD":
                self.wfile.write(answer.body)

        def _forward(self, body: bytes) -> Respond:
            try:
                return self._exchange(body)
            except (OSError, http.client.HTTPException):
                if self.upstream is not None:
                    self.upstream.close()  # a stale keep-alive connection: one fresh try
                self.upstream = None
                try:
                    return self._exchange(body)
                except (OSError, http.client.HTTPException) as error:
                    proxy.errors.append(error)
                    text = f"{proxy.name} proxy: the upstream failed: {error}".encode()
                    return Respond(502, {"Content-Length": str(len(text))}, text)

        def _exchange(self, body: bytes) -> Respond:
            if self.upstream is None:
                self.upstream = http.client.HTTPConnection(
                    LOOPBACK, proxy.upstream_port, timeout=60
                )
            upstream = self.upstream
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in NOT_FORWARDED:
                    upstream.putheader(name, value)
            upstream.endheaders(body or None)
            response = upstream.getresponse()
            content = response.read()
            headers = {k: v for k, v in response.getheaders() if k.lower() not in NOT_RELAYED}
            length = response.getheader("Content-Length")
            headers["Content-Length"] = length if self.command == "HEAD" and length else ""
            headers["Content-Length"] = headers["Content-Length"] or str(len(content))
            if response.will_close:
                upstream.close()
                self.upstream = None
            return Respond(response.status, headers, content)

        def finish(self) -> None:
            if self.upstream is not None:
                self.upstream.close()
            super().finish()

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _serve  # noqa: N815

        def log_message(self, *_: Any) -> None:
            pass

    return Handler
