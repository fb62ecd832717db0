"""The console as a Gherkin report, after Cucumber's `pretty` and `summary` formatters.

Whatever order the tests ran in, the view printed at the end reads: every feature once, in file
order, with its tags and counts; every scenario on one line with its status in a mark and a word;
the steps of failed and undefined scenarios (every step with --gherkin-view=pretty); the other
tests in one line per directory; the totals. It is built from the scenario records alone, so it
is the same under pytest-xdist.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import pytest
from _pytest.terminal import TerminalReporter

from reporting.compare import Comparison
from reporting.model import NOT_PASSING, STATUSES, ScenarioRecord, StepRecord
from reporting.run import Run
from reporting.visible import visible

VIEWS = ("summary", "pretty", "pytest")
MARKS = {"passed": "✔", "failed": "✘", "undefined": "?", "skipped": "↷"}
COLOURS = {"passed": "green", "failed": "red", "undefined": "yellow", "skipped": "cyan"}
MAX_ERROR_LINES = 12  # a longer message is cut here; the HTML report has it whole


# The other tests: one line per directory ------------------------------------------------------
@dataclass
class OtherTests:
    """How each test that is not a scenario ended, from the reports the controller gets."""

    outcomes: dict[str, str] = field(default_factory=dict)

    def record(self, report: pytest.TestReport) -> None:
        if report.failed:
            self.outcomes[report.nodeid] = "failed"
        elif report.skipped and report.when in {"setup", "call"}:
            self.outcomes[report.nodeid] = "skipped"
        elif report.when == "call":
            self.outcomes.setdefault(report.nodeid, "passed")

    def lines(self, scenarios: set[str]) -> list[tuple[str, str]]:
        """(line, colour) per directory, failures named."""
        by_directory: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for nodeid, outcome in self.outcomes.items():
            if nodeid not in scenarios:
                path = PurePosixPath(nodeid.split("::")[0])
                by_directory[str(path.parent)].append((nodeid, outcome))
        lines = []
        for directory, tests in sorted(by_directory.items()):
            counts = Counter(outcome for _, outcome in tests)
            text = f"  {directory}: " + _counts(counts, ("passed", "failed", "skipped"))
            failed = [nodeid.removeprefix(f"{directory}/") for nodeid, o in tests if o == "failed"]
            if failed:
                text += " -- failed: " + ", ".join(sorted(failed))
            lines.append((text, "red" if failed else "green"))
        return lines


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _counts(counts: Counter[Any], order: tuple[str, ...] = STATUSES) -> str:
    return ", ".join(f"{counts[status]} {status}" for status in order if counts[status])


def _write(terminal: Any, text: str, **markup: bool) -> None:
    """One line of the view: whatever a feature file holds is shown, never acted on."""
    terminal.write_line(visible(text), **markup)


# The view ----------------------------------------------------------------------------------------
def write_view(
    terminal: Any, run: Run, other_lines: list[tuple[str, str]], every_step: bool
) -> None:
    if run.records:
        terminal.section("Gherkin", sep="=")
    for records in run.features:
        _write_feature(terminal, records, every_step)
    if other_lines:
        _write(terminal, "")
        _write(terminal, "Other tests, by directory:")
        for text, colour in other_lines:
            _write(terminal, text, **{colour: True})
    if run.records:
        _write_totals(terminal, run)
    if run.comparison:
        write_comparison(terminal, run.comparison)


def _write_feature(terminal: Any, records: list[ScenarioRecord], every_step: bool) -> None:
    feature = records[0].feature
    counts = Counter(r.status for r in records)
    tags = " ".join(tag.name for tag in feature.tags)
    _write(terminal, "")
    # One line a feature: its name, where it is, its counts and its tags.
    _write(
        terminal,
        f"{feature.keyword}: {feature.name}  "
        f"[{feature.uri}: {_plural(len(records), 'scenario')}, {_counts(counts)}]"
        + (f"  {tags}" if tags else ""),
        bold=True,
    )
    for record in records:
        own_tags = " ".join(tag.name for tag in record.tags)
        _write(
            terminal,
            f"  {_status(record.status)}  {record.keyword}: {record.title}"
            + (f"  {own_tags}" if own_tags else ""),
            **{COLOURS[record.status]: True},
        )
        if every_step or record.status in NOT_PASSING:
            for step in record.steps:
                _write_step(terminal, step)
        if record.error and (every_step or record.status != "passed"):
            _write_error(terminal, record.error, record.status)


def _status(status: str) -> str:
    """A mark and a word, so that the status reads without colour."""
    return f"{MARKS[status]} {status:<9}"


def _write_step(terminal: Any, step: StepRecord) -> None:
    _write(
        terminal,
        f"      {_status(step.status)} {step.keyword} {step.name}",
        **{COLOURS[step.status]: True},
    )
    if step.rows:
        widths = [max(len(row[i]) for row in step.rows) for i in range(len(step.rows[0]))]
        for row in step.rows:
            cells = " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            _write(terminal, f"                  | {cells} |")
    if step.doc_string is not None:
        for line in ['"""', *step.doc_string.splitlines(), '"""']:
            _write(terminal, f"                  {line}")
    if step.error:
        _write_error(terminal, step.error, step.status)


def _write_error(terminal: Any, error: str, status: str) -> None:
    lines = error.splitlines()
    for line in lines[:MAX_ERROR_LINES]:
        _write(terminal, f"                  {line}", **{COLOURS.get(status, "red"): True})
    if len(lines) > MAX_ERROR_LINES:
        _write(
            terminal,
            f"                  ... {len(lines) - MAX_ERROR_LINES} more lines in the HTML report",
        )


def _write_totals(terminal: Any, run: Run) -> None:
    scenarios = Counter(r.status for r in run.records)
    steps = Counter(s.status for r in run.records for s in r.steps)
    _write(terminal, "")
    _write(
        terminal,
        f"{_plural(len(run.records), 'scenario')} ({_counts(scenarios)}), "
        f"{_plural(sum(steps.values()), 'step')} ({_counts(steps)}), "
        f"in {_plural(len(run.features), 'feature')}",
        bold=True,
    )


def write_comparison(terminal: Any, comparison: Comparison) -> None:
    """One line of counts, then every scenario whose outcome changed (not the unchanged ones)."""
    counts = ", ".join(f"{len(keys)} {label}" for label, keys in comparison.sections)
    _write(terminal, f"Compared with {comparison.previous}: {counts}")
    for label, keys in comparison.sections:
        for uri, title in keys:
            _write(terminal, f"  {label}: {title} ({uri})")


# pytest's own reporter, quiet ------------------------------------------------------------------
class GherkinConsole(TerminalReporter):  # type: ignore[misc]
    """pytest's terminal reporter without per-test progress, and without pytest's failure
    sections for scenarios, which the Gherkin view shows as steps. Everything else (the header,
    collection errors, the failures of other tests, warnings, the final line) is pytest's own.

    Overrides reporter methods checked against pytest 9.2.0.
    """

    def __init__(self, config: pytest.Config, is_scenario: Callable[[str], bool]) -> None:
        super().__init__(config, sys.stdout)
        self.is_scenario = is_scenario

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        """No file name per test module."""

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Count the report as pytest does, print no letter or word for it."""
        self._tests_ran = True
        status = self.config.hook.pytest_report_teststatus(report=report, config=self.config)
        self._add_stats(status[0], [report])

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        """No progress percentage."""

    def getreports(self, name: str) -> list[Any]:
        reports: list[Any] = super().getreports(name)
        if name in {"failed", "error"}:
            return [r for r in reports if not self.is_scenario(getattr(r, "nodeid", ""))]
        return reports

    def short_test_summary(self) -> None:
        # The view lists scenarios with their steps: pytest's one-line list keeps the others.
        everything = self.stats
        self.stats = {
            category: [r for r in reports if not self.is_scenario(getattr(r, "nodeid", ""))]
            for category, reports in everything.items()
        }
        try:
            super().short_test_summary()
        finally:
            self.stats = everything

    def summary_errors(self) -> None:
        # pytest prints errors from self.stats, not getreports(): filter them the same way.
        errors = self.stats.get("error")
        if not errors:
            return
        self.stats["error"] = [r for r in errors if not self.is_scenario(r.nodeid)]
        try:
            if self.stats["error"]:
                super().summary_errors()
        finally:
            self.stats["error"] = errors


def install_console(config: pytest.Config, is_scenario: Callable[[str], bool]) -> bool:
    """Swap pytest's reporter for the quiet one, unless pytest's own output was asked for."""
    current = config.pluginmanager.getplugin("terminalreporter")
    wanted = config.getoption("gherkin_view") != "pytest" and config.option.verbose <= 0
    # Another reporter (pytest-bdd's --gherkin-terminal-reporter, for one) keeps its place.
    if not wanted or current is None or type(current) is not TerminalReporter:
        return False
    config.pluginmanager.unregister(current)
    config.pluginmanager.register(GherkinConsole(config, is_scenario), "terminalreporter")
    return True
