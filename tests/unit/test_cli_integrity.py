"""``python -m vault verify`` and ``repair`` as an operator reads them: every line, every JSON
field and the exit status, over moto and mongomock given through ``bootstrap.Runtime``; a
MongoDB that cannot be reached, said in one line; and a stdout closed by its reader."""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import mongomock
import pytest
from pymongo.errors import ServerSelectionTimeoutError

from vault import bootstrap, cli
from vault.config import OPTIONAL, REQUIRED, settings_from_env

# The damaged archive lives in its own bucket; the other tests name one that does not exist,
# which verifies as empty.
DAMAGED = "cli-integrity-damaged"
MONGO_URI = "mongodb://auditor:M0ngoPassword@127.0.0.1:1,127.0.0.1:2/?replicaSet=rs0"
ENV = {
    "VAULT_BUCKET": "cli-integrity-empty",
    # A real URI, so that the vault pings the audit log before it reads it (mongomock answers).
    "VAULT_MONGO_URI": MONGO_URI,
    "VAULT_MONGO_TIMEOUT": "0.25",
}
REPAIRED_AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

KEPT = b'{"logs":[{"id":"kept"}]}'
GONE = b'{"logs":[{"id":"gone"}]}'
ALTERED = b'{"logs":[{"id":"altered"}]}'
UNRECORDED = b'{"logs":[{"id":"unrecorded"}]}'
OTHER_BYTES = b"other bytes"


def key_of(body: bytes) -> str:
    return f"logs/{hashlib.sha256(body).hexdigest()}.json"


class Vault:
    """``python -m vault ARGV`` with the suite's S3 client and an in-memory MongoDB holding
    ``records`` (audit documents)."""

    def __init__(
        self,
        s3: Any,
        *,
        bucket: str = ENV["VAULT_BUCKET"],
        records: Sequence[dict[str, Any]] = (),
        mongo_client: Any = None,
    ) -> None:
        self.env = {**ENV, "VAULT_BUCKET": bucket}
        self.mongo_client = mongo_client or mongomock.MongoClient(tz_aware=True)
        self.store = mongomock.MongoClient(tz_aware=True)["audit_vault"]["audit_records"]
        if records:
            self.store.insert_many([dict(record) for record in records])
        self.runtime = bootstrap.Runtime(
            s3=lambda: s3,
            mongo=lambda _: (self.mongo_client, self.store),
            clock=lambda: REPAIRED_AT,
        )

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = cli.main(list(argv), env=self.env, out=out, err=err, runtime=self.runtime)
        return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def damaged_archive(s3: Any) -> Iterator[list[dict[str, Any]]]:
    """A bucket with one of each problem once its records are kept: a record whose object is
    gone, an object whose bytes were replaced, an object without a record; and one object that
    is fine. Gives the records (verify and repair never change an object)."""
    s3.create_bucket(Bucket=DAMAGED)
    for body in (KEPT, GONE, ALTERED):
        s3.put_object(Bucket=DAMAGED, Key=key_of(body), Body=body)
    vault = Vault(s3, bucket=DAMAGED)
    assert vault("repair")[0] == 0
    s3.delete_object(Bucket=DAMAGED, Key=key_of(GONE))
    s3.put_object(Bucket=DAMAGED, Key=key_of(ALTERED), Body=OTHER_BYTES)
    s3.put_object(Bucket=DAMAGED, Key=key_of(UNRECORDED), Body=UNRECORDED)
    yield list(vault.store.find({}, {"_id": 0}))
    for body in (KEPT, ALTERED, UNRECORDED):
        s3.delete_object(Bucket=DAMAGED, Key=key_of(body))
    s3.delete_bucket(Bucket=DAMAGED)


@pytest.fixture
def damaged(s3: Any, damaged_archive: list[dict[str, Any]]) -> Vault:
    return Vault(s3, bucket=DAMAGED, records=damaged_archive)


ALTERED_DIGEST = hashlib.sha256(OTHER_BYTES).hexdigest()
PROBLEMS = sorted(  # reported in key order
    [
        {"kind": "MISSING_OBJECT", "key": key_of(GONE), "detail": "the object is gone"},
        {
            "kind": "CHECKSUM_MISMATCH",
            "key": key_of(ALTERED),
            "detail": f"the bytes hash to {ALTERED_DIGEST}, not to the key",
        },
        {
            "kind": "MISSING_RECORD",
            "key": key_of(UNRECORDED),
            "detail": "no audit record points to it",
        },
    ],
    key=lambda problem: problem["key"],
)
LINES = [f"{p['kind']} {p['key']}: {p['detail']}" for p in PROBLEMS]
LEFT = [line for line in LINES if not line.startswith("MISSING_RECORD")]


