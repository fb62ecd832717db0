"""The in-process driver: the one module of the suite that knows this project's vault.

It gives every command as ``python -m vault <command> --json`` would, through the vault's own
entry point in this process: the real settings check, composition root, service and output,
and the contract's test hooks (``VAULT_TEST_NOW`` for the scenario's clock,
``VAULT_TEST_PAUSE_LOG`` for its recorded pauses), as the live stack gives them. Only the
clients differ: those of the suite's doubles (moto, mongomock, ``responses``).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pymongo.errors import ServerSelectionTimeoutError

from steps.archive import ArchiveFaults
from steps.audit_log import AuditCollection
from steps.console import Command
from steps.log_api import ScriptedLogApi
from steps.world import FixedClock, RecordedPauses, instant_text
from vault import bootstrap, cli, redaction


class _UnreachableAdmin:
    def command(self, *_: Any, **__: Any) -> Any:
        raise ServerSelectionTimeoutError(
            "127.0.0.1:27017: [Errno 111] Connection refused (nothing answers: planned)"
        )


class _UnreachableClient:
    """A MongoDB client for an address where nothing answers: every command fails."""

    admin = _UnreachableAdmin()

    def close(self) -> None:
        return None


@dataclass
class InProcessDriver:
    log_api: ScriptedLogApi
    archive_faults: ArchiveFaults
    audit_collection: AuditCollection
    mongo_client: Any
    clock: FixedClock
    pauses: RecordedPauses
    pause_log: Path  # the command's VAULT_TEST_PAUSE_LOG
    mongo_uri: str = ""  # the suite's own MongoDB address, as the starting environment names it
    program: str = "python -m vault"
    _clients: list[int] = field(default_factory=lambda: [0, 0])  # S3, MongoDB clients made

    def execute(self, argv: tuple[str, ...], env: dict[str, str]) -> Command:
        out, err = io.StringIO(), io.StringIO()
        # The clock and the pauses come from the test hooks, as in a process of its own; a
        # vault that ignored them would read the real clock and sleep for real.
        env = {
            "VAULT_TEST_NOW": instant_text(self.clock.now),
            "VAULT_TEST_PAUSE_LOG": str(self.pause_log),
            **env,
        }
        runtime = bootstrap.Runtime(
            s3=self._s3,
            mongo=self._mongo,
            # Seeded jitter: pauses differ between attempts but not between runs of the suite.
            jitter=random.Random(7).random,
        )
        # A process of its own starts with no cached redaction patterns; so does each command
        # here, or a pattern cached by an earlier command would hide what a changed redaction
        # does (0.4 ms a command).
        redaction._spellings.cache_clear()
        status = cli.main(argv, env=env, out=out, err=err, runtime=runtime)
        self.pauses.take_log(self.pause_log)
        return Command(argv, status, out.getvalue(), err.getvalue(), self.program)

    def requests_seen(self) -> tuple[int, int, int]:
        """Requests to the log API; S3 and MongoDB clients made (a refusal makes none)."""
        return len(self.log_api.calls), self._clients[0], self._clients[1]

    def _s3(self) -> Any:
        self._clients[0] += 1
        return self.archive_faults.vault_s3

    def _mongo(self, settings: Any) -> tuple[Any, Any]:
        """The MongoDB client and collection that the operator's settings name: the audit
        collection the scenario watches when they name it, another one when they don't."""
        self._clients[1] += 1
        watched = self.audit_collection
        if watched.unreachable or settings.mongo_uri != self.mongo_uri:
            # Nothing answers at an address other than the suite's own MongoDB.
            return _UnreachableClient(), watched
        if (settings.mongo_database, settings.mongo_collection) == (
            watched.database.name,
            watched.name,
        ):
            return self.mongo_client, watched
        return self.mongo_client, self.mongo_client[settings.mongo_database][
            settings.mongo_collection
        ]
