"""pytest plugin: Gherkin reports that product managers and CI can read.

    --cucumber-report=PATH Cucumber JSON (every scenario, tables, doc strings, outline examples)
    --gherkin-html=PATH    one self-contained HTML page, readable without JavaScript

JUnit XML gets ``feature`` and ``scenario`` properties on each scenario's test case. Works
under pytest-xdist: workers attach each record to the teardown report as a plain JSON string,
and only the controller writes files.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Generator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario, Step

from reporting import records
from reporting.cucumber import to_cucumber
from reporting.html import to_html

REPORT_ATTRIBUTE = "gherkin_record"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gherkin reports")
    group.addoption("--cucumber-report", metavar="PATH", help="write Cucumber JSON to PATH")
    group.addoption("--gherkin-html", metavar="PATH", help="write a static HTML report to PATH")


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(GherkinReports(config), "gherkin-reports")


class GherkinReports:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.records: list[dict[str, Any]] = []
        self.started = datetime.now(UTC)
        self.is_worker = hasattr(config, "workerinput")

    # Collection: JUnit properties ---------------------------------------------------------------
    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            template = records.template_of(item)
            if template is not None:
                scenario = template.render(records.example_of(item))
                item.user_properties.append(("feature", template.feature.name))
                item.user_properties.append(("scenario", scenario.name))

    # Steps (on the process that runs the test) ---------------------------------------------------
    @pytest.hookimpl
    def pytest_bdd_before_step(self, request: pytest.FixtureRequest) -> None:
        records.step_started(request.node)

    @pytest.hookimpl
    def pytest_bdd_after_step(
        self, request: pytest.FixtureRequest, step: Step, step_func: Any
    ) -> None:
        records.step_finished(request.node, step, "passed", step_func)

    @pytest.hookimpl
    def pytest_bdd_step_error(
        self, request: pytest.FixtureRequest, step: Step, step_func: Any, exception: Exception
    ) -> None:
        message = f"{type(exception).__name__}: {exception}".strip()
        records.step_finished(request.node, step, "failed", step_func, error=message)

    @pytest.hookimpl
    def pytest_bdd_step_func_lookup_error(
        self,
        request: pytest.FixtureRequest,
        feature: Feature,
        scenario: Scenario,
        step: Step,
        exception: Exception,
    ) -> None:
        records.step_started(request.node)
        records.step_finished(request.node, step, "undefined", error=str(exception))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, Any, None]:
        outcome = yield
        report: pytest.TestReport = outcome.get_result()
        item.stash.setdefault(records.PHASES, {})[report.when] = report
        if report.when == "teardown":
            record = records.build(item, self.config.rootpath)
            if record is not None:
                setattr(report, REPORT_ATTRIBUTE, json.dumps(record))

    # The controller ---------------------------------------------------------------------
    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        payload = getattr(report, REPORT_ATTRIBUTE, None)
        if report.when == "teardown" and payload:
            self.records.append(json.loads(payload))

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.is_worker:
            return
        ordered = sorted(self.records, key=_reading_order)
        duration = (datetime.now(UTC) - self.started).total_seconds()
        cucumber_path = self.config.getoption("cucumber_report")
        if cucumber_path:
            _write(cucumber_path, json.dumps(to_cucumber(ordered), indent=2, ensure_ascii=False))
        html_path = self.config.getoption("gherkin_html")
        if html_path:
            _write(html_path, to_html(ordered, duration, self.started))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.is_worker:
            return
        if self.records:
            write_gherkin_summary(terminalreporter, sorted(self.records, key=_reading_order))
        for option, label in (
            ("cucumber_report", "Cucumber JSON"),
            ("gherkin_html", "HTML report"),
        ):
            path = self.config.getoption(option)
            if path:
                terminalreporter.write_line(f"{label}: {Path(path).resolve()}")


def write_gherkin_summary(terminal: Any, ordered: list[dict[str, Any]]) -> None:
    """Scenario counts, then every scenario that did not pass, step by step, in Gherkin."""
    counts = Counter(record["status"] for record in ordered)
    terminal.section("Gherkin summary", sep="-")
    terminal.write_line(
        f"{len(ordered)} scenarios: "
        + ", ".join(f"{counts[s]} {s}" for s in ("passed", "failed", "skipped") if counts[s])
    )
    for record in ordered:
        if record["status"] == "passed":
            continue
        terminal.write_line(
            f"\n{record['status'].upper()} {record['feature']['uri']}:{record['line']}"
        )
        terminal.write_line(f"  {record['keyword']}: {record['name']}")
        for step in record["steps"]:
            result = step["result"]
            terminal.write_line(f"    {result['status']:>9}  {step['keyword']} {step['name']}")
            if result["status"] == "undefined":
                terminal.write_line("               no step definition matches: see docs/steps.md")
            elif result.get("error_message"):
                for line in result["error_message"].splitlines()[:6]:
                    terminal.write_line(f"               {line}")
        if record.get("error"):
            terminal.write_line(f"               {record['error']}")


def _reading_order(record: dict[str, Any]) -> tuple[str, int, int]:
    example = record.get("example") or {}
    return record["feature"]["uri"], record["line"], example.get("index", 0)


def _write(path: str, text: str) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
