"""pytest plugin: Gherkin reports that product managers and CI can read.

The report files are listed in ``OUTPUTS``; JUnit XML gets ``feature`` and ``scenario``
properties on each scenario's test case. Works under pytest-xdist: each worker attaches one
record per scenario to its teardown report as a plain JSON string, and only the controller
writes files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario, Step

from reporting import cucumber, hooks, html, messages, recorder, run_file, secrets, terminal
from reporting.compare import Key, compare, read_previous
from reporting.model import ScenarioRecord, from_json, titled, to_json
from reporting.run import CONFORMANCE, Run
from reporting.visible import visible

REPORT_ATTRIBUTE = "gherkin_record"
SECRETS_ATTRIBUTE = "gherkin_secrets"  # registered on a worker, for the controller


@dataclass(frozen=True)
class Output:
    """A report file (or, when the renderer returns several, a folder of them)."""

    option: str
    label: str
    render: Callable[[Run], str | dict[str, str]]

    @property
    def dest(self) -> str:
        return self.option.lstrip("-").replace("-", "_")


OUTPUTS = (
    Output("--cucumber-report", "Cucumber JSON", cucumber.render),
    Output("--cucumber-per-feature", "Cucumber JSON per feature", cucumber.render_per_feature),
    Output("--gherkin-html", "HTML report", html.render),
    Output("--cucumber-messages", "Cucumber Messages", messages.render),
    # Scale-out: what `python -m reporting merge` reads back from each shard (reporting.run_file).
    Output("--run-model", "Run model (to merge shards)", run_file.render),
)
# pytest's own JUnit XML, which a tier must not overwrite either.
JUNIT = ("--junitxml", "xmlpath")


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    pluginmanager.add_hookspecs(hooks)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gherkin reports")
    for output in OUTPUTS:
        group.addoption(output.option, metavar="PATH", help=f"write the {output.label} to PATH")
    group.addoption(
        "--gherkin-view",
        choices=terminal.VIEWS,
        default="summary",
        help="the console: summary (every feature and scenario, the steps of those that did not "
        "pass; the default), pretty (every step), pytest (pytest's own progress and failure "
        "sections, then the summary; -v does the same)",
    )
    group.addoption(
        "--compare-with",
        metavar="PATH",
        help="a previous run's Cucumber JSON: show what newly fails, is fixed, new or removed "
        "(write --compare-with=PATH for a file outside the project: pytest would take it for a "
        "test path and root the run beside it)",
    )
    # Scale-out: a shard's reports say which shard they are (default: pytest-split's group/splits).
    group.addoption("--shard-label", metavar="LABEL", help="name this run's shard in its reports")


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    # Before any pytest_configure: pytest's junitxml plugin reads its path there.
    keep_tier_reports_apart(config)


@pytest.hookimpl(trylast=True)  # after pytest's terminal plugin has made its reporter
def pytest_configure(config: pytest.Config) -> None:
    secrets.register_environment()
    reports = GherkinReports(config)
    config.pluginmanager.register(reports, "gherkin-reports")
    run_file.label_junit(config)  # scale-out: a shard's JUnit XML names its shard
    if not reports.is_worker:
        terminal.install_console(config, reports.is_scenario)
        redact_console(config)


def redact_console(config: pytest.Config) -> None:
    """Every line pytest's reporter (or ours) prints goes through ``secrets.redact``."""
    writer = getattr(config.pluginmanager.getplugin("terminalreporter"), "_tw", None)
    if writer is not None:  # pytest 9.2's TerminalWriter writes everything to its _file
        writer._file = secrets.RedactingStream(writer._file)


def keep_tier_reports_apart(config: pytest.Config) -> None:
    """A run given paths (a tier) writes the ini's report files under reports/<tier>/; a run
    narrowed by -m or -k under reports/[<tier>/]selected/<m-EXPR+k-EXPR>/; a shard
    (pytest-split's --splits N --group I) under reports/[<tier>/]shards/I/, where
    `python -m reporting merge reports/shards/*` finds it.

    The ini's addopts name the fast suite's reports; without this, `pytest tests/property` or
    `pytest -m some_tag` would overwrite them with its own. Paths given on the command line are
    left as they are.
    """
    folder = []
    if config.args_source is pytest.Config.ArgsSource.ARGS:
        folder.append(_tier_name(config.args, config.rootpath))
    selection = _selection_name(config)
    if selection:
        folder += ["selected", selection]
    splits, group = (getattr(config.option, name, None) for name in ("splits", "group"))
    if splits and group:
        folder += ["shards", str(group)]
    if not folder:
        return
    for dest, value in _ini_report_paths(config).items():
        if getattr(config.option, dest, None) == value:
            path = Path(value)
            setattr(config.option, dest, str(path.parent.joinpath(*folder) / path.name))


def _selection_name(config: pytest.Config) -> str:
    """-m "not slow" -k audit -> m-not_slow+k-audit: named after the expressions."""
    expressions = {"m": config.option.markexpr, "k": config.option.keyword}
    return "+".join(
        f"{flag}-" + (re.sub(r"[^\w.-]+", "_", expression).strip("_")[:60] or "_")
        for flag, expression in expressions.items()
        if expression
    )


