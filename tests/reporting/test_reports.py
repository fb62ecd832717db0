"""The reports of a fixture project with a failure, undefined steps, an outline, a data table,
a doc string, a skipped scenario and a second, passing feature, with and without pytest-xdist,
compared with a previous run."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.reporting.page import Page
from tests.reporting.project import HINT, PREVIOUS, SCENARIOS, run_project

pytestmark = pytest.mark.reporting
SCHEMA = json.loads((Path(__file__).parent / "cucumber-json.schema.json").read_text())

NOT_PASSING = [name for name, status in SCENARIOS if status in {"failed", "undefined"}]


def elements(reports: Path) -> list[dict[str, Any]]:
    features = json.loads((reports / "cucumber.json").read_text())
    return [element for feature in features for element in feature["elements"]]


def step(element: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in element["steps"] if s["name"] == name)


def by_name(reports: Path) -> dict[str, dict[str, Any]]:
    return {element["name"]: element for element in elements(reports)}


def page(reports: Path) -> Page:
    return Page((reports / "report.html").read_text())


# Cucumber JSON ---------------------------------------------------------------------------------
def test_cucumber_json_passes_cucumbers_schema(reports: Path) -> None:
    jsonschema.validate(json.loads((reports / "cucumber.json").read_text()), SCHEMA)


def test_the_cucumber_json_is_as_json_dumps_indents_it() -> None:
    from reporting import cucumber

    value: dict[str, Any] = {
        "text": 'é \u2028 " \\ \n \x1b',
        "numbers": [0, -3, 1.5, 2.0, True, False, None],
        "empty": [[], {}],
        "nested": {"list": [{"a": [1, "b", {}]}], "none": None, "true": True, "float": 0.25},
    }
    written = cucumber.chunk(value, 0) + cucumber.chunk(value, 1) + cucumber.END
    assert written == json.dumps([value, value], indent=2, ensure_ascii=False)


def test_every_scenario_is_listed_in_file_order_with_its_status(reports: Path) -> None:
    listed = [(e["name"], _status(e)) for e in elements(reports)]
    assert listed == SCENARIOS


def _status(element: dict[str, Any]) -> str:
    statuses = {s["result"]["status"] for s in element["steps"]}
    for status in ("failed", "undefined"):
        if status in statuses:
            return status
    return "skipped" if statuses == {"skipped"} else "passed"


def test_one_file_per_feature_holds_the_same_scenarios(reports: Path) -> None:
    files = sorted((reports / "features").glob("*.json"))
    features = [json.loads(path.read_text()) for path in files]
    for feature in features:
        jsonschema.validate(feature, SCHEMA)
    assert [len(feature) for feature in features] == [1, 1]
    assert [f[0]["uri"] for f in features] == ["features/sums.feature", "features/zero.feature"]
    names = [e["name"] for f in features for e in f[0]["elements"]]
    assert names == [name for name, _ in SCENARIOS]


def test_scenarios_carry_their_features_tags_then_their_own(reports: Path) -> None:
    failing = by_name(reports)["A wrong expectation fails"]
    assert failing["tags"] == [{"name": "@sums", "line": 1}, {"name": "@wrong", "line": 10}]
    zero = by_name(reports)["Nothing added stays zero"]
    assert zero["tags"] == [{"name": "@zero", "line": 1}]
    assert all(e["tags"] for e in elements(reports))


def test_the_failing_step_carries_its_error_and_later_steps_are_skipped(reports: Path) -> None:
    failing = by_name(reports)["A wrong expectation fails"]
    statuses = [s["result"]["status"] for s in failing["steps"]]
    assert statuses == ["passed", "passed", "failed", "skipped"]
    error = failing["steps"][2]["result"]["error_message"]
    assert error.startswith("AssertionError: expected 4, the total is 3")


def test_undefined_steps_are_undefined_wherever_they_stand(reports: Path) -> None:
    later = by_name(reports)["A later step has no definition"]
    assert [s["result"]["status"] for s in later["steps"]] == ["passed", "undefined", "skipped"]
    first = by_name(reports)["The first step has no definition"]
    assert [s["result"]["status"] for s in first["steps"]] == ["undefined", "skipped"]


def test_an_undefined_step_carries_the_projects_hint(reports: Path) -> None:
    undefined = step(by_name(reports)["A later step has no definition"], "I multiply by 5")
    assert undefined["result"]["error_message"] == HINT


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


def test_scenarios_have_the_time_they_started(reports: Path) -> None:
    started = [datetime.fromisoformat(e["start_timestamp"]) for e in elements(reports)]
    written = datetime.fromtimestamp((reports / "cucumber.json").stat().st_mtime, UTC)
    assert all(written - timedelta(minutes=5) < time <= written for time in started)


def test_steps_have_durations_and_locations(reports: Path) -> None:
    passed = step(by_name(reports)["Adding works"], "I add 2")
    assert passed["result"]["duration"] > 0
    assert passed["match"]["location"].endswith("conftest.py:45")  # the sentence's decorator


# HTML ------------------------------------------------------------------------------------------
def test_the_html_report_reads_without_javascript_or_anything_external(reports: Path) -> None:
    html = (reports / "report.html").read_text()
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)


def test_the_top_shows_the_totals_and_links_them_to_what_needs_attention(reports: Path) -> None:
    shown = page(reports)
    top = shown.text[: shown.text.index("Compared with the last run")]
    assert "9 scenarios in 2 features" in top
    assert "5 passed 1 failed 2 undefined 1 skipped" in top
    pills = {("#attention", "1 failed"), ("#attention", "2 undefined"), ("#skipped", "1 skipped")}
    assert pills <= set(shown.links)


def test_failures_and_undefined_come_first_each_a_link_to_its_scenario(reports: Path) -> None:
    shown = page(reports)
    attention = _between(shown.text, "Failed and undefined: 3", "Skipped: 1\n")
    assert "Adding works" not in attention
    assert "Then the total should be 4\nexpected 4, the total is 3\n" in attention
    assert f"When I multiply by 5\n{HINT}" in attention
    # The comparison above links them too: the attention list's links are the last three.
    links = [(href, text) for href, text in shown.links if text in NOT_PASSING][-3:]
    assert [text for _, text in links] == NOT_PASSING
    assert [href for href, _ in links] == [
        "#features/sums.feature:11",
        "#features/sums.feature:17",
        "#features/sums.feature:22",
    ]


def test_skipped_scenarios_follow_each_a_link_with_its_reason(reports: Path) -> None:
    shown = page(reports)
    skipped = _between(shown.text, "Skipped: 1\n", "Features\n")
    assert skipped == (
        "Skipped: 1\nskipped A skipped scenario is still listed "
        "Sums · features/sums.feature:49\nskipped: unconditional skip\n"
    )
    assert ("#features/sums.feature:49", "A skipped scenario is still listed") in shown.links


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def test_one_row_per_feature_with_its_counts_and_a_link(reports: Path) -> None:
    shown = page(reports)
    table = _between(shown.text, "Features\n", "Feature: Sums")
    assert "| feature | scenarios | passed | failed | undefined | skipped" in table
    assert "| Sums | 8 | 4 | 1 | 2 | 1" in table
    assert "| Zero | 1 | 1 |" in table
    feature_links = {("#features/sums.feature", "Sums"), ("#features/zero.feature", "Zero")}
    assert feature_links <= set(shown.links)


def test_every_link_leads_to_an_anchor_on_the_page(reports: Path) -> None:
    shown = page(reports)
    internal = [href for href, _ in shown.links if href.startswith("#")]
    assert len(internal) > 10
    assert all(href[1:] in shown.ids for href in internal)
    anchors = {f"features/sums.feature:{line}" for line in (5, 11, 17, 22, 33, 34, 36, 49)}
    assert anchors | {"features/sums.feature", "features/zero.feature:5"} <= shown.ids


def test_failing_features_are_open_and_passing_ones_folded(reports: Path) -> None:
    html = (reports / "report.html").read_text()
    assert '<details class="feature" id="features/sums.feature" open>' in html
    assert '<details class="feature" id="features/zero.feature">' in html


def test_each_scenario_shows_its_status_and_every_tag_inherited_included(reports: Path) -> None:
    text = page(reports).text
    assert "failed Scenario: A wrong expectation fails @sums @wrong" in text
    assert "undefined Scenario: A later step has no definition @sums" in text
    assert "skipped Scenario: A skipped scenario is still listed @sums @skip" in text
    assert "passed Scenario: Nothing added stays zero @zero" in text


def test_steps_tables_doc_strings_and_errors_read_in_gherkin(reports: Path) -> None:
    text = page(reports).text
    assert "failed Then the total should be 4\nAssertionError: expected 4, the total is 3" in text
    assert f"undefined When I multiply by 5\n{HINT}" in text
    assert "| amount\n| 4\n| 6" in text
    assert "Audit line one\nAudit line two" in text
    assert "Examples:\n| status | start | amount | sum\n| passed | 1 | 1 | 2" in text
    order = [text.index(f"Scenario: {name}") for name, _ in SCENARIOS if "(" not in name]
    assert order == sorted(order), "scenarios must appear in file order"


def test_text_attached_by_a_step_reaches_the_report(reports: Path) -> None:
    # The fixture project's Then step attaches the total it saw, on a worker under xdist.
    html = (reports / "report.html").read_text()
    assert "<summary>total</summary><pre>the total was 3</pre>" in html
    assert escape(HINT) in html


def test_the_comparison_with_the_last_run_comes_first(reports: Path) -> None:
    text = page(reports).text
    compared = _between(text, "Compared with the last run", "Failed and undefined")
    assert (
        "Newly failing: 2\nA later step has no definition features/sums.feature\n"
        "The first step has no definition features/sums.feature\n"
        "Fixed: 1\nAdding works features/sums.feature\n"
        "Still failing: 1\nA wrong expectation fails features/sums.feature\n"
        "New: 2\nOutline rows add up (example 2: start=2, amount=3, sum=5) features/sums.feature\n"
        "Nothing added stays zero features/zero.feature\n"
        "Removed: 1\nA scenario that was deleted features/sums.feature"
    ) in compared
    links = {text: href for href, text in page(reports).links}
    assert links["Adding works"] == "#features/sums.feature:5"


# JUnit and the terminal --------------------------------------------------------------------------
def test_junit_cases_carry_feature_and_a_distinct_scenario(reports: Path) -> None:
    cases = ET.parse(reports / "junit.xml").getroot().iter("testcase")
    properties = [{p.get("name"): p.get("value") for p in case.iter("property")} for case in cases]
    scenario_properties = [p for p in properties if "scenario" in p]
    assert {"feature": "Sums", "scenario": "A wrong expectation fails"} in properties
    assert sorted(p["scenario"] for p in scenario_properties) == sorted(n for n, _ in SCENARIOS)


def test_the_terminal_names_what_changed_since_the_last_run(reports: Path) -> None:
    terminal = (reports / "terminal.txt").read_text()
    assert (
        f"Compared with {PREVIOUS}: 2 newly failing, 1 fixed, 1 still failing, 2 new, 1 removed\n"
        "  newly failing: A later step has no definition (features/sums.feature)\n"
        "  newly failing: The first step has no definition (features/sums.feature)\n"
        "  fixed: Adding works (features/sums.feature)\n"
    ) in terminal


def test_against_a_run_where_all_passed_every_problem_is_newly_failing(tmp_path: Path) -> None:
    previous = json.loads(PREVIOUS.read_text())
    for element in previous[0]["elements"]:
        for previous_step in element["steps"]:
            previous_step["result"] = {"status": "passed"}
    (tmp_path / "all-passed.json").write_text(json.dumps(previous))
    result, reports = run_project(tmp_path, f"--compare-with={tmp_path / 'all-passed.json'}")
    compared = _between(page(reports).text, "Compared with the last run", "Failed and undefined")
    assert "Newly failing: 3\nA wrong expectation fails" in compared
    assert "Fixed: 0\nStill failing: 0\nNew: 2" in compared
    assert "2 undefined" in page(reports).text.split("Compared")[0]
    assert "3 newly failing, 0 fixed, 0 still failing" in result.stdout


def test_a_missing_previous_run_is_said_and_does_not_stop_the_reports(tmp_path: Path) -> None:
    result, reports = run_project(tmp_path, f"--compare-with={tmp_path / 'none.json'}")
    assert f"cannot compare with {tmp_path / 'none.json'}" in result.stdout
    assert "Compared with" not in page(reports).text
    assert (reports / "cucumber.json").exists()
