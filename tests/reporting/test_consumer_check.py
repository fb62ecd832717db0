"""scripts/check-consumer.py fails when a third-party reader's counts, statuses or tags differ."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.reporting
SCRIPT = Path(__file__).parents[2] / "scripts" / "check-consumer.py"
PROPERTIES = (
    '<properties><property name="feature" value="F" /><property name="scenario" value="{}" />'
)
JUNIT = f"""<testsuites><testsuite>
<testcase name="a">{PROPERTIES.format("Adds")}</properties></testcase>
<testcase name="b">{PROPERTIES.format("Breaks")}</properties>
<failure message="AssertionError: no" /></testcase>
<testcase name="c">{PROPERTIES.format("Unknown")}</properties>
<failure message="pytest_bdd.exceptions.StepDefinitionNotFoundError: ..." /></testcase>
<testcase name="unit" />
</testsuite></testsuites>"""
TAGS = {"Adds": ["@f"], "Breaks": ["@f", "@b"], "Unknown": ["@f"]}
SEEN = [
    {"feature": "F", "name": "Adds", "status": "passed", "tags": ["@f"]},
    {"feature": "F", "name": "Breaks", "status": "failed", "tags": ["@b", "@f"]},
    {"feature": "F", "name": "Unknown", "status": "broken", "tags": ["@f", "@f"]},
]


def check(tmp_path: Path, seen: list[dict[str, object]]) -> subprocess.CompletedProcess[str]:
    (tmp_path / "junit.xml").write_text(JUNIT)
    elements = [
        {"name": n, "tags": [{"name": t, "line": 1} for t in tags]} for n, tags in TAGS.items()
    ]
    (tmp_path / "cucumber.json").write_text(json.dumps([{"name": "F", "elements": elements}]))
    (tmp_path / "seen.json").write_text(json.dumps(seen))
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path), str(tmp_path / "seen.json")],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_reader_that_saw_what_ran_passes(tmp_path: Path) -> None:
    result = check(tmp_path, SEEN)
    assert result.returncode == 0, result.stderr
    assert "Allure read 3 scenarios as pytest ran them (1 passed, 1 failed, 1 undefined)" in (
        result.stdout
    )


def test_a_missing_scenario_fails_the_check(tmp_path: Path) -> None:
    result = check(tmp_path, SEEN[:2])
    assert result.returncode == 1
    assert "pytest ran 3 scenarios, Allure saw 2\n  not seen: ('F', 'Unknown')" in result.stderr


def test_a_scenario_seen_twice_fails_the_check(tmp_path: Path) -> None:
    result = check(tmp_path, [*SEEN, SEEN[0]])
    assert result.returncode == 1
    assert "seen twice: ('F', 'Adds')" in result.stderr


def test_a_different_status_fails_the_check(tmp_path: Path) -> None:
    result = check(tmp_path, [SEEN[0], {**SEEN[1], "status": "passed"}, SEEN[2]])
    assert result.returncode == 1
    assert "Breaks: pytest says failed, Allure says passed" in result.stderr


def test_missing_tags_fail_the_check(tmp_path: Path) -> None:
    result = check(tmp_path, [SEEN[0], {**SEEN[1], "tags": ["@b"]}, SEEN[2]])
    assert result.returncode == 1
    assert "Breaks: tags ['@b', '@f'], Allure shows ['@b']" in result.stderr