def _ini_report_paths(config: pytest.Config) -> dict[str, str]:
    dests = {output.option: output.dest for output in OUTPUTS} | dict([JUNIT])
    paths = {}
    for arg in config.getini("addopts"):
        option, _, value = arg.partition("=")
        if option in dests and value:
            paths[dests[option]] = value
    return paths


def _tier_name(args: list[str], rootdir: Path) -> str:
    """tests/real_http tests/property -> real_http+property: named after what ran."""
    names = []
    for arg in args:
        path = Path(arg.split("::")[0])
        if path.is_absolute():
            path = path.relative_to(rootdir) if path.is_relative_to(rootdir) else Path(path.name)
        parts = path.parts
        if parts[:1] == ("tests",) and len(parts) > 1:
            parts = parts[1:]
        name = Path(parts[0]).stem if parts else "tests"
        if name not in names:
            names.append(name)
    return "+".join(names)


def default_hint(step: Step) -> str:
    return f'No step definition matches "{step.keyword} {step.name}".'


class GherkinReports:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.records: list[ScenarioRecord] = []
        self.started = datetime.now(UTC)
        self.is_worker = hasattr(config, "workerinput")
        self.scenario_nodeids: set[str] = set()
        self.other_tests = terminal.OtherTests()
        self.finished: Run | None = None  # the run as the report files show it
        self.previous: dict[Key, str] | None = None
        self.previous_problem: str | None = None
        compare_with = config.getoption("compare_with")
        if compare_with and not self.is_worker:
            self._read_previous(Path(compare_with))

    def _read_previous(self, path: Path) -> None:
        # Read now: the file compared with may be the one this run is about to overwrite.
        try:
            self.previous = read_previous(path)
        except (OSError, ValueError, KeyError, TypeError) as error:
            self.previous_problem = f"cannot compare with {path}: {error}"

    # Collection: JUnit properties ---------------------------------------------------------------
    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            source = recorder.bdd_item(item)
            if source is not None:
                item.user_properties.append(("feature", source.template.feature.name))
                # An outline's examples differ by their values, as in the Cucumber JSON.
                title = titled(source.scenario.name, source.example)
                item.user_properties.append(("scenario", title))

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
        error_type, message = type(exception).__name__, recorder.error_text(exception)
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
        if self.is_worker and report.when == "teardown" and secrets.registered():
            setattr(report, SECRETS_ATTRIBUTE, sorted(secrets.registered()))
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
        secrets.register(*getattr(report, SECRETS_ATTRIBUTE, ()))
        payload = getattr(report, REPORT_ATTRIBUTE, None)
        if report.when == "teardown" and payload:
            self.records.append(from_json(payload))
            self.scenario_nodeids.add(report.nodeid)
        self.other_tests.record(report)

    def is_scenario(self, nodeid: str) -> bool:
        return nodeid in self.scenario_nodeids

    def run(self) -> Run:
        duration = (datetime.now(UTC) - self.started).total_seconds()
        ordered = sorted(self.records, key=lambda record: record.reading_order)
        comparison = None
        if self.previous is not None:
            comparison = compare(self.config.getoption("compare_with"), self.previous, ordered)
        shard = run_file.shard_label(self.config)
        conformance = self.config.stash.get(CONFORMANCE, None)
        return Run(
            ordered,
            self.started,
            duration,
            comparison,
            shard,
            previous=self.previous,
            conformance=conformance,
        )

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.is_worker:
            return
        self.finished = self.run()
        secrets.register_environment()
        _redact_junit(self.config)
        rendered = {
            output: output.render(self.finished)
            for output in OUTPUTS
            if self.config.getoption(output.dest)
        }
        for text in rendered.values():  # a secret one report names is hidden in all of them
            for each in [text] if isinstance(text, str) else text.values():
                secrets.learn(each)
        for output, text in rendered.items():
            _write(Path(self.config.getoption(output.dest)), text)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.is_worker:
            return
        every_step = self.config.getoption("gherkin_view") == "pretty"
        other_lines = self.other_tests.lines(self.scenario_nodeids)
        run = self.finished or self.run()  # the same run the files show, when they were written
        terminal.write_view(terminalreporter, run, other_lines, every_step)
        if self.previous_problem:
            terminalreporter.write_line(visible(self.previous_problem), yellow=True)
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


def _redact_junit(config: pytest.Config) -> None:
    """pytest's junit.xml, written by now (this hook runs last): its captured output, longrepr
    and properties pass through ``secrets.redact`` like every other report."""
    path = Path(getattr(config.option, JUNIT[1], None) or "")
    if path.name and path.is_file():
        text = path.read_text(encoding="utf-8")
        redacted = secrets.redact(text)
        if redacted != text:
            path.write_text(redacted, encoding="utf-8")


def _write(target: Path, rendered: str | dict[str, str]) -> None:
    if isinstance(rendered, str):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(secrets.redact(rendered), encoding="utf-8")
        return
    # A folder of files: a feature removed since the last run must not linger in it.
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.glob("*.json"):
        stale.unlink()
    for name, text in rendered.items():
        (target / name).write_text(secrets.redact(text), encoding="utf-8")
