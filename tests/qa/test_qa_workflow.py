"""What a QA engineer meets when writing a new .feature file: namespaced tags select scenarios,
and a step that matches no sentence fails the scenario (never skips it) with guidance.

Each test runs pytest on a feature file of its own, with this project's conftest and steps."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.qa
ROOT = Path(__file__).parents[2]

FEATURE = """\
Feature: Written by QA
  @jira:AV-99 @owner:qa-team
  Scenario: A tagged scenario
    Given the log API serves 2 security log entries
    When the vault runs
    Then the run succeeds

  Scenario: A misspelled step
    Given the log API serves 2 security log entries
    When the vault runs
    Then the log API was caled 1 time

  Scenario: A Then sentence under When
    Given the log API serves 2 security log entries
    When the run succeeds
"""


def run_pytest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "qa.feature").write_text(FEATURE)
    (tmp_path / "test_qa.py").write_text(
        'from pytest_bdd import scenarios\n\nscenarios("features")\n'
    )
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "reporting.plugin",  # as pytest.ini loads it: the conftest implements its hooks
            "-p",
            "steps.stack",  # as pytest.ini loads it: the stack the scenarios run on
            "-p",
            "conftest",  # this project's root conftest.py, loaded as a plugin
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            f"--rootdir={tmp_path}",
            "--strict-markers",
            "-o",
            "bdd_features_base_dir=.",
            *args,
            str(tmp_path / "test_qa.py"),
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_namespaced_tags_do_not_break_collection_and_select_scenarios(tmp_path: Path) -> None:
    result = run_pytest(tmp_path, "--collect-only", "-q", "-m", "jira(value='AV-99')")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1/3 tests collected (2 deselected)" in result.stdout
    assert "test_a_tagged_scenario" in result.stdout


def test_a_step_that_matches_no_sentence_fails_and_never_skips(tmp_path: Path) -> None:
    result = run_pytest(tmp_path, "-q", "-rA")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 failed, 1 passed" in result.stdout
    assert "skipped" not in result.stdout.split("short test summary info")[-1]
    assert "The closest sentences of the language:\n" in result.stdout
    assert "Then the log API was called {count} times\n" in result.stdout
    assert '"the run succeeds" is a Then sentence; it stands after When.' in result.stdout
