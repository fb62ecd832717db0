"""Which stack the scenarios run on, and the options that choose it (a plugin loaded with
``-p steps.stack``, so that its options are known before pytest picks its root directory).

- ``--vault-stack inprocess`` (the default): this project's vault in the suite's process, over
  moto, mongomock and ``responses``: fast, and what the Docker image runs.
- ``--vault-stack live``: real servers on 127.0.0.1 (a log API server, moto's S3 server behind a
  fault proxy, a MongoDB wire-protocol server behind a fault proxy) and the vault as a process
  of its own, started as ``--vault-command`` says.
"""

from __future__ import annotations

import pytest

from steps.archive import ARCHIVE_BUCKET, REGION
from steps.log_api import LOG_API_QUERY, LOG_API_URL
from steps.secrets import keep_secrets_of_steps

INPROCESS = "inprocess"
LIVE = "live"
DEFAULT_COMMAND = "python -m vault"

# The operator's environment at the start of every in-process scenario: where the vault finds
# the log API, the bucket and MongoDB, and credentials (fake, but shaped like real ones, so that
# the vault's redaction sees what it would see in production). Attempts, body size and page
# limit are left to the vault's defaults, which the acceptance language fixes (3, 10 MiB,
# 10,000). The world adds VAULT_API_URL (with the credentials a scenario gives) and settings.
MONGO_URI = "mongodb://vault:Audit-Pa55word@127.0.0.1:27017/?authSource=admin"
START_ENVIRONMENT = {
    "VAULT_API_URL": f"{LOG_API_URL}?{LOG_API_QUERY}",
    "VAULT_BUCKET": ARCHIVE_BUCKET,
    "VAULT_MONGO_URI": MONGO_URI,
    "AWS_DEFAULT_REGION": REGION,
    "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7SUITE01",
    "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSUITEKEY01",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("vault", "the Audit Vault under test")
    group.addoption(
        "--vault-stack",
        choices=(INPROCESS, LIVE),
        default=INPROCESS,
        help="inprocess (default): the vault in this process over in-memory doubles; "
        "live: real servers on 127.0.0.1 and the vault as its own process",
    )
    group.addoption(
        "--vault-command",
        default=None,
        metavar="CMD",
        help=f"live stack: the vault to hold to the language (default: {DEFAULT_COMMAND!r}); "
        "the suite appends run --json, verify --json or repair --json. {env_file} in CMD "
        "becomes a file holding the environment (for docker run --env-file)",
    )
    group.addoption(
        "--vault-lacks",
        default="",
        metavar="CAPS",
        help="capabilities the target lacks, comma-separated: scenarios needing them are "
        "skipped, naming the capability (see docs/contract.md)",
    )
    group.addoption(
        "--vault-config",
        default=None,
        metavar="FILE",
        help="a TOML file naming the target: command, lacks, known_failures",
    )
    group.addoption(
        "--vault-smoke",
        action="store_true",
        help="run three trivial scenarios first, and stop with advice when they fail",
    )
    group.addoption(
        "--live-s3-endpoint",
        default=None,
        metavar="URL",
        help="live stack: an S3-compatible store on loopback (MinIO, LocalStack) instead of moto's "
        "server, with the suite's AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; scenarios that "
        "need a genuine 403 are skipped, naming why",
    )
    group.addoption(
        "--live-mongo-uri",
        default=None,
        metavar="URI",
        help="live stack: a real MongoDB to use instead of the embedded nx-27017 server",
    )


def pytest_itemcollected(item: pytest.Item) -> None:
    """A scenario's secrets are hidden from the moment it is collected, run or not."""
    from reporting.bdd_internals import read_item

    bdd = read_item(item)
    if bdd is not None:
        keep_secrets_of_steps([step.name for step in bdd.scenario.steps])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The live stack runs scenarios only: the unit tests belong to the in-process stack (their
    fixtures are its doubles), so a live run leaves them out and says so."""
    if config.getoption("vault_stack") != LIVE:
        return
    scenarios = [item for item in items if item.nodeid.startswith("tests/acceptance/")]
    if len(scenarios) < len(items):
        kept = set(map(id, scenarios))
        config.hook.pytest_deselected(items=[item for item in items if id(item) not in kept])
        items[:] = scenarios