def test_verify_prints_one_line_per_problem_then_the_summary_and_exits_1(damaged: Vault) -> None:
    assert damaged("verify") == (
        1,
        "".join(f"vault: {line}\n" for line in LINES)
        + f"vault: verified s3://{DAMAGED}/logs/: 3 object(s), 3 audit record(s), 3 problem(s): "
        "1 MISSING_RECORD, 1 MISSING_OBJECT, 1 CHECKSUM_MISMATCH\n",
        "",
    )


def test_verify_json_is_one_document_naming_every_problem(damaged: Vault) -> None:
    code, out, err = damaged("verify", "--json")
    assert (code, err, out.count("\n"), out[-1]) == (1, "", 1, "\n")
    assert json.loads(out) == {
        "ok": False,
        "bucket": DAMAGED,
        "objects_checked": 3,
        "records_checked": 3,
        "problems": PROBLEMS,
    }


def test_repair_says_what_it_wrote_and_what_it_left_for_a_person(damaged: Vault) -> None:
    assert damaged("repair") == (
        0,
        f"vault: wrote {key_of(UNRECORDED)} (status RECOVERED)\n"
        + "".join(f"vault: left {line}\n" for line in LEFT)
        + f"vault: repaired s3://{DAMAGED}/logs/: wrote 1 audit record(s) with status RECOVERED; "
        "2 problem(s) left for a person to look at\n",
        "",
    )


def test_repair_json_lists_the_records_written_and_what_was_found(damaged: Vault) -> None:
    code, out, err = damaged("repair", "--json")
    assert (code, err, out.count("\n"), out[-1]) == (0, "", 1, "\n")
    assert json.loads(out) == {
        "ok": True,
        "records_written": [key_of(UNRECORDED)],
        "status": "RECOVERED",
        "verification": {
            "ok": False,
            "bucket": DAMAGED,
            "objects_checked": 3,
            "records_checked": 3,
            "problems": PROBLEMS,
        },
    }


def test_verify_and_repair_print_text_unless_asked_for_json(damaged: Vault) -> None:
    settings = settings_from_env(damaged.env, need_api_url=False)
    said = cli._verify(settings, runtime=damaged.runtime)
    assert (said.exit_code, said.text.splitlines()[0]) == (1, f"vault: {LINES[0]}")
    said = cli._repair(settings, runtime=damaged.runtime)
    assert (said.exit_code, said.text.splitlines()[0]) == (
        0,
        f"vault: wrote {key_of(UNRECORDED)} (status RECOVERED)",
    )


def test_without_an_env_the_process_environment_is_read(
    s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in (*REQUIRED, *OPTIONAL):
        monkeypatch.delenv(name, raising=False)
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["verify"], out=out, err=err, runtime=Vault(s3).runtime) == 0
    bucket = ENV["VAULT_BUCKET"]
    assert (out.getvalue(), err.getvalue()) == (
        f"vault: verified s3://{bucket}/logs/: 0 object(s), 0 audit record(s), clean\n",
        "",
    )


