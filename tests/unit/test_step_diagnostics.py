"""Every Then step can fail, and says what it expected and what it found."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from steps import given, then
from steps.archive import ARCHIVE_BUCKET, ArchiveBucket
from steps.audit_log import AuditView
from steps.log_api import ScriptedLogApi, UnplannedRequest
from steps.world import RecordedPauses, ScenarioMistake, VaultUnderTest

BODY = b'{"logs":[{"id":"evt-1"}]}'


@pytest.fixture
def archived(vault: VaultUnderTest, log_api: ScriptedLogApi) -> VaultUnderTest:
    log_api.serve_body(BODY)
    vault.run()
    return vault


def test_run_outcome_steps_name_the_error_or_the_success(
    vault: VaultUnderTest, log_api: ScriptedLogApi
) -> None:
    with pytest.raises(AssertionError, match="the vault has not run yet"):
        then.run_succeeds(vault)
    log_api.always_respond(404)
    vault.run()
    with pytest.raises(
        AssertionError,
        match=r"but it failed:\n  \$ python -m vault run --json   \(exit status 1\)\n.*\n"
        r"    stderr\| vault: run failed: SOURCE_REJECTED: page 1: HTTP 404",
    ):
        then.run_succeeds(vault)
    with pytest.raises(
        AssertionError, match=r'expected error "INVALID_PAYLOAD", but:\n.*\(exit status 1\)'
    ):
        then.run_fails(vault, "INVALID_PAYLOAD")


def test_run_fails_says_when_the_run_succeeded(archived: VaultUnderTest) -> None:
    with pytest.raises(
        AssertionError,
        match=r'but it succeeded:\n.*\n\s*stdout\| \{"ok": true, "pages_archived": 1',
    ):
        then.run_fails(archived, "SOURCE_REJECTED")


def test_call_and_pause_counts_list_what_happened(
    archived: VaultUnderTest, log_api: ScriptedLogApi, pauses: RecordedPauses
) -> None:
    with pytest.raises(AssertionError, match=r"called 1 time\(s\):\n\s+1\. GET https://"):
        then.api_called(log_api, 2)
    with pytest.raises(AssertionError, match=r"expected 1 pause\(s\) before retrying, found 0"):
        then.paused(pauses, 1)
    with pytest.raises(AssertionError, match="but the vault never paused"):
        then.waited_at_least(pauses, 1)
    pauses.seconds.extend([1.25, 2.5])
    with pytest.raises(
        AssertionError, match=r"the longest was 2.500s \(all pauses: \[1.25, 2.5\] seconds\)"
    ):
        then.waited_at_least(pauses, 3)


def test_archive_steps_show_the_keys_they_found(
    archived: VaultUnderTest, archive: ArchiveBucket, log_api: ScriptedLogApi
) -> None:
    with pytest.raises(AssertionError, match=r"expected 2 archived object\(s\), found 1: \['logs/"):
        then.archive_holds(archive, 2)
    with pytest.raises(AssertionError, match=r"expected an empty archive, found 1 object\(s\)"):
        then.archive_empty(archive)
    log_api.serve_body(b'{"logs":[]}')
    with pytest.raises(AssertionError, match="is not byte-for-byte a body the log API served"):
        then.archived_verbatim(archive, log_api)


def test_object_steps_need_exactly_one_object(
    archived: VaultUnderTest, archive: ArchiveBucket, s3: Any, audit: AuditView
) -> None:
    s3.put_object(Bucket=ARCHIVE_BUCKET, Key="logs/other.json", Body=b"{}")
    with pytest.raises(AssertionError, match=r"expected exactly one archived object, found 2"):
        then.record_points(audit, archive)


def test_audit_steps_show_the_records_they_found(
    archived: VaultUnderTest, audit: AuditView, archive: ArchiveBucket
) -> None:
    with pytest.raises(
        AssertionError, match=r'expected 2 audit record\(s\), found 1:\n\s+\[\n\s+\{\n\s+"s3_key"'
    ):
        then.audit_holds(audit, 2)
    with pytest.raises(AssertionError, match="expected no audit record, found 1"):
        then.no_audit_record(audit)
    with pytest.raises(AssertionError, match='expected status "REJECTED", found "ARCHIVED"'):
        then.record_status(audit, "REJECTED")
    with pytest.raises(AssertionError, match=r"differs:\n\s+log_count: expected '2', found '1'"):
        then.record_fields(audit, [["field", "value"], ["log_count", "2"]])
    with pytest.raises(AssertionError, match="  owner: expected 'x', found no such field"):
        then.record_fields(audit, [["field", "value"], ["owner", "x"]])
    with pytest.raises(AssertionError, match=r"first row must be \| field \| value \|"):
        then.record_fields(audit, [["name", "value"], ["status", "ARCHIVED"]])


def test_pointer_and_checksum_steps_catch_a_wrong_record(
    archived: VaultUnderTest, audit: AuditView, archive: ArchiveBucket
) -> None:
    audit.collection.update_one({}, {"$set": {"s3_key": "logs/elsewhere.json", "sha256": "0" * 64}})
    with pytest.raises(
        AssertionError, match=r"it points to s3://audit-vault-archive/logs/elsewhere"
    ):
        then.record_points(audit, archive)
    with pytest.raises(AssertionError, match=r"the record says \{'sha256': '000"):
        then.record_checksum(audit, archive)
    with pytest.raises(AssertionError, match="point to objects that are not archived"):
        then.no_orphan_records(audit, archive)


def test_record_steps_need_exactly_one_record(vault: VaultUnderTest, audit: AuditView) -> None:
    with pytest.raises(AssertionError, match=r"expected exactly one audit record, found 0"):
        then.record_status(audit, "ARCHIVED")


def test_a_request_no_step_planned_fails_the_scenario_naming_it(
    vault: VaultUnderTest, log_api: ScriptedLogApi
) -> None:
    with pytest.raises(
        UnplannedRequest,
        match=r"GET https://security-logs\.example\.test:8443/api/logs\?tenant=acme",
    ):
        vault.run()
    # The command is kept for the evidence, but never judged: no run is read from it.
    assert len(vault.commands) == 1
    assert vault.runs == [], "the vault's answer to an unplanned request must not be judged"


def test_a_request_to_any_other_url_fails_the_scenario_too(log_api: ScriptedLogApi) -> None:
    with (
        requests.Session() as session,
        pytest.raises(UnplannedRequest, match=r"no step planned POST https://elsewhere\.test/x"),
    ):
        session.post("https://elsewhere.test/x", timeout=1)
    assert len(log_api.unplanned) == 1


def test_the_archive_view_reuses_reads_until_s3_accepts_a_write(
    archive: ArchiveBucket, s3: Any
) -> None:
    listings: list[str] = []

    def count(**_: Any) -> None:
        listings.append("list")

    s3.meta.events.register("before-call.s3.ListObjectsV2", count)
    try:
        assert archive.keys() == []
        assert archive.keys() == []
        s3.put_object(Bucket=ARCHIVE_BUCKET, Key="logs/a.json", Body=b"{}")
        assert archive.keys() == ["logs/a.json"]
    finally:
        s3.meta.events.unregister("before-call.s3.ListObjectsV2", count)
    assert listings == ["list", "list"]


def test_a_read_before_any_listing_does_not_hide_the_objects(
    archive: ArchiveBucket, s3: Any
) -> None:
    s3.put_object(Bucket=ARCHIVE_BUCKET, Key="logs/a.json", Body=b"{}")
    assert archive.read("logs/a.json")[0] == b"{}"
    assert archive.keys() == ["logs/a.json"]


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (given.max_attempts, "the attempts per request must be at least 1, the scenario says 0"),
        (given.body_limit, "the body size limit must be at least 1, the scenario says 0"),
        (given.page_limit, "the page limit must be at least 1, the scenario says 0"),
    ],
    ids=["attempts", "body size", "pages"],
)
def test_a_limit_below_one_is_refused_by_its_step(
    vault: VaultUnderTest, step: Any, message: str
) -> None:
    with pytest.raises(ScenarioMistake, match=message):
        step(vault, 0)
    assert vault.commands == [], "a mistake in the scenario is not a run"


def test_integrity_steps_need_a_verification_or_a_repair_first(vault: VaultUnderTest) -> None:
    with pytest.raises(AssertionError, match="add 'When the vault verifies the archive'"):
        then.verification_passes(vault)
    with pytest.raises(AssertionError, match="add 'When the vault repairs the audit log'"):
        then.repair_writes(vault, 0)
    vault.repair()
    with pytest.raises(AssertionError, match="has not verified the archive"):
        then.verification_problems(vault, 0)


def test_failure_detail_steps_say_what_they_found(
    vault: VaultUnderTest, log_api: ScriptedLogApi, pauses: RecordedPauses
) -> None:
    log_api.serve_entries(3, page_size=1)
    log_api.always_respond(503)
    vault.run()
    with pytest.raises(
        AssertionError,
        match=r'fail on page 2, but:\n.*\n.*"code": "SOURCE_UNAVAILABLE", "message": '
        r'"SOURCE_UNAVAILABLE: page 1',
    ):
        then.run_fails_on_page(vault, 2)
    with pytest.raises(AssertionError, match=r"report 1 page\(s\) archived, it reports 0"):
        then.run_reports_pages(vault, 1)
    with pytest.raises(
        AssertionError,
        match=r'mention "HTTP 418", it reads:\n.*\n.*"message": "SOURCE_UNAVAILABLE: page 1',
    ):
        then.error_mentions(vault, "HTTP 418")
    with pytest.raises(AssertionError, match=r"expected 5 request\(s\) for page 1, found 3"):
        then.api_called_for_page(log_api, 5, 1)
    with pytest.raises(AssertionError, match=r"no pause longer than 1s, the longest was 2\.\d+s"):
        then.waited_at_most(pauses, 1)


def test_integrity_steps_list_the_problems_they_found(
    archived: VaultUnderTest, audit: AuditView
) -> None:
    audit.delete_first()
    archived.verify()
    with pytest.raises(
        AssertionError,
        match=r'the verification to pass, but:\n.*\n\s*stdout\| .*"kind": '
        r'"MISSING_RECORD", "key": "logs/',
    ):
        then.verification_passes(archived)
    with pytest.raises(
        AssertionError, match=r'expected "MISSING_OBJECT" for 1 object\(s\), found 0'
    ):
        then.verification_kind(archived, "MISSING_OBJECT", 1)
    with pytest.raises(AssertionError, match=r'"MISSING" is not a kind of problem'):
        then.verification_kind(archived, "MISSING", 1)
    archived.repair()
    with pytest.raises(
        AssertionError, match=r"expected the repair to write 2 record\(s\), it wrote 1"
    ):
        then.repair_writes(archived, 2)
    with pytest.raises(
        AssertionError, match=r'expected 2 audit record\(s\) with status "RECOVERED", found 1'
    ):
        then.records_with_status(audit, 2, "RECOVERED")


def test_the_log_api_refuses_a_request_without_the_operators_query(
    log_api: ScriptedLogApi,
) -> None:
    log_api.serve_body(BODY)
    with (
        requests.Session() as session,
        pytest.raises(UnplannedRequest, match=r"does not carry the tenant=acme of VAULT_API_URL"),
    ):
        session.get(f"{log_api.logs_url}?cursor=page-2", timeout=1)
    assert session.get(f"{log_api.logs_url}?tenant=acme", timeout=1).content == BODY


def test_the_contract_reader_takes_one_json_object_and_calls_anything_else_broken() -> None:
    from steps.console import Command, ContractBroken, RunReport

    answer = '{"ok": true, "pages_archived": 1}\n'
    warned = Command(("run", "--json"), 0, answer, "vault: warning: urllib3: retrying\n")
    assert RunReport.read(warned).pages_archived == 1
    failed = (
        '{"ok": false, "code": "SOURCE_REJECTED", "message": "m", "page": 1, "pages_archived": 0}'
    )
    report = RunReport.read(Command(("run", "--json"), 1, failed + "\n", ""))
    assert (report.code, report.page, report.pages_archived) == ("SOURCE_REJECTED", 1, 0)
    for status, out in (
        (0, "vault: archived 1 page(s)\n"),  # text, not JSON
        (0, answer + answer),  # two documents
        (70, answer),  # a status outside 0, 1, 2
        (1, answer),  # ok with a failure's status
    ):
        with pytest.raises(ContractBroken, match="contract"):
            RunReport.read(Command(("run", "--json"), status, out, ""))
