"""Fixtures for every test: the real adapters wired to moto (S3), mongomock (MongoDB) and
responses (the log API).

Scopes are deliberate. What is expensive and holds no per-test state lives for the session;
what a scenario can change is built per test and torn down so that nothing is left behind.
"""

from __future__ import annotations

import gc
import importlib
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import mongomock
import pytest
import responses
from botocore.config import Config
from moto import mock_aws
from moto.core import enable_iam_authentication
from pytest_bdd.parser import Feature, Scenario, Step

from conformance.kit import show_environment
from steps.archive import (
    ARCHIVE_BUCKET,
    REGION,
    ArchiveBucket,
    ArchiveFaults,
    S3Writes,
    restore_empty_bucket,
)
from steps.audit_log import AuditCollection, AuditView
from steps.evidence import evidence
from steps.guidance import hint
from steps.log_api import ScriptedLogApi
from steps.stack import LIVE, START_ENVIRONMENT
from steps.world import FixedClock, RecordedPauses, VaultUnderTest

# Step libraries load as plugins so that their plain asserts are rewritten with diagnostics;
# the reporting plugin writes the Gherkin reports.
pytest_plugins = ["steps.given", "steps.when", "steps.then"]

FEATURES = Path(__file__).parent / "features"
# The suite's S3 client makes a single attempt: botocore's own retries would really sleep.
# The vault's S3 listings end after this many keys (S3's own pages hold up to 1,000).
LISTING_PAGE_KEYS = 2
NO_RETRIES = Config(retries={"total_max_attempts": 1, "mode": "standard"})


# pytest-bdd 9 finds each step's definition by walking every fixture name pytest knows: ~0.35 ms
# a step with this suite's ~100 names, and 3.5 us more for each fixture or step added
# (bench/step_lookup.py). Every step definition here is global (loaded as a plugin), so the answer
# depends only on the step's type and sentence and on the module the scenario is in: remember it.
# Should pytest-bdd rename the function, the lookup simply stays uncached.
_BDD_SCENARIO: Any = importlib.import_module("pytest_bdd.scenario")
_FIND_STEP_DEFINITIONS = getattr(_BDD_SCENARIO, "find_fixturedefs_for_step", None)
_STEP_DEFINITIONS: dict[tuple[Any, ...], list[Any]] = {}


def _remembered_step_definitions(step: Any, fixturemanager: Any, node: Any) -> Iterator[Any]:
    key = (step.type, step.name, node.parent)
    if key not in _STEP_DEFINITIONS:
        assert _FIND_STEP_DEFINITIONS is not None
        _STEP_DEFINITIONS[key] = list(_FIND_STEP_DEFINITIONS(step, fixturemanager, node))
    return iter(_STEP_DEFINITIONS[key])


if _FIND_STEP_DEFINITIONS is not None:
    _BDD_SCENARIO.find_fixturedefs_for_step = _remembered_step_definitions


def pytest_configure(config: pytest.Config) -> None:
    """Register every tag used in features/ as a marker, so --strict-markers and -m work.

    A namespaced tag (``@jira:AV-12``, ``@TestRail:C123``, ``@owner:qa-team``) registers its
    namespace; ``pytest_bdd_apply_tag`` below marks the scenario with it and the value."""
    tags = set()
    for feature in FEATURES.rglob("*.feature"):
        for line in feature.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("@"):
                tags.update(re.findall(r"@([^\s@]+)", line))
    for tag in sorted({tag.split(":", 1)[0] for tag in tags}):
        config.addinivalue_line("markers", f"{tag}: scenarios tagged @{tag} in features/")


