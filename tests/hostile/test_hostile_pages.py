"""Issue 21, item 1 and the v3 page rules: pages a hostile log API serves over real sockets on
127.0.0.1 end in a typed error (or are archived as served), never in a crash, and nothing is
half-written; a repair goes on past an archived object that is not a page."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest

from tests.hostile.conftest import (
    HostileServer,
    Peer,
    answer,
    assert_typed,
    vault_run,
)

pytestmark = pytest.mark.real_http
QUICK = 5.0
HUGE = b"9" * 5000  # over int()'s 4,300 digits


def objects(s3: Any, bucket: str) -> dict[str, bytes]:
    listed = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listed}


def key_of(body: bytes) -> str:
    return f"logs/{hashlib.sha256(body).hexdigest()}.json"


def test_a_number_of_5000_digits_is_valid_json_archived_as_served(
    hostile_api: HostileServer, env: dict[str, str], s3: Any, bucket: str
) -> None:
    body = b'{"logs":[{"id":"a","n":' + HUGE + b',"f":-' + HUGE + b"e999}]}"
    hostile_api.plan(answer(200, body))
    trial = vault_run(env)
    assert_typed(trial, "OK", QUICK)
    assert objects(s3, bucket) == {key_of(body): body}


def test_a_content_length_of_5000_digits_is_over_the_limit(
    hostile_api: HostileServer, env: dict[str, str], s3: Any, bucket: str
) -> None:
    hostile_api.plan(answer(200, b'{"logs":[]}', ("Content-Length", "9" * 5000)))
    trial = vault_run(env)
    assert_typed(trial, "PAYLOAD_TOO_LARGE", QUICK)
    assert "page 1: " in trial.stderr
    assert "over the limit of 10485760 bytes" in trial.stderr
    assert len(trial.stderr) < 500
    assert len(hostile_api.requests) == 1
    assert objects(s3, bucket) == {}


def test_a_cursor_holding_a_lone_surrogate_is_invalid_and_its_page_is_not_archived(
    hostile_api: HostileServer, env: dict[str, str], s3: Any, bucket: str
) -> None:
    hostile_api.plan(answer(200, b'{"logs":[{"id":"a"}],"next_cursor":"\\udc80"}'))
    trial = vault_run(env)
    assert_typed(trial, "INVALID_PAYLOAD", QUICK)
    assert "page 1: " in trial.stderr
    assert "lone surrogate" in trial.stderr
    assert len(hostile_api.requests) == 1
    assert objects(s3, bucket) == {}


def looping(count: int, back_to: int) -> Any:
    """Pages 1..count, one entry each; the last names the cursor of page ``back_to`` again."""

    def behave(peer: Peer) -> None:
        cursor = re.search(r"cursor=p(\d+)", peer.target)
        number = int(cursor.group(1)) if cursor else 1
        following = back_to if number == count else number + 1
        body = {"logs": [{"id": f"evt-{number}"}], "next_cursor": f"p{following}"}
        answer(200, json.dumps(body).encode())(peer)

    return behave


def test_a_cursor_that_loops_back_fails_on_the_page_naming_it_after_archiving_it(
    hostile_api: HostileServer, env: dict[str, str], s3: Any, bucket: str
) -> None:
    hostile_api.plan(looping(3, 2))
    trial = vault_run({**env, "VAULT_MAX_PAGES": "3"})  # the repeat is checked before the limit
    assert_typed(trial, "INVALID_PAYLOAD", QUICK)
    assert "page 3: " in trial.stderr
    assert "(3 page(s) archived before the failure)" in trial.stderr
    assert [request.rsplit("cursor=", 1)[-1] for request in hostile_api.requests[1:]] == [
        "p2",
        "p3",
    ]
    assert len(objects(s3, bucket)) == 3


def test_a_repair_goes_on_past_archived_objects_that_are_not_pages(
    env: dict[str, str], s3: Any, bucket: str
) -> None:
    bad = [b'{"logs":[{"n":NaN}]}', b'{"logs":[],"next_cursor":"\\udc80"}', b"\x1b[2J"]
    good = [b'{"logs":[{"n":' + HUGE + b"}]}", b'{"logs":[{"id":"a"}]}', b'{"logs":[{"id":"b"}]}']
    for body in bad + good:
        s3.put_object(Bucket=bucket, Key=key_of(body), Body=body)
    trial = vault_run(env, "repair")
    assert_typed(trial, "OK", QUICK)
    for body in good:
        assert f"wrote {key_of(body)}" in trial.stdout
    for body in bad:
        assert f"left MISSING_RECORD {key_of(body)}: " in trial.stdout
    assert trial.stdout.count("not a valid page") == len(bad)
    assert "\x1b" not in trial.stdout
