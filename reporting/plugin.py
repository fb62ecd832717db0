"""pytest plugin: Gherkin reports that product managers and CI can read.

The report files are listed in ``OUTPUTS``; JUnit XML gets ``feature`` and ``scenario``
properties on each scenario's test case. Works under pytest-xdist: each worker attaches one
record per scenario to its teardown report as a plain JSON string, and only the controller
writes files.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario, Step

from reporting import cucumber, hooks, html, messages, recorder, terminal
from reporting.model import Run, ScenarioRecord, from_json, to_json

REPORT_ATTRIBUTE = "gherkin_record"


@dataclass(frozen=True)
class Output:
    option: str
    label: str
    render: Callable[[Run], str]

    @property
    def dest(self) -> str:
        return self.option.lstrip("-").replace("-", "_")


OUTPUTS = (
    Output("--cucumber-report", "Cucumber JSON", cucumber.render),
    Output("--gherkin-html", "HTML report", html.render),
    Output("--cucumber-messages", "Cucumber Messages", messages.render),
)


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    pluginmanager.add_hookspecs(hooks)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gherkin reports")
    for output in OUTPUTS:
        group.addoption(output.option, metavar="PATH", help=f"write the {output.label} to PATH")


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(GherkinReports(config), "gherkin-reports")


def default_hint(step: Step) -> str:
    return f'No step definition matches "{step.keyword} {step.name}".'


class GherkinReports:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.records: list[ScenarioRecord] = []
        self.started = datetime.now(UTC)
        self.is_worker = hasattr(config, "workerinput")

    # Collection: JUnit properties ---------------------------------------------------------------
    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            source = recorder.bdd_item(item)
            if source is not None:
                item.user_properties.append(("feature", source.template.feature.name))
                item.user_properties.append(("scenario", source.scenario.name))

    # Steps (on the process that runs the test) ---------------------------------------------------
    @pytest.hookimpl
    def pytest_bdd_before_step(self, request: pytest.FixtureRequest, step: Step) -> None:
        recorder.step_started(request.node, step)

    @pytest.hookimpl
    def pytest_bdd_after_step(self, request: pytest.FixtureRequest, step_func: Any) -> None:
        recorder.step_finished(request.node, "passed", step_func)

    @pytest.hookimpl
    def pytest_bdd_step_error(
        self, request: pytest.FixtureRequest, step: Step, step_func: Any, exception: Exception
    ) -> None:
        _attach_evidence(self.config, request, step, exception)
        error_type, message = type(exception).__name__, str(exception)
        recorder.step_finished(request.node, "failed", step_func, error_type, message)

    @pytest.hookimpl
    def pytest_bdd_step_func_lookup_error(
        self,
        request: pytest.FixtureRequest,
        feature: Feature,
        scenario: Scenario,
        step: Step,
        exception: Exception,
    ) -> None:
        hint = self.config.hook.pytest_gherkin_undefined_step_hint(
            request=request, feature=feature, scenario=scenario, step=step
        )
        hint = hint or default_hint(step)
        # pytest-bdd raises this exception next: pytest's own failure section shows the hint too.
        exception.args = (f"{exception}\n{hint}",)
        recorder.step_started(request.node, step)
        recorder.step_finished(
            request.node, "undefined", error_type=type(exception).__name__, error_message=hint
        )

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, Any, None]:
        outcome = yield
        report: pytest.TestReport = outcome.get_result()
        if recorder.bdd_item(item) is None:
            return
        recorder.run_of(item).phases[report.when] = report
        record = recorder.build(item, self.config.rootpath) if report.when == "teardown" else None
        if record is not None:
            # A plain string: the only kind of value xdist carries from a worker to the controller.
            setattr(report, REPORT_ATTRIBUTE, to_json(record))

    # The controller ---------------------------------------------------------------------
    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        payload = getattr(report, REPORT_ATTRIBUTE, None)
        if report.when == "teardown" and payload:
            self.records.append(from_json(payload))

    def run(self) -> Run:
        duration = (datetime.now(UTC) - self.started).total_seconds()
        ordered = sorted(self.records, key=lambda record: record.reading_order)
        return Run(ordered, self.started, duration)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.is_worker:
            return
        run = self.run()
        for output in OUTPUTS:
            path = self.config.getoption(output.dest)
            if path:
                _write(Path(path), output.render(run))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.is_worker:
            return
        if self.records:
            terminal.write_summary(terminalreporter, self.run().records)
        for output in OUTPUTS:
            path = self.config.getoption(output.dest)
            if path:
                terminalreporter.write_line(f"{output.label}: {Path(path).resolve()}")


def _attach_evidence(
    config: pytest.Config, request: pytest.FixtureRequest, step: Step, exception: Exception
) -> None:
    """What the failing step saw, from the project's hook, attached to that step."""
    try:
        evidence = config.hook.pytest_gherkin_step_evidence(
            request=request, step=step, exception=exception
        )
    except Exception as error:  # evidence must never hide the step's own failure
        evidence = [f"pytest_gherkin_step_evidence raised {type(error).__name__}: {error}"]
    for text in evidence:
        if text:
            recorder.attach(request.node, text, "evidence")


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
