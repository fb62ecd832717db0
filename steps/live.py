"""The live stack: real servers on 127.0.0.1 and the vault as a process of its own.

The same world objects as in process (``ScriptedLogApi``, ``ArchiveBucket``, the fault plans)
answer over real sockets: the log API through a real HTTP server, the archive through moto's
S3 server behind a fault-injecting proxy, the audit log through a MongoDB wire-protocol server
behind a fault-injecting proxy. The vault under test is any command that honours "The vault as
a process": it gets exactly the environment the contract names, and nothing else.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import livestack
from steps.archive import ARCHIVE_BUCKET, REGION, ArchiveBucket, S3Writes, UploadFault
from steps.audit_log import AuditCollection, WriteFault
from steps.console import Command, ContractBroken
from steps.log_api import LOG_API_QUERY, FailureKind, Reply, ScriptedLogApi
from steps.world import FixedClock, RecordedPauses, VaultUnderTest, instant_text

ROOT = Path(__file__).resolve().parent.parent
COMMAND_DEADLINE = 60.0  # seconds: a command still running then is stopped (the contract's bound)
HTTP_TIMEOUT = "1"  # the live stack's VAULT_HTTP_TIMEOUT: a timeout costs 1 s, not 30
# A timeout or trickle holds its connection three deadlines (and 2 s) long, then closes it: a
# vault that keeps its deadline has given up long before; one without a deadline sees the
# connection dropped instead, and says so. Never past the command's own 60 s bound.
HOLD_DEADLINES, HOLD_MORE, HOLD_AT_MOST = 3.0, 2.0, 55.0
PASSED_THROUGH = ("PATH", "HOME", "LANG")
PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")
LOOPBACK = "127.0.0.1,localhost,::1"


class Unwatched(S3Writes):
    """The vault writes from another process: every read of the archive goes to S3."""

    @property
    def count(self) -> int:
        self.writes.append(self.writes[-1] if self.writes else None)  # type: ignore[arg-type]
        return len(self.writes)


@dataclass
class LiveArchiveFaults:
    """Upload faults planned on the S3 proxy in front of moto's server."""

    s3: Any

    @property
    def uploads(self) -> int:
        return int(self.s3.uploads)

    def plan(self, fault: UploadFault) -> None:
        if fault.status is None:
            try:
                self.s3.deny_uploads(after=fault.accepted)
            except livestack.DenialUnavailable as unavailable:
                pytest.skip(f"the archive cannot deny uploads here: {unavailable}")
        else:
            self.s3.fail_uploads(fault.status, after=fault.accepted)

    def clear(self) -> None:
        self.s3.clear_faults()


class LiveAuditCollection(AuditCollection):
    """The audit collection read straight from the MongoDB server; write faults and an
    unreachable address are planned on the proxy the vault talks to."""

    def __init__(self, collection: Any, mongo: Any) -> None:
        super().__init__(collection)
        self._mongo = mongo

    def plan(self, fault: WriteFault) -> None:
        self._mongo.reject_writes(after=fault.accepted)

    def clear(self) -> None:
        self._mongo.clear()
        self.unreachable = False

    @property
    def vault_uri(self) -> str:
        return str(self._mongo.unreachable_uri() if self.unreachable else self._mongo.vault_uri)


@dataclass
class ProcessDriver:
    """Starts the target command, once per vault command, with exactly the contract's
    environment, in a working directory of the suite's, with no standard input."""

    command_line: str
    workdir: Path
    clock: FixedClock
    pauses: RecordedPauses
    servers: LiveStack
    program: str = ""
    _pause_log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.program = self.program or self.command_line
        self._pause_log = self.workdir / "pauses.log"
        self._pause_log.write_text("")

    def execute(self, argv: tuple[str, ...], env: dict[str, str]) -> Command:
        environment = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
        environment["PYTHONPATH"] = os.pathsep.join(
            filter(None, (str(ROOT), os.environ.get("PYTHONPATH")))
        )
        environment.update(
            VAULT_TEST_NOW=instant_text(self.clock.now),
            VAULT_TEST_PAUSE_LOG=str(self._pause_log),
        )
        # A safety net for the machine's network, not part of the contract: an address that is
        # not loopback (a redirect a buggy vault follows, an operator's URL elsewhere) goes to a
        # closed loopback port through the proxy settings HTTP clients honour, never to DNS.
        environment.update(
            dict.fromkeys(PROXIES, self.servers.nowhere)
            | dict.fromkeys(("NO_PROXY", "no_proxy"), LOOPBACK)
        )
        environment.update(env)
        self.servers.hold_for(env.get("VAULT_HTTP_TIMEOUT", ""))
        line = self.command_line
        if "{env_file}" in line:
            env_file = self.workdir / "vault.env"
            env_file.write_text("".join(f"{k}={v}\n" for k, v in environment.items()))
            line = line.replace("{env_file}", shlex.quote(str(env_file)))
        try:
            done = subprocess.run(
                [*shlex.split(line), *argv],
                env=environment,
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=COMMAND_DEADLINE,
                check=False,
            )
        except subprocess.TimeoutExpired as late:
            raise ContractBroken(
                f"the vault broke its contract: `{line} {' '.join(argv)}` was still running "
                f"after {COMMAND_DEADLINE:g} s and was stopped"
            ) from late
        self.pauses.take_log(self._pause_log)
        out = done.stdout.decode("utf-8", "replace")
        err = done.stderr.decode("utf-8", "replace")
        return Command(argv, done.returncode, out, err, self.program)

    def requests_seen(self) -> tuple[int, int, int]:
        return self.servers.requests_seen()