# The garbage collector: CPython's default looks at the youngest objects every 700 allocations
# and walks the whole heap (moto, botocore, the collected tests: ~100,000 objects) ~8 times a
# run, 0.5 s of CPU for the suite; every 20,000 allocations, 0.2 s. Cycles are still collected,
# and what their finalizers raise still reaches pytest (at the latest, its collection at exit).
gc.set_threshold(20_000, 10, 10)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What start-up and collection built (modules, the test items) lives as long as the run:
    out of the garbage collector's sight, its full collections look only at what tests made."""
    gc.freeze()


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function: Any) -> Any:
    """``@jira:AV-12`` becomes the mark ``jira(value="AV-12")``.

    pytest reads a marker's name up to its first colon, so ``jira:AV-12`` can be neither
    registered nor named in ``-m``. Select one with ``pytest -m "jira(value='AV-12')"``, every
    Jira-tagged scenario with ``pytest -m jira``. Other tags take pytest-bdd's default path."""
    namespace, colon, value = tag.partition(":")
    if not colon:
        return None
    return getattr(pytest.mark, namespace)(value=value)(function)


def pytest_gherkin_undefined_step_hint(
    request: pytest.FixtureRequest, feature: Feature, scenario: Scenario, step: Step
) -> str | None:
    """An undefined step names the closest sentences of the language, or its right keyword."""
    return hint(step.name, step.type)


def pytest_gherkin_step_evidence(request: pytest.FixtureRequest) -> str | None:
    """What a failing step saw, attached to it in the reports: the vault's outcomes, the
    archive's keys, the audit records and the log API's requests, as far as the scenario has
    them."""
    if "vault" not in request.fixturenames:
        return None
    names = ("vault", "archive", "audit_collection", "log_api")
    return evidence({name: request.getfixturevalue(name) for name in names})


@pytest.fixture(scope="session")
def vault_stack(pytestconfig: pytest.Config) -> str:
    """Which stack the scenarios run on: "inprocess" (the default) or "live"."""
    return str(pytestconfig.getoption("vault_stack"))


@pytest.fixture(scope="session")
def live(pytestconfig: pytest.Config) -> Iterator[Any]:
    """The live stack's servers, started once for the session; a server that cannot start
    stops the whole run with one line saying which, and how to fix it."""
    from conformance.kit import TARGET  # noqa: PLC0415
    from livestack import LiveStackError  # noqa: PLC0415 - only the live stack needs them
    from steps.live import LiveStack  # noqa: PLC0415

    command = pytestconfig.stash[TARGET].command
    try:
        stack = LiveStack(
            command,
            pytestconfig.getoption("live_mongo_uri"),
            pytestconfig.getoption("live_s3_endpoint"),
        )
    except LiveStackError as error:
        pytest.exit(f"the live stack cannot start: {error}", returncode=3)
    yield stack
    stack.close()


# Session scope -------------------------------------------------------------------------------
@pytest.fixture(scope="session", autouse=True)
def botocore_models_read_once() -> Iterator[None]:
    """Every botocore session of the test process shares one data loader.

    The vault makes a boto3 session for each S3 client it builds (vault.bootstrap.s3_client),
    and each session's loader reads and decodes botocore's JSON models again: ~0.1 s of CPU a
    command, most of the cost of a unit test that runs the CLI. The models are read-only data,
    and the clients of one session already share them, so nothing a test checks depends on
    this; settings, credentials and configuration are still read per session. Keyed by
    AWS_DATA_PATH, as botocore builds its loaders."""
    loaders: dict[str | None, Any] = {}
    create_loader = botocore.session.create_loader

    def shared_loader(search_path_string: str | None = None) -> Any:
        if search_path_string not in loaders:
            loaders[search_path_string] = create_loader(search_path_string)
        loader = loaders[search_path_string]
        # boto3 appends its own data folder to a new session's loader: once is enough.
        loader.search_paths[:] = list(dict.fromkeys(loader.search_paths))
        return loader

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(botocore.session, "create_loader", shared_loader)
        yield


@pytest.fixture(scope="session")
def aws_credentials() -> Iterator[None]:
    """Fake credentials, so that no test can ever reach a real AWS account.

    Safe to share: constants, never changed by a test."""
    fake = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }
    with pytest.MonkeyPatch.context() as env:
        for name, value in fake.items():
            env.setenv(name, value)
        for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
            env.delenv(name, raising=False)
        yield


