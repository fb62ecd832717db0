"""The evidence a failing step carries into the reports: what a PM needs to read the cause."""

from __future__ import annotations

from steps.archive import ArchiveBucket
from steps.audit_log import AuditCollection
from steps.evidence import evidence
from steps.log_api import ScriptedLogApi
from steps.world import VaultUnderTest


def test_evidence_shows_the_outcome_the_archive_the_records_and_the_requests(
    vault: VaultUnderTest,
    log_api: ScriptedLogApi,
    archive: ArchiveBucket,
    audit_collection: AuditCollection,
) -> None:
    log_api.serve_entries(2)
    vault.run()
    vault.verify()
    text = evidence(
        {
            "vault": vault,
            "log_api": log_api,
            "archive": archive,
            "audit_collection": audit_collection,
        }
    )
    assert text is not None
    (key,) = archive.keys()
    assert (
        "What the vault printed:\n$ python -m vault run --json   (exit status 0)\n"
        '  stdout| {"ok": true, "pages_archived": 1' in text
    )
    assert (
        "$ python -m vault verify --json   (exit status 0)\n"
        '  stdout| {"ok": true, "bucket": "audit-vault-archive"' in text
    )
    assert f"The archive (s3://audit-vault-archive), 1 object(s):\n  {key}" in text
    assert f'The audit log, 1 record(s):\n[\n  {{\n    "s3_key": "{key}"' in text
    assert (
        "The log API's requests, 1 in all:\n  1. GET "
        "https://security-logs.example.test:8443/api/logs?tenant=acme" in text
    )


def test_evidence_shows_a_failed_run_and_says_nothing_of_what_the_scenario_never_used(
    vault: VaultUnderTest, log_api: ScriptedLogApi
) -> None:
    log_api.always_respond(404)
    vault.run()
    text = evidence({"vault": vault})
    assert text == (
        "What the vault printed:\n$ python -m vault run --json   (exit status 1)\n"
        '  stdout| {"ok": false, "code": "SOURCE_REJECTED", "message": "SOURCE_REJECTED: page 1: '
        "HTTP 404 from https://security-logs.example.test:8443/api/logs (0 page(s) archived "
        'before the failure)", "page": 1, "pages_archived": 0}\n'
        "  stderr| vault: run failed: SOURCE_REJECTED: page 1: HTTP 404 from "
        "https://security-logs.example.test:8443/api/logs (0 page(s) archived before the failure)"
    )
    assert evidence({}) is None
