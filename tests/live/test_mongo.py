"""The live MongoDB stack over real sockets: the vault's wire proxy, its count and its faults."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pymongo
import pytest
from pymongo.errors import DuplicateKeyError, PyMongoError, ServerSelectionTimeoutError

from livestack import MongoStack

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def stack() -> Iterator[MongoStack]:
    mongo = MongoStack().start()
    yield mongo
    mongo.stop()


@pytest.fixture
def mongo(stack: MongoStack) -> MongoStack:
    stack.reset()
    return stack


@pytest.fixture
def vault_log(mongo: MongoStack) -> Iterator[Any]:
    """The audit log as the vault sees it: through the proxy."""
    client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(
        mongo.vault_uri, serverSelectionTimeoutMS=2000
    )
    yield client.audit_vault.audit_records
    client.close()


def test_inserts_are_counted_and_other_commands_are_not(mongo: MongoStack, vault_log: Any) -> None:
    vault_log.database.client.admin.command("ping")
    vault_log.create_index("s3_key", unique=True)
    vault_log.insert_one({"s3_key": "a"})
    vault_log.insert_one({"s3_key": "b"})
    assert vault_log.find_one({"s3_key": "a"})["s3_key"] == "a"
    vault_log.count_documents({})

    assert mongo.writes == 2
    assert mongo.suite_collection().count_documents({}) == 2


@pytest.mark.parametrize("code", [91, 13])
def test_inserts_after_n_get_a_mongodb_error(mongo: MongoStack, vault_log: Any, code: int) -> None:
    mongo.reject_writes(after=1, code=code)
    vault_log.insert_one({"s3_key": "a"})

    with pytest.raises(PyMongoError) as raised:
        vault_log.insert_one({"s3_key": "b"})

    assert not isinstance(raised.value, DuplicateKeyError)
    assert raised.value.details["code"] == code  # type: ignore[attr-defined]
    assert mongo.writes == 2
    assert [r["s3_key"] for r in mongo.suite_collection().find()] == ["a"]
    mongo.clear()
    vault_log.insert_one({"s3_key": "b"})
    assert mongo.suite_collection().count_documents({}) == 2


def test_a_duplicate_still_passes_through(mongo: MongoStack, vault_log: Any) -> None:
    vault_log.create_index("s3_key", unique=True)
    vault_log.insert_one({"s3_key": "a"})

    with pytest.raises(DuplicateKeyError) as raised:
        vault_log.insert_one({"s3_key": "a"})

    assert raised.value.code == 11000
    assert mongo.writes == 2


def test_reset_empties_the_audit_log_and_ends_the_faults(mongo: MongoStack) -> None:
    mongo.suite_collection().insert_one({"s3_key": "a"})
    mongo.reject_writes()

    mongo.reset()

    assert (mongo.writes, mongo.suite_collection().count_documents({})) == (0, 0)
    assert mongo._refusal("insert") is None


def test_an_unreachable_uri_fails_fast() -> None:
    client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(
        MongoStack.unreachable_uri(), serverSelectionTimeoutMS=500
    )
    started = time.monotonic()
    with pytest.raises(ServerSelectionTimeoutError):
        client.admin.command("ping")
    assert time.monotonic() - started < 2
    client.close()


def test_a_given_server_is_used_through_its_own_proxy(mongo: MongoStack) -> None:
    given = MongoStack(uri=mongo.server_uri).start()
    try:
        assert given.vault_uri.endswith("/?directConnection=true")
        client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(given.vault_uri)
        client.audit_vault.audit_records.insert_one({"s3_key": "a"})
        client.close()

        assert (given.writes, mongo.writes) == (1, 0)
        assert mongo.suite_collection().count_documents({}) == 1
    finally:
        given.stop()