@pytest.fixture(scope="session")
def moto_aws(aws_credentials: None) -> Iterator[None]:
    """One in-process AWS for the session (a fresh one costs ~200 ms per test).

    Safe to share: the only state tests touch is the archive bucket, emptied after each test."""
    with mock_aws(config={"core": {"reset_boto3_session": False}}):
        yield


@pytest.fixture(scope="session")
def s3_writes() -> S3Writes:
    """A counter of S3 write calls, so that archive reads can be reused until something writes.

    Safe to share: it only ever grows; each test compares it with what it saw last."""
    return S3Writes()


@pytest.fixture(scope="session")
def s3(moto_aws: None, s3_writes: S3Writes) -> Any:
    """The suite's own S3 client: the Then steps read through it and tamperers write with it.

    Safe to share: a client holds no test state. Creates the archive bucket once."""
    client = boto3.client("s3", region_name=REGION, config=NO_RETRIES)
    s3_writes.watch(client)
    client.create_bucket(Bucket=ARCHIVE_BUCKET)
    return client


@pytest.fixture(scope="session")
def vault_s3(moto_aws: None, s3_writes: S3Writes) -> Any:
    """The vault's S3 client, apart from the suite's, so that faults touch only the vault.

    Safe to share: per-test fault handlers are removed after each test. Its listings come
    in pages of LISTING_PAGE_KEYS keys, not S3's usual 1,000: S3 may end a page early, and a
    vault that reads only the first page must fail with a handful of objects."""
    client = boto3.client("s3", region_name=REGION, config=NO_RETRIES)
    s3_writes.watch(client)
    client.meta.events.register(
        "provide-client-params.s3.ListObjectsV2", short_listing_pages, unique_id="short-pages"
    )
    return client


def short_listing_pages(params: dict[str, Any], **_: Any) -> None:
    params.setdefault("MaxKeys", LISTING_PAGE_KEYS)


