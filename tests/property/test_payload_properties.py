"""Properties of payload validation and key derivation, over inputs hypothesis invents."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.fakes import FakeLogSource, Rig
from vault.errors import InvalidPayload
from vault.payload import key_for_digest, parse_page


def key_of(body: bytes) -> str:
    """The archive key the vault derives for these bytes."""
    return key_for_digest(hashlib.sha256(body).hexdigest())


pytestmark = pytest.mark.property
LIMIT = 10 * 1024 * 1024

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
entries = st.dictionaries(st.text(), json_values, max_size=5)
pages = st.fixed_dictionaries(
    {"logs": st.lists(entries, max_size=6)},
    optional={"next_cursor": st.none(), "source": json_values},
)
encodings = st.fixed_dictionaries(
    {
        "ensure_ascii": st.booleans(),
        "indent": st.none() | st.integers(0, 4),
        "sort_keys": st.booleans(),
        "separators": st.sampled_from([(",", ":"), (", ", ": "), (" , ", " : ")]),
    }
)


@settings(max_examples=150, deadline=None)
@given(page=pages, encoding=encodings)
def test_any_object_with_a_logs_array_of_objects_is_archived_byte_for_byte(
    page: dict[str, Any], encoding: dict[str, Any]
) -> None:
    body = json.dumps(page, **encoding).encode("utf-8")
    rig = Rig(source=FakeLogSource({None: [body]}))
    result = rig.service().run()
    if page["logs"]:
        assert rig.archive.objects == {key_of(body): body}
        (record,) = rig.audit_log.records.values()
        assert (record.sha256, record.size_bytes) == (hashlib.sha256(body).hexdigest(), len(body))
        assert record.log_count == len(page["logs"])
    else:
        assert rig.archive.objects == {}
    assert result.pages_fetched == 1


def _not_a_page(value: Any) -> bool:
    return not (
        isinstance(value, dict)
        and isinstance(value.get("logs"), list)
        and all(isinstance(entry, dict) for entry in value["logs"])
        and (value.get("next_cursor") is None or isinstance(value.get("next_cursor"), str))
    )


@settings(max_examples=200, deadline=None)
@given(
    value=json_values
    | st.fixed_dictionaries({"logs": json_values})
    | st.fixed_dictionaries({"logs": st.lists(json_values, min_size=1)})
)
def test_any_other_json_is_invalid_payload(value: Any) -> None:
    body = json.dumps(value).encode("utf-8")
    if _not_a_page(value):
        with pytest.raises(InvalidPayload):
            parse_page(body, LIMIT)


@settings(max_examples=300, deadline=None)
@given(body=st.binary(max_size=200))
def test_arbitrary_bytes_are_a_page_or_invalid_payload_never_a_crash(body: bytes) -> None:
    try:
        page = parse_page(body, LIMIT)
    except InvalidPayload:
        return  # refused with the typed error: any other exception fails the test
    assert page.body == body


@given(first=st.binary(), second=st.binary())
def test_equal_payloads_share_a_key_and_different_ones_do_not(first: bytes, second: bytes) -> None:
    assert key_of(first) == key_of(bytes(first))
    assert (key_of(first) == key_of(second)) == (first == second)
    assert key_of(first).startswith("logs/")
    assert key_of(first).endswith(".json")
    assert "/" not in key_of(first).removeprefix("logs/")