# What pymongo 4 says when no server answers in time: the cause, then ", Timeout: ..., Topology
# Description: <...>" (abridged here), in which each server's own error may be quoted.
REFUSED = (
    "127.0.0.1:1: [Errno 111] Connection refused (configured timeouts: socketTimeoutMS: 250.0ms, "
    "connectTimeoutMS: 250.0ms),127.0.0.1:2: [Errno 111] Connection refused (configured timeouts: "
    "socketTimeoutMS: 250.0ms, connectTimeoutMS: 250.0ms), Timeout: 0.25s, Topology Description: "
    "<TopologyDescription id: 6b06, topology_type: ReplicaSetNoPrimary, servers: "
    "[<ServerDescription ('127.0.0.1', 1) server_type: Unknown, rtt: None, "
    "error=AutoReconnect('127.0.0.1:1: [Errno 111] Connection refused (configured timeouts: "
    "socketTimeoutMS: 250.0ms, connectTimeoutMS: 250.0ms)')>]>"
)
NO_PRIMARY = (
    'No replica set members match selector "Primary()", Timeout: 0.25s, Topology Description: '
    "<TopologyDescription id: 6b07, topology_type: ReplicaSetNoPrimary, servers: "
    "[<ServerDescription ('127.0.0.1', 1) server_type: RSSecondary, rtt: 0.0004>, "
    "<ServerDescription ('127.0.0.1', 2) server_type: Unknown, rtt: None, "
    "error=NetworkTimeout('127.0.0.1:2: timed out, Timeout: 0.25s (configured timeouts: "
    "socketTimeoutMS: 250.0ms, connectTimeoutMS: 250.0ms)')>]>"
)
CAUSES = [
    (REFUSED, "127.0.0.1:1: [Errno 111] Connection refused"),
    (NO_PRIMARY, 'No replica set members match selector "Primary()"'),
]
UNREACHABLE = (
    "AUDIT_UNAVAILABLE: MongoDB could not be reached within 0.25 s (VAULT_MONGO_TIMEOUT): "
)


class UnreachableMongo:
    """A pymongo client none of whose servers answers in time: every command fails so."""

    def __init__(self, message: str = REFUSED) -> None:
        self.admin = self
        self.message = message
        self.closed = False

    def command(self, name: str) -> Any:
        raise ServerSelectionTimeoutError(self.message)

    def close(self) -> None:
        self.closed = True


@pytest.mark.parametrize("command", ["verify", "repair"])
@pytest.mark.parametrize(("message", "cause"), CAUSES, ids=["refused", "no-primary"])
def test_an_unreachable_mongodb_is_one_line_without_pymongos_topology(
    s3: Any, command: str, message: str, cause: str
) -> None:
    vault = Vault(s3, mongo_client=UnreachableMongo(message))
    said = f"vault: {command} failed: {UNREACHABLE}{cause}\n"
    assert vault(command) == (cli.EXIT_RUN_FAILED, "", said)
    assert vault.mongo_client.closed


def test_a_failure_with_json_is_also_one_json_document_on_stdout(s3: Any) -> None:
    code, out, err = Vault(s3, mongo_client=UnreachableMongo())("verify", "--json")
    message = f"{UNREACHABLE}{CAUSES[0][1]}"
    assert (code, err) == (cli.EXIT_RUN_FAILED, f"vault: verify failed: {message}\n")
    assert out.endswith("}\n")
    assert json.loads(out) == {"ok": False, "code": "AUDIT_UNAVAILABLE", "message": message}


def test_a_mongodb_that_answers_the_ping_is_read(s3: Any) -> None:
    """mongomock answers ``ping`` as MongoDB does, and refuses a command it does not know."""
    assert Vault(s3)("verify")[0] == 0


def test_a_stdout_closed_by_its_reader_goes_quiet_and_stays_quiet(s3: Any) -> None:
    """``python -m vault verify | head -0``: the pipe is gone when the summary is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    with os.fdopen(write_end, "w") as out:
        err = io.StringIO()
        code = cli.main(["verify"], env=ENV, out=out, err=err, runtime=Vault(s3).runtime)
        assert (code, err.getvalue()) == (0, "")
        # What Python does at exit: flush stdout once more. It now writes to /dev/null.
        out.write("more\n")
        out.flush()
        assert os.path.samestat(os.fstat(out.fileno()), os.stat(os.devnull))


class _DetachedPipe(io.TextIOBase):
    """A stdout whose reader left and whose descriptor is already closed."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        raise ValueError("I/O operation on closed file")


class _PipeWithoutDescriptor(_DetachedPipe):
    """A stdout whose descriptor cannot be pointed elsewhere."""

    def fileno(self) -> int:
        return 2**20  # above any limit on open files: dup2 refuses it with EBADF


@pytest.mark.parametrize("stdout", [_DetachedPipe, _PipeWithoutDescriptor])
def test_a_closed_stdout_that_cannot_be_redirected_is_still_quiet(
    s3: Any, stdout: type[io.TextIOBase]
) -> None:
    err = io.StringIO()
    code = cli.main(["verify"], env=ENV, out=stdout(), err=err, runtime=Vault(s3).runtime)
    assert (code, err.getvalue()) == (0, "")
