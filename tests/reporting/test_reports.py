"""The reports of a fixture project with a failure, undefined steps, an outline, a data table,
a doc string and a skipped scenario, with and without pytest-xdist."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html import escape
from pathlib import Path
from typing import Any

import jsonschema
import pytest

pytestmark = pytest.mark.reporting
ROOT = Path(__file__).parents[2]
PROJECT = Path(__file__).parent / "fixture_project"
SCHEMA = json.loads((Path(__file__).parent / "cucumber-json.schema.json").read_text())

SCENARIOS = [
    ("Adding works", "passed"),
    ("A wrong expectation fails", "failed"),
    ("A later step has no definition", "failed"),
    ("The first step has no definition", "failed"),
    ("Outline rows add up (example 1: start=1, amount=1, sum=2)", "passed"),
    ("Outline rows add up (example 2: start=2, amount=3, sum=5)", "passed"),
    ("Tables and doc strings are kept", "passed"),
    ("A skipped scenario is still listed", "skipped"),
]


def run_project(tmp: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    project = tmp / "project"
    shutil.copytree(PROJECT, project)
    reports = tmp / "reports"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            f"--cucumber-report={reports}/cucumber.json",
            f"--gherkin-html={reports}/report.html",
            f"--junitxml={reports}/junit.xml",
            *extra,
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result, reports


@pytest.fixture(scope="module", params=["single process", "xdist"])
def reports(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    extra = ("-n", "2") if request.param == "xdist" else ()
    result, reports = run_project(
        tmp_path_factory.mktemp("reports"), "-vv", "--gherkin-terminal-reporter", *extra
    )
    assert result.returncode == 1, result.stdout + result.stderr  # the failures are deliberate
    (reports / "terminal.txt").write_text(result.stdout)
    return reports


def elements(reports: Path) -> list[dict[str, Any]]:
    features = json.loads((reports / "cucumber.json").read_text())
    return [element for feature in features for element in feature["elements"]]


def step(element: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in element["steps"] if s["name"] == name)


def by_name(reports: Path) -> dict[str, dict[str, Any]]:
    return {element["name"]: element for element in elements(reports)}


def test_cucumber_json_passes_cucumbers_schema(reports: Path) -> None:
    jsonschema.validate(json.loads((reports / "cucumber.json").read_text()), SCHEMA)


def test_every_scenario_is_listed_in_file_order_with_its_status(reports: Path) -> None:
    listed = [(e["name"], _status(e)) for e in elements(reports)]
    assert listed == SCENARIOS


def _status(element: dict[str, Any]) -> str:
    statuses = {s["result"]["status"] for s in element["steps"]}
    if statuses & {"failed", "undefined"}:
        return "failed"
    return "skipped" if statuses == {"skipped"} else "passed"


def test_the_failing_step_carries_its_error_and_later_steps_are_skipped(reports: Path) -> None:
    failing = by_name(reports)["A wrong expectation fails"]
    statuses = [s["result"]["status"] for s in failing["steps"]]
    assert statuses == ["passed", "passed", "failed", "skipped"]
    error = failing["steps"][2]["result"]["error_message"]
    assert "expected 4, the total is 3" in error
    assert failing["tags"] == [{"name": "@wrong", "line": 10}]


def test_undefined_steps_are_undefined_wherever_they_stand(reports: Path) -> None:
    later = by_name(reports)["A later step has no definition"]
    assert [s["result"]["status"] for s in later["steps"]] == ["passed", "undefined", "skipped"]
    first = by_name(reports)["The first step has no definition"]
    assert [s["result"]["status"] for s in first["steps"]] == ["undefined", "skipped"]


def test_outline_examples_are_distinct_with_their_own_ids_and_lines(reports: Path) -> None:
    examples = [e for e in elements(reports) if e["keyword"] == "Scenario Outline"]
    assert len({e["id"] for e in examples}) == 2
    assert [e["line"] for e in examples] == [33, 34]  # the rows of the Examples table
    assert step(examples[1], "I add 3")["result"]["status"] == "passed"


def test_tables_and_doc_strings_travel_with_their_steps(reports: Path) -> None:
    element = by_name(reports)["Tables and doc strings are kept"]
    assert step(element, "these amounts:")["rows"] == [
        {"cells": ["amount"]},
        {"cells": ["4"]},
        {"cells": ["6"]},
    ]
    assert step(element, "this note:")["doc_string"]["value"] == "Audit line one\nAudit line two"


def test_steps_have_durations_and_locations(reports: Path) -> None:
    passed = step(by_name(reports)["Adding works"], "I add 2")
    assert passed["result"]["duration"] > 0
    assert passed["match"]["location"].endswith("conftest.py:45")  # the sentence's decorator


def test_the_html_report_reads_without_javascript(reports: Path) -> None:
    html = (reports / "report.html").read_text()
    assert "<script" not in html.lower()
    assert "http://" not in html
    assert "https://" not in html
    assert '<span class="pill passed">4 passed</span>' in html
    assert '<span class="pill failed">1 failed</span>' in html
    assert '<span class="pill undefined">2 undefined</span>' in html
    assert '<span class="pill skipped">1 skipped</span>' in html
    assert "expected 4, the total is 3" in html
    assert '<li class="undefined"><span class="st">undefined</span>' in html
    assert "<td>amount</td>" in html
    assert "Audit line one\nAudit line two" in html
    assert "<th>start</th><th>amount</th><th>sum</th>" in html
    assert '<span class="tag">@sums</span>' in html
    order = [html.index(name) for name, _ in SCENARIOS if "(" not in name]
    assert order == sorted(order), "scenarios must appear in file order"


def test_junit_cases_carry_feature_and_scenario(reports: Path) -> None:
    cases = ET.parse(reports / "junit.xml").getroot().iter("testcase")
    properties = [{p.get("name"): p.get("value") for p in case.iter("property")} for case in cases]
    assert {"feature": "Sums", "scenario": "A wrong expectation fails"} in properties
    assert len(properties) == len(SCENARIOS)


def test_the_terminal_summary_shows_the_failing_and_the_undefined_step(reports: Path) -> None:
    terminal = (reports / "terminal.txt").read_text()
    summary = terminal[terminal.index("Gherkin summary") :]
    assert "8 scenarios: 4 passed, 1 failed, 2 undefined, 1 skipped" in summary
    assert (
        "FAILED features/sums.feature:11\n  Scenario: A wrong expectation fails\n"
        "       passed  Given the total is 1\n       passed  When I add 2\n"
        "       failed  Then the total should be 4\n"
        "               AssertionError: expected 4, the total is 3\n"
        "               assert 3 == 4\n"
    ) in summary
    assert (
        "    undefined  When I multiply by 5\n"
        '               Closest sentences: "the total should be {expected}"; "this note:"\n'
        "      skipped  Then the total should be 5\n"
    ) in summary
    assert "Adding works" not in summary, "passing scenarios are not repeated"


@pytest.mark.parametrize("reports", ["single process"], indirect=True)
def test_the_terminal_shows_every_scenario_in_gherkin(reports: Path) -> None:
    # pytest-bdd's own view; it prints nothing under xdist, where the summary above still does.
    terminal = (reports / "terminal.txt").read_text()
    # It leaves out the skipped scenario, which the Gherkin summary lists.
    assert terminal.count("Feature: Sums") == len(SCENARIOS) - 1
    assert "    Scenario: A wrong expectation fails\n        Given the total is 1\n" in terminal
    assert "    Scenario Outline: Outline rows add up\n        Given the total is 2\n" in terminal


def test_an_undefined_step_carries_the_projects_hint(reports: Path) -> None:
    undefined = step(by_name(reports)["A later step has no definition"], "I multiply by 5")
    hint = 'Closest sentences: "the total should be {expected}"; "this note:"'
    assert undefined["result"]["error_message"] == hint
    assert escape(hint) in (reports / "report.html").read_text()


def test_text_attached_by_a_step_reaches_the_report(reports: Path) -> None:
    # The fixture project's Then step attaches the total it saw, on a worker under xdist.
    html = (reports / "report.html").read_text()
    assert "<summary>total</summary><pre>the total was 3</pre>" in html