@pytest.fixture(scope="session")
def denied_uploader(s3: Any, s3_writes: S3Writes) -> tuple[Any, Any]:
    """An S3 client for an IAM user denied s3:PutObject on the archive, and the switch that
    makes moto enforce IAM: together, a genuine 403.

    Built only when a scenario asks (~250 ms). Safe to share: the user and its policy never
    change, and IAM is enforced only for the denied upload itself."""
    iam = boto3.client("iam", region_name=REGION)
    user = "vault-without-put-permission"
    iam.create_user(UserName=user)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {
                "Effect": "Deny",
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{ARCHIVE_BUCKET}/*",
            },
        ],
    }
    iam.put_user_policy(
        UserName=user, PolicyName="deny-archive-uploads", PolicyDocument=json.dumps(policy)
    )
    key = iam.create_access_key(UserName=user)["AccessKey"]
    client = boto3.client(
        "s3",
        region_name=REGION,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
        aws_session_token=None,
        config=NO_RETRIES,
    )
    s3_writes.watch(client)
    return client, enable_iam_authentication


@pytest.fixture(scope="session")
def mongo_client() -> Any:
    """An in-memory MongoDB server.

    Safe to share: each test's collection is dropped after it."""
    return mongomock.MongoClient(tz_aware=True)


# Function scope ------------------------------------------------------------------------------
@pytest.fixture
def archive_bucket(request: pytest.FixtureRequest, vault_stack: str) -> Iterator[str]:
    """The archive bucket, empty; afterwards existing and empty again (see steps.archive)."""
    if vault_stack == LIVE:
        yield from request.getfixturevalue("live").archive_bucket()
        return
    s3, s3_writes = request.getfixturevalue("s3"), request.getfixturevalue("s3_writes")
    mark = s3_writes.count
    yield ARCHIVE_BUCKET
    restore_empty_bucket(s3, s3_writes, mark)


@pytest.fixture
def archive(request: pytest.FixtureRequest, vault_stack: str, archive_bucket: str) -> ArchiveBucket:
    """The archive as a user sees it, through the S3 API."""
    if vault_stack == LIVE:
        return request.getfixturevalue("live").archive()
    s3, s3_writes = request.getfixturevalue("s3"), request.getfixturevalue("s3_writes")
    return ArchiveBucket(s3, s3_writes, archive_bucket)


@pytest.fixture
def archive_faults(request: pytest.FixtureRequest, vault_stack: str) -> Iterator[ArchiveFaults]:
    """S3 faults a scenario plans on the vault's uploads; none survive the test."""
    if vault_stack == LIVE:
        yield request.getfixturevalue("live").archive_faults()
        return
    faults = ArchiveFaults(
        request.getfixturevalue("vault_s3"),
        denied=lambda: request.getfixturevalue("denied_uploader"),
    )
    yield faults
    faults.remove()


@pytest.fixture
def audit_collection(request: pytest.FixtureRequest, vault_stack: str) -> Iterator[AuditCollection]:
    """The audit collection the vault writes to, empty; dropped (indexes too) after the test."""
    if vault_stack == LIVE:
        yield from request.getfixturevalue("live").audit_collection()
        return
    collection = request.getfixturevalue("mongo_client")["audit_vault"]["audit_records"]
    yield AuditCollection(collection)
    collection.drop()


@pytest.fixture
def audit(audit_collection: AuditCollection) -> AuditView:
    """The audit records as a user reads them."""
    return AuditView(audit_collection)


@pytest.fixture
def log_api(request: pytest.FixtureRequest, vault_stack: str) -> Iterator[ScriptedLogApi]:
    """The log API, with no answer until a step plans one.

    In process: ``responses``, started inside moto (it depends on it), so that no request
    escapes to the network; every URL and method is caught. Live: a real HTTP server on
    127.0.0.1. Either way a request no step planned fails the scenario, naming it."""
    if vault_stack == LIVE:
        yield from request.getfixturevalue("live").log_api()
        return
    request.getfixturevalue("moto_aws")
    script = ScriptedLogApi()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"):
            mock.add_callback(method, re.compile(r".*"), callback=script.answer)
        yield script


@pytest.fixture
def clock() -> FixedClock:
    """Reads 2026-01-01T00:00:00Z until a step sets it."""
    return FixedClock()


@pytest.fixture
def pauses() -> RecordedPauses:
    """The vault's pauses between attempts, recorded instead of slept."""
    return RecordedPauses()


_PAUSE_LOG_NUMBERS = itertools.count()


@pytest.fixture(scope="session")
def pause_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pause-logs")


@pytest.fixture
def pause_log(pause_logs: Path) -> Path:
    """The in-process vault's VAULT_TEST_PAUSE_LOG: a file of this test's own, empty."""
    log = pause_logs / f"{next(_PAUSE_LOG_NUMBERS)}.log"
    log.write_text("")
    return log


@pytest.fixture
def vault(
    request: pytest.FixtureRequest,
    vault_stack: str,
    log_api: ScriptedLogApi,
    archive_faults: ArchiveFaults,
    archive_bucket: str,
    audit_collection: AuditCollection,
    clock: FixedClock,
    pauses: RecordedPauses,
) -> VaultUnderTest:
    """The vault as an operator runs it: `python -m vault`, in this process over the doubles,
    or (live) the target command as a process of its own over real servers."""
    if vault_stack == LIVE:
        world = request.getfixturevalue("live").vault(log_api, clock, pauses, audit_collection)
        show_environment(request.node, world.environment())
        return world
    from steps.inprocess import InProcessDriver  # noqa: PLC0415 - only the in-process stack

    driver = InProcessDriver(
        log_api=log_api,
        archive_faults=archive_faults,
        audit_collection=audit_collection,
        mongo_client=request.getfixturevalue("mongo_client"),
        clock=clock,
        pauses=pauses,
        pause_log=request.getfixturevalue("pause_log"),
        mongo_uri=START_ENVIRONMENT["VAULT_MONGO_URI"],
    )
    world = VaultUnderTest(
        driver=driver, log_api=log_api, start_environment=dict(START_ENVIRONMENT)
    )
    show_environment(request.node, world.environment())
    return world
