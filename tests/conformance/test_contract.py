"""conformance.contract: what a command printed, held to the process contract (v3)."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from conformance.contract import (
    SCHEMA_DIR,
    ContractBroken,
    Problem,
    capabilities,
    check,
    command_of,
    problem_kinds,
    run_error_codes,
    schema,
)

RUN = ["python", "-m", "vault", "run", "--json"]
VERIFY = ["docker", "run", "--rm", "image", "verify", "--json"]
REPAIR = ["./vault", "repair", "--json"]
KEY = "logs/" + "a" * 64 + ".json"


def doc(**fields: object) -> str:
    return json.dumps(fields) + "\n"


def failed_run(**fields: object) -> str:
    return doc(**{"ok": False, "code": "SOURCE_REJECTED", "message": "page 1: HTTP 404",
                  "page": 1, "pages_archived": 0, **fields})  # fmt: skip


REFUSAL = doc(ok=False, code="BAD_SETTINGS", message="fix", settings=["VAULT_BUCKET"])


@pytest.mark.parametrize("name", ["run", "verify", "repair", "refusal", "failure"])
def test_each_schema_is_a_valid_draft_2020_12_schema_named_by_its_file(name: str) -> None:
    document = schema(name)
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$id"].endswith(f"/{name}.schema.json")
    assert (SCHEMA_DIR / f"{name}.schema.json").is_file()


def test_the_codes_are_the_run_errors_of_the_language_and_the_kinds_its_problems() -> None:
    from vault.errors import ERROR_CODES  # the reference's published codes, for comparison only

    assert sorted(run_error_codes()) == sorted(error.code for error in ERROR_CODES)
    assert problem_kinds() == ("MISSING_RECORD", "MISSING_OBJECT", "CHECKSUM_MISMATCH")


def test_the_capabilities_are_the_fixed_names_each_with_a_meaning() -> None:
    listed = capabilities()
    assert list(listed) == [
        "paging", "verify", "repair", "clock-hook", "pause-hook", "limits", "messages", "settings",
        "wording",
    ]  # fmt: skip
    assert all(meaning.strip() and "\n" not in meaning for meaning in listed.values())


def test_a_successful_run_is_read_with_the_fields_it_may_add() -> None:
    outcome = check(RUN, 0, doc(ok=True, pages_archived=3, took_ms=12), "vault: done\n")
    assert (outcome.command, outcome.ok, outcome.pages_archived) == ("run", True, 3)
    assert (outcome.code, outcome.page, outcome.refused) == (None, None, False)
    assert outcome.extra == {"took_ms": 12}
    assert outcome.stderr == "vault: done\n"


def test_a_failed_run_is_read_with_its_code_message_and_page() -> None:
    outcome = check(RUN, 1, failed_run(code="PAGE_LIMIT_REACHED", page=4, pages_archived=4))
    assert (outcome.ok, outcome.code, outcome.page, outcome.pages_archived) == (
        False, "PAGE_LIMIT_REACHED", 4, 4,
    )  # fmt: skip
    assert outcome.message == "page 1: HTTP 404"


def test_a_verification_is_read_with_its_problems() -> None:
    problems = [{"kind": "MISSING_RECORD", "key": KEY, "detail": "no record"}]
    outcome = check(VERIFY, 1, doc(ok=False, problems=problems))
    assert outcome.command == "verify"
    assert outcome.problems == (Problem("MISSING_RECORD", KEY),)
    assert check(VERIFY, 0, doc(ok=True, problems=[])).problems == ()


def test_a_repair_is_read_with_the_records_it_wrote() -> None:
    outcome = check(REPAIR, 0, doc(ok=True, records_written=[KEY]))
    assert (outcome.command, outcome.records_written) == ("repair", (KEY,))


@pytest.mark.parametrize("argv", [VERIFY, REPAIR])
def test_a_typed_failure_of_verify_or_repair_is_read(argv: list[str]) -> None:
    outcome = check(argv, 1, doc(ok=False, code="AUDIT_UNAVAILABLE", message="no MongoDB"))
    assert (outcome.ok, outcome.code, outcome.message) == (False, "AUDIT_UNAVAILABLE", "no MongoDB")


@pytest.mark.parametrize("argv", [RUN, VERIFY, REPAIR])
def test_a_refusal_of_any_command_names_its_settings(argv: list[str]) -> None:
    outcome = check(argv, 2, REFUSAL, "vault: VAULT_BUCKET is not set\n")
    assert outcome.refused
    assert outcome.settings == ("VAULT_BUCKET",)


def test_streams_may_be_bytes() -> None:
    outcome = check(RUN, 0, b'{"ok": true, "pages_archived": 0}', b"\xff warning\n")
    assert outcome.pages_archived == 0


BROKEN = {
    "an exit status outside 0/1/2": (RUN, 70, "", "exit status 70"),
    "a crash killed by a signal": (RUN, -9, "", "exit status -9"),
    "nothing on stdout": (RUN, 0, "", "printed nothing"),
    "text instead of JSON": (RUN, 0, "vault: archived 1 page(s)\n", "stdout is not JSON"),
    "text before the JSON": (RUN, 0, "hello " + doc(ok=True, pages_archived=1), "not JSON"),
    "text after the JSON": (RUN, 0, doc(ok=True, pages_archived=1) + "done\n", "more after"),
    "two JSON documents": (RUN, 0, doc(ok=True, pages_archived=1) * 2, "more after"),
    "a JSON array": (RUN, 0, "[]", "a JSON list"),
    "a repeated key": (RUN, 0, '{"ok": false, "ok": true, "pages_archived": 1}', "twice"),
    "NaN": (RUN, 0, '{"ok": true, "pages_archived": NaN}', "NaN is not JSON"),
    "a success without pages_archived": (RUN, 0, doc(ok=True), "'pages_archived' is a required"),
    "pages_archived as text": (RUN, 0, doc(ok=True, pages_archived="1"), "not of type 'integer'"),
    "pages_archived as a boolean": (RUN, 0, doc(ok=True, pages_archived=True), "integer"),
    "a failed run without its page": (RUN, 1, failed_run(page=None), "not of type 'integer'"),
    "a page 0": (RUN, 1, failed_run(page=0), "less than the minimum of 1"),
    "an unknown code": (RUN, 1, failed_run(code="OOPS"), "'OOPS' is not one of"),
    "a message that is not text": (RUN, 1, failed_run(message=None), "not of type 'string'"),
    "ok that is not a boolean": (RUN, 0, doc(ok="true", pages_archived=1), "not valid under any"),
    "a success with exit 1": (RUN, 1, doc(ok=True, pages_archived=1), "ended with exit status 1"),
    "a failure with exit 0": (RUN, 0, failed_run(), "ended with exit status 0"),
    "a refusal with exit 1": (RUN, 1, REFUSAL, "a refusal ends with 2"),
    "exit 2 without a refusal": (RUN, 2, failed_run(), "the refusal does not match"),
    "a refusal naming no setting": (
        RUN,
        2,
        doc(ok=False, code="BAD_SETTINGS", message="m", settings=[]),
        "non-empty",
    ),
    "a refused setting not on stderr": (RUN, 2, REFUSAL, "did not name VAULT_BUCKET"),
    "a verification without problems": (VERIFY, 1, doc(ok=False), "not valid under any"),
    "problems with exit 0": (
        VERIFY,
        0,
        doc(ok=True, problems=[{"kind": "MISSING_OBJECT", "key": KEY}]),
        "expected to be empty",
    ),
    "no problem with exit 1": (VERIFY, 1, doc(ok=False, problems=[]), "should be non-empty"),
    "an unknown kind": (
        VERIFY,
        1,
        doc(ok=False, problems=[{"kind": "LOST", "key": KEY}]),
        "'LOST' is not one of",
    ),
    "a problem without its key": (
        VERIFY,
        1,
        doc(ok=False, problems=[{"kind": "MISSING_RECORD"}]),
        "'key' is a required",
    ),
    "a repair without records_written": (REPAIR, 0, doc(ok=True), "'records_written' is a requ"),
    "a repair failure without a code": (REPAIR, 1, doc(ok=False, message="m"), "'code' is a req"),
    "stdout that is not UTF-8": (RUN, 0, b'{"ok": true, "pages_archived": "\xff"}', "UTF-8"),
}


@pytest.mark.parametrize(("argv", "status", "stdout", "says"), BROKEN.values(), ids=list(BROKEN))
def test_a_broken_contract_is_named(argv: list[str], status: int, stdout: str, says: str) -> None:
    with pytest.raises(ContractBroken) as broken:
        check(argv, status, stdout, "vault: something went wrong\n")
    assert says in broken.value.reason
    assert broken.value.reason == str(broken.value)


def test_a_broken_contract_quotes_both_streams() -> None:
    with pytest.raises(ContractBroken) as broken:
        check(RUN, 0, "x" * 1000, "Traceback (most recent call last):\n  KeyError: 'ok'\n")
    assert "stdout: '" + "x" * 300 + "'..." in broken.value.reason
    assert "KeyError: 'ok'" in broken.value.reason


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (RUN, "run"),
        (VERIFY, "verify"),
        (REPAIR, "repair"),
        (["docker", "run", "run", "--json"], "run"),
    ],
)
def test_the_command_is_what_the_suite_appended(argv: list[str], command: str) -> None:
    assert command_of(argv) == command


@pytest.mark.parametrize("argv", [["python", "-m", "vault", "run"], ["demo", "--json"], []])
def test_an_argv_the_suite_did_not_build_is_the_suites_mistake(argv: list[str]) -> None:
    with pytest.raises(ValueError, match="must end with"):
        command_of(argv)
