"""A malformed previous report (--compare-with) is named in one line and stops no report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.reporting.project import run_project

pytestmark = pytest.mark.reporting

STEP = {"keyword": "Given ", "name": "x", "line": 3, "result": {"status": "passed"}}
SCENARIO = {"name": "Adding works", "type": "scenario", "steps": [STEP]}
FEATURE = {"uri": "features/sums.feature", "elements": [SCENARIO]}
MALFORMED = {
    "a feature that is a list": (json.dumps([[FEATURE]]), "feature 1 is a list, not an object"),
    "a step that is a string": (
        json.dumps([{**FEATURE, "elements": [{**SCENARIO, "steps": ["Given x"]}]}]),
        "step 1 of scenario 1 of feature 1 is a string, not an object",
    ),
    "a numeric uri": (json.dumps([{**FEATURE, "uri": 7}]), "the uri of feature 1 is a number"),
    "a null uri": (json.dumps([{**FEATURE, "uri": None}]), "the uri of feature 1 is null"),
    "arrays nested 100,000 deep": ("[" * 100_000 + "]" * 100_000, "its JSON is nested too deeply"),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_previous_report_gives_one_clear_line(tmp_path: Path, case: str) -> None:
    text, problem = MALFORMED[case]
    previous = tmp_path / "previous.json"
    previous.write_text(text)
    result, reports = run_project(tmp_path, f"--compare-with={previous}")
    output = result.stdout + result.stderr
    assert "INTERNALERROR" not in output, output
    assert "RecursionError" not in output, output
    named = [line for line in output.splitlines() if str(previous) in line]
    assert len(named) == 1, output
    assert named[0].startswith(f"cannot compare with {previous}: {problem}"), output
    for report in ("report.html", "cucumber.json", "junit.xml"):
        assert (reports / report).stat().st_size > 0
    assert result.returncode == 1  # the fixture project's deliberate failures, nothing more
