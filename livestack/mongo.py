"""MongoDB on 127.0.0.1: the embedded nx-27017 server (or any MongoDB by URI) behind a proxy.

The vault connects to `vault_uri`, the wire-protocol proxy, which counts its inserts and, when a
scenario plans it, refuses them with a real MongoDB error reply. The suite reads and resets
the audit log directly on the server, through `suite_collection()`.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pymongo
from pymongo.uri_parser import parse_uri

from livestack._net import LOOPBACK, free_port, wait_for_port
from livestack.errors import LiveStackError
from livestack.install import VENV, nx_binary
from livestack.mongo_wire import WireProxy

SHUTDOWN_IN_PROGRESS = 91  # what a MongoDB that is going down answers: pymongo's NotPrimaryError
START_SECONDS = 10.0
INSTALL_HINT = "run python -m livestack.install"


class MongoStack:
    """A MongoDB server and the vault's proxy in front of it; `start()` once per session,
    `reset()` per scenario. Without `uri`, nx-27017 runs from `venv` as a child process."""

    def __init__(
        self,
        uri: str | None = None,
        database: str = "audit_vault",
        collection: str = "audit_records",
        venv: Path = VENV,
        reach_seconds: float = 3.0,
    ) -> None:
        self.given_uri = uri
        self.database, self.collection = database, collection
        self.venv = venv
        self.reach_seconds = reach_seconds  # how long a given server may take to answer a ping
        self.writes = 0  # every insert the vault sent, refused ones included
        self.server_uri = ""
        self._refuse_after: int | None = None
        self._refuse_from = 0
        self._code = SHUTDOWN_IN_PROGRESS
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._proxy: WireProxy | None = None
        self._client: pymongo.MongoClient[dict[str, Any]] | None = None
        self._logs: Path | None = None  # nx-27017's log folder, kept when it fails to start

    @property
    def vault_uri(self) -> str:
        """The URI the vault's MongoDB setting holds: the proxy, with the server's userinfo and
        options, and directConnection so that a replica set is not reached around the proxy."""
        if self._proxy is None:
            raise LiveStackError("the MongoDB stack is not started: call start() first")
        parts = urlsplit(self.server_uri)
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = (userinfo + "@" if userinfo else "") + f"{LOOPBACK}:{self._proxy.port}"
        query = "&".join(filter(None, [parts.query, "directConnection=true"]))
        return urlunsplit((parts.scheme, netloc, parts.path or "/", query, ""))

    def start(self) -> MongoStack:
        self.server_uri = self.given_uri or self._start_nx()
        try:
            host, port = parse_uri(self.server_uri)["nodelist"][0]
        except Exception as error:
            raise LiveStackError(f"the MongoDB URI is not valid: {error}") from error
        self._check_reachable()
        self._proxy = WireProxy((host, port), self._refusal).start()
        self.reset()
        return self

    def stop(self) -> None:
        if self._proxy is not None:
            self._proxy.stop()
        if self._client is not None:
            self._client.close()
        self._end_server()
        if self._logs is not None:
            shutil.rmtree(self._logs, ignore_errors=True)

    def _end_server(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def suite_collection(self) -> Any:
        """The suite's own view of the audit log, straight to the server (not counted)."""
        if self._client is None:
            self._client = pymongo.MongoClient(self.server_uri, serverSelectionTimeoutMS=5000)
        return self._client[self.database][self.collection]

    def reject_writes(self, after: int = 0, code: int = SHUTDOWN_IN_PROGRESS) -> None:
        """After `after` more inserts, every insert gets a MongoDB error reply with `code`
        (91 ShutdownInProgress by default; 13 Unauthorized is another)."""
        with self._lock:
            self._refuse_after, self._refuse_from, self._code = after, self.writes, code

    def clear(self) -> None:
        """Inserts are accepted again."""
        with self._lock:
            self._refuse_after = None

    def reset(self) -> None:
        """The start of a scenario: no fault, no write counted, the audit log dropped."""
        self.clear()
        self.writes = 0
        self.suite_collection().drop()

    @staticmethod
    def unreachable_uri() -> str:
        """A MongoDB URI on a loopback port where nothing listens."""
        return f"mongodb://{LOOPBACK}:{free_port()}/"

    def _refusal(self, command: str) -> int | None:
        if command != "insert":
            return None
        with self._lock:
            self.writes += 1
            after = self._refuse_after
            if after is not None and self.writes - self._refuse_from > after:
                return self._code
        return None

    def _start_nx(self) -> str:
        binary = nx_binary(self.venv)
        if not binary.exists():
            raise LiveStackError(f"the MongoDB server (nx-27017) is not installed: {INSTALL_HINT}")
        port = free_port()
        logs = self._logs = Path(tempfile.mkdtemp(prefix="livestack-mongo-"))
        log = logs / "nx-27017.log"
        command = [str(binary), "--db", "memory", "--host", LOOPBACK, "-p", str(port)]
        files = ["--log-file", str(log), "--pid-file", str(logs / "nx-27017.pid")]
        with (logs / "stderr.txt").open("wb") as stderr:
            self._process = subprocess.Popen(  # our own venv's server, on loopback
                command + files, stdout=subprocess.DEVNULL, stderr=stderr
            )
        process = self._process
        if not wait_for_port(port, START_SECONDS, lambda: process.poll() is None):
            self._end_server()  # its logs stay, for the message below
            raise LiveStackError(
                f"the MongoDB server (nx-27017) did not start on {LOOPBACK}:{port} within "
                f"{START_SECONDS:.0f} s: see {logs}, or {INSTALL_HINT}"
            )
        return f"mongodb://{LOOPBACK}:{port}/"

    def _check_reachable(self) -> None:
        client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(
            self.server_uri, serverSelectionTimeoutMS=int(self.reach_seconds * 1000)
        )
        try:
            client.admin.command("ping")
        except pymongo.errors.PyMongoError as error:
            where = urlsplit(self.server_uri).hostname
            raise LiveStackError(
                f"the MongoDB server at {where} cannot be reached ({type(error).__name__}): "
                "check --live-mongo-uri, or leave it out to use the embedded nx-27017"
            ) from error
        finally:
            client.close()