class LiveStack:
    """The servers, started once per session on first use, and the world over them."""

    def __init__(
        self, command_line: str, mongo_uri: str | None = None, s3_endpoint: str | None = None
    ) -> None:
        self.command_line = command_line
        self._mongo_uri = mongo_uri
        self._stack = contextlib.ExitStack()
        self._script: ScriptedLogApi | None = None
        self.hold_seconds = HOLD_AT_MOST
        self.drip_every = 0.25
        # A loopback port bound but never listening: connections to it are refused at once.
        self._closed = self._stack.enter_context(socket.socket())
        self._closed.bind(("127.0.0.1", 0))
        self.nowhere = f"http://127.0.0.1:{self._closed.getsockname()[1]}"
        try:
            self.workdir = Path(self._stack.enter_context(tempfile.TemporaryDirectory("-vault")))
            self.api = self._started(livestack.LogApiServer(self._decide))
            keys = livestack.Credentials(
                os.environ.get("AWS_ACCESS_KEY_ID", ""), os.environ.get("AWS_SECRET_ACCESS_KEY", "")
            )
            self.s3 = self._started(livestack.S3Stack(endpoint=s3_endpoint, credentials=keys))
            self.mongo = self._started(livestack.MongoStack(uri=mongo_uri))
            self.s3.reset()
            self.mongo.reset()
        except BaseException:
            self._stack.close()  # what did start stops again
            raise

    def _started(self, server: Any) -> Any:
        server.start()
        self._stack.callback(server.stop)
        return server

    def close(self) -> None:
        self._stack.close()

    # The log API ------------------------------------------------------------------------------
    def log_api(self) -> Iterator[ScriptedLogApi]:
        self._script = ScriptedLogApi(base_url=f"{self.api.url}/api")
        try:
            yield self._script
        finally:
            self._script = None

    def hold_for(self, http_timeout: str) -> None:
        """How long a timeout or trickle holds, from the deadline the next command is given."""
        try:
            seconds = float(http_timeout) if http_timeout else 30.0
        except ValueError:
            seconds = 30.0
        self.hold_seconds = min(HOLD_AT_MOST, seconds * HOLD_DEADLINES + HOLD_MORE)
        self.drip_every = max(0.05, min(seconds, HOLD_AT_MOST) / 4)

    def _decide(self, request: Any) -> Any:
        script = self._script
        if script is None:
            raise AssertionError(f"a request arrived between scenarios: {request.target}")
        reply: Reply = script.decide(request.method, self.api.url + request.target, request.headers)
        if reply.kind is FailureKind.TIMEOUT:
            return livestack.Hang(self.hold_seconds)
        if reply.kind is FailureKind.DROP:
            return livestack.Drop()
        if reply.kind is FailureKind.TRICKLE:
            # The rest of the body drips a byte at a time, each well within one deadline: only
            # a deadline on the whole request stops it, never a timeout per read.
            return livestack.Trickle(
                reply.status,
                reply.headers,
                reply.body,
                self.hold_seconds,
                rest=reply.rest,
                drip_every=self.drip_every,
            )
        return livestack.Respond(reply.status, reply.headers, reply.body)

    # The archive and the audit log ------------------------------------------------------------
    # Each scenario leaves the stores as it found them; setting up never resets, since a fault
    # may be planned before the fixture that needs the bucket is made (pytest makes it lazily).
    def archive_bucket(self) -> Iterator[str]:
        yield ARCHIVE_BUCKET
        self.s3.reset()

    def archive(self) -> ArchiveBucket:
        return ArchiveBucket(self.s3.suite_client(), Unwatched(), ARCHIVE_BUCKET)

    def archive_faults(self) -> LiveArchiveFaults:
        return LiveArchiveFaults(self.s3)

    def audit_collection(self) -> Iterator[LiveAuditCollection]:
        yield LiveAuditCollection(self.mongo.suite_collection(), self.mongo)
        self.mongo.reset()

    def requests_seen(self) -> tuple[int, int, int]:
        script = self._script
        calls = len(script.calls) if script is not None else 0
        proxy = self.mongo._proxy
        return calls, int(self.s3.requests), int(proxy.connections if proxy else 0)

    # The vault ----------------------------------------------------------------------------------
    def vault(
        self,
        log_api: ScriptedLogApi,
        clock: FixedClock,
        pauses: RecordedPauses,
        audit: LiveAuditCollection,
    ) -> VaultUnderTest:
        credentials = self.s3.vault_credentials
        key, secret = credentials.access_key_id, credentials.secret_access_key
        start = {
            "VAULT_BUCKET": ARCHIVE_BUCKET,
            "VAULT_MONGO_URI": audit.vault_uri,
            "AWS_ENDPOINT_URL": self.s3.vault_endpoint,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ACCESS_KEY_ID": key,
            "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_MAX_ATTEMPTS": "1",
            "VAULT_HTTP_TIMEOUT": HTTP_TIMEOUT,
        }
        workdir = Path(tempfile.mkdtemp(dir=self.workdir))
        driver = ProcessDriver(self.command_line, workdir, clock, pauses, self)
        world = LiveWorld(driver=driver, log_api=log_api, start_environment=start, audit=audit)
        log_api.expected_query = LOG_API_QUERY
        return world


@dataclass
class LiveWorld(VaultUnderTest):
    """The live world: the MongoDB address is read at each command (it may be unreachable)."""

    audit: LiveAuditCollection | None = None

    def environment(self) -> dict[str, str]:
        if self.audit is not None:
            self.start_environment["VAULT_MONGO_URI"] = self.audit.vault_uri
        return super().environment()
