"""The conformance kit, proved on targets written for the purpose (tests/conformance/targets):
each planted bug is caught by a scenario; a missing capability is skipped, never failed; text
instead of JSON is an error, not a failure; a known failure that passes is an unexpected pass;
and the live stack catches a vault without a request deadline that the in-process stack cannot.

Each case runs the kit as a user would, ``python -m pytest --vault-stack live ...`` in a
subprocess, on the few scenarios that matter, and reads its ``conformance.json``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.report_options import report_options

pytestmark = pytest.mark.kit

ROOT = Path(__file__).resolve().parents[2]
TARGETS = ROOT / "tests" / "conformance" / "targets"


def kit(tmp_path: Path, *options: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run the kit; return its conformance report, with the console under "console"."""
    reports = tmp_path / "reports"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/acceptance",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            *report_options(reports),
            *options,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, **(env or {})},
        check=False,
    )
    report_file = reports / "conformance.json"
    assert report_file.exists(), done.stdout[-3000:] + done.stderr[-2000:]
    report: dict[str, Any] = json.loads(report_file.read_text())
    report["console"] = done.stdout
    report["exit"] = done.returncode
    return report


def live(target: str, *options: str) -> tuple[str, ...]:
    return ("--vault-stack", "live", "--vault-config", str(TARGETS / f"{target}.toml"), *options)


@pytest.mark.parametrize(
    ("target", "scenario"),
    [
        ("follows_redirects", "redirect_to_the_vaults_own_machine"),
        ("retries_404", "rejected_at_once and 404"),
        ("swallows_s3_403", "denies_the_upload_with_403"),
        ("reserialises_payload", "own_spacing_and_key_order"),
        ("millisecond_keys", "same_payload_twice"),
        ("latin1_credentials", "sent_as_the_operator_wrote"),
    ],
)
def test_each_planted_bug_is_caught_by_a_scenario(
    tmp_path: Path, target: str, scenario: str
) -> None:
    report = kit(tmp_path, *live(target), "-k", scenario)
    assert report["results"].get("failed", 0) >= 1, report["console"][-3000:]
    assert report["exit"] == 1


def test_the_reference_vault_passes_what_catches_the_bugs(tmp_path: Path) -> None:
    chosen = "redirect_to_the_vaults_own_machine or denies_the_upload_with_403 or own_spacing"
    report = kit(tmp_path, "--vault-stack", "live", "-k", chosen)
    assert report["results"] == {"passed": 3}, report["console"][-3000:]


def test_a_vault_lacking_paging_is_skipped_naming_it_never_failed(tmp_path: Path) -> None:
    chosen = "paged_pull_run_twice or loops_back or names_a_cursor_of_its_own"
    report = kit(tmp_path, *live("first_page_only"), "-k", chosen)
    assert set(report["results"]) == {"skipped"}, report["console"][-3000:]
    assert report["results"]["skipped"] >= 3
    # Its file lacks paging; the kit adds what only the reference vault has (its own wording).
    assert report["capabilities_lacked"] == ["paging", "wording"]
    assert "the target lacks paging" in report["console"]
    assert report["score"] == 0.0


def test_text_instead_of_json_is_an_error_not_a_failure(tmp_path: Path) -> None:
    report = kit(tmp_path, *live("prints_text"), "-k", "same_payload_twice")
    assert report["results"] == {"errored": 1}, report["console"][-3000:]
    assert "1 errored" in report["console"]
    assert "the vault broke its contract" in report["console"]


def test_a_known_failure_that_passes_is_an_unexpected_pass(tmp_path: Path) -> None:
    report = kit(tmp_path, *live("reference_unexpected_pass"), "-k", "byte_for_byte_and_audited")
    assert report["results"] == {"unexpectedly-passing": 1}, report["console"][-3000:]
    assert report["exit"] == 1


def test_the_smoke_run_stops_a_broken_harness_with_advice(tmp_path: Path) -> None:
    report = kit(tmp_path, *live("prints_text"), "--vault-smoke", "-m", "smoke")
    assert report["results"].get("passed", 0) == 0, report["console"][-3000:]
    assert "Check your harness" in report["console"]


def test_a_vault_without_a_deadline_passes_in_process_and_fails_live(tmp_path: Path) -> None:
    """The in-process double raises a timeout at once, so a vault with no deadline looks fine
    there; over real sockets the trickle is held, and the vault is seen to wait."""
    chosen = ("-k", "trickle_that_never_ends")
    in_process = kit(tmp_path / "in", *chosen, env={"VAULT_PLANT": "no_http_deadline"})
    assert in_process["results"] == {"passed": 1}, in_process["console"][-3000:]
    over_sockets = kit(tmp_path / "live", *live("no_http_deadline"), *chosen)
    assert over_sockets["results"] == {"failed": 1}, over_sockets["console"][-3000:]
    assert 'mention "timed out"' in over_sockets["console"]


def test_a_vault_in_a_container_gets_its_environment_from_the_kits_env_file(
    tmp_path: Path,
) -> None:
    """``--vault-command "docker run --rm --network host --env-file {env_file} IMAGE ..."``: the
    kit writes {env_file}; here a stand-in for ``docker run`` reads it as docker does and starts
    the vault with nothing else, and the scenario passes only if every setting got there."""
    runner = ROOT / "tests" / "kit" / "envfile_runner.py"
    command = f"{sys.executable} {runner} --env-file {{env_file}} {sys.executable} -m vault"
    report = kit(
        tmp_path,
        "--vault-stack",
        "live",
        "--vault-command",
        command,
        "-k",
        "table_are_archived_exactly or token_the_log_api_requires",
        env={"PYTHONPATH": str(ROOT)},
    )
    assert report["results"] == {"passed": 2}, report["console"][-3000:]
    assert "--env-file" in report["command"]
