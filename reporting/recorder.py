"""What happens while a scenario runs, kept on its item, and the record built from it at teardown.

Runs on the process that runs the test (an xdist worker, or the only process).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Step

from reporting.bdd_internals import BddItem, read_item
from reporting.model import (
    Attachment,
    FeatureInfo,
    ScenarioRecord,
    Status,
    StepRecord,
    Tag,
)

_UNREAD = object()
BDD_ITEM = pytest.StashKey[BddItem | None]()
RUN = pytest.StashKey["ScenarioRun"]()


@dataclass
class ScenarioRun:
    """The scenario's live state: results by step line, the running step, pytest's phases."""

    results: dict[int, StepRecord] = field(default_factory=dict)
    current: StepRecord | None = None
    started_ns: int = 0
    attachments: list[Attachment] = field(default_factory=list)
    phases: dict[str, pytest.TestReport] = field(default_factory=dict)


def bdd_item(item: pytest.Item) -> BddItem | None:
    """The scenario behind an item, read once per item."""
    if BDD_ITEM not in item.stash:
        item.stash[BDD_ITEM] = read_item(item)
    return item.stash[BDD_ITEM]


def run_of(item: pytest.Item) -> ScenarioRun:
    return item.stash.setdefault(RUN, ScenarioRun())


# Steps, from pytest-bdd's hooks ---------------------------------------------------------------
def step_started(item: pytest.Item, step: Step) -> None:
    run = run_of(item)
    run.current = _step_record(step)
    run.current.started_ns = time.time_ns()
    run.started_ns = time.perf_counter_ns()  # durations come from the monotonic clock


def step_finished(
    item: pytest.Item,
    status: Status,
    func: Any = None,
    error_type: str | None = None,
    error_message: str | None = None,
) -> None:
    run = run_of(item)
    if run.current is None:
        return
    current, run.current = run.current, None
    current.status = status
    current.duration_ns = time.perf_counter_ns() - run.started_ns
    current.error_type, current.error_message = error_type, error_message
    if func is not None:
        current.location = _location(func)
    run.results[current.line] = current


def error_text(exception: BaseException) -> str:
    """What a step's exception says. A rewritten ``assert`` with a message of its own says that
    message alone: pytest's introspection after it (``assert not [...]``) means nothing to a
    reader, and pytest's own failure section still shows it."""
    message = str(exception)
    lines = message.splitlines()
    introspection = next((i for i, line in enumerate(lines) if i and line.startswith("assert ")), 0)
    if not isinstance(exception, AssertionError) or not introspection:
        return message
    # pytest indents the message's own later lines by two spaces.
    return "\n".join([lines[0], *(line.removeprefix("  ") for line in lines[1:introspection])])


def attach(item: pytest.Item, text: str, name: str, media_type: str = "text/plain") -> None:
    """Attach text to the running step, or to the scenario outside any step."""
    run = run_of(item)
    target = run.current.attachments if run.current else run.attachments
    target.append(Attachment(name=name, media_type=media_type, body=text))


def _step_record(step: Step) -> StepRecord:
    rows = None
    if step.datatable is not None:
        rows = [[cell.value for cell in row.cells] for row in step.datatable.rows]
    return StepRecord(
        keyword=step.keyword,
        name=step.name,
        line=step.line_number,
        type=step.type,
        background=step.background is not None,
        rows=rows,
        doc_string=step.docstring,
    )


def function_location(func: Any) -> str:
    """Where a step function is defined, as ``path:line`` (the path relative to the cwd)."""
    return _location(func)


@functools.cache
def _location(func: Any) -> str:
    try:
        path = Path(inspect.getsourcefile(func) or "?")
        line = inspect.getsourcelines(func)[1]
    except (OSError, TypeError):
        return getattr(func, "__qualname__", "?")
    with contextlib.suppress(ValueError):
        path = path.relative_to(Path.cwd())
    return f"{path}:{line}"


# The record -----------------------------------------------------------------------------------
def build(item: pytest.Item, rootdir: Path) -> ScenarioRecord | None:
    source = bdd_item(item)
    if source is None:
        return None
    template, run = source.template, run_of(item)
    steps = [run.results.get(s.line_number) or _step_record(s) for s in source.scenario.steps]
    error = _apply_phase_outcomes(steps, run.phases)
    feature = _feature_info(template.feature, rootdir)
    return ScenarioRecord(
        nodeid=item.nodeid,
        feature=feature,
        keyword=template.keyword,
        name=source.scenario.name,
        description=template.description or "",
        line=template.line_number,
        tags=_tags(template.tags, template.line_number, template.feature.filename)
        + _capability_tags(item, template.line_number),
        example=source.example,
        steps=steps,
        status=_scenario_status(steps, error),
        duration_ns=int(sum(r.duration for r in run.phases.values()) * 1e9),
        started_ns=int(run.phases["setup"].start * 1e9) if "setup" in run.phases else 0,
        error=error,
        attachments=run.attachments,
    )


def _apply_phase_outcomes(steps: list[StepRecord], phases: dict[str, Any]) -> str | None:
    """Fold what pytest saw outside the steps (fixture errors, skips) into the steps."""
    setup, call, teardown = (phases.get(name) for name in ("setup", "call", "teardown"))
    if setup is not None and setup.failed:
        message = f"setup failed: {_error_text(setup)}"
        if steps:
            steps[0].status, steps[0].error_message = "failed", message
        return message
    if setup is not None and setup.skipped:
        for step in steps:
            step.status = "skipped"
        reason = _skip_reason(setup)
        return f"skipped: {reason}" if reason else None
    error = None
    if call is not None and call.failed and not any(s.status != "passed" for s in steps):
        error = _error_text(call)
    if teardown is not None and teardown.failed:
        error = f"teardown failed: {_error_text(teardown)}"
    return error


def _scenario_status(steps: list[StepRecord], error: str | None) -> Status:
    statuses = {step.status for step in steps}
    if "failed" in statuses:
        return "failed"
    if "undefined" in statuses:
        return "undefined"
    if error and not error.startswith("skipped"):
        return "failed"
    if statuses <= {"skipped"}:
        return "skipped"
    return "passed"


def _error_text(report: Any) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return str(crash.message)
    return str(report.longreprtext or report.longrepr).strip().splitlines()[-1]


def _skip_reason(report: Any) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return ""


_FEATURES: dict[tuple[str, Path], FeatureInfo] = {}


def _feature_info(feature: Feature, rootdir: Path) -> FeatureInfo:
    """Built once per feature file, not once per scenario."""
    key = (feature.filename, rootdir)
    if key not in _FEATURES:
        _FEATURES[key] = FeatureInfo(
            uri=_relative(feature.filename, rootdir),
            name=feature.name,
            keyword=feature.keyword,
            description=feature.description,
            line=feature.line_number,
            tags=_tags(feature.tags, feature.line_number, feature.filename),
            path=str(Path(feature.filename).resolve()),
        )
    return _FEATURES[key]


@functools.cache
def _read_lines(filename: str) -> list[str]:
    try:
        return Path(filename).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _tags(names: set[str], element_line: int, filename: str) -> list[Tag]:
    """Tags with the line they stand on (pytest-bdd keeps only their names)."""
    source = _read_lines(filename)
    lines: dict[str, int] = {}
    number = element_line - 1
    while number >= 1 and source[number - 1].lstrip().startswith(("@", "#")):
        for word in source[number - 1].split():
            if word.startswith("@"):
                lines.setdefault(word[1:], number)
        number -= 1
    fallback = max(element_line - 1, 1)
    return [Tag(f"@{name}", lines.get(name, fallback)) for name in sorted(names)]


def _capability_tags(item: pytest.Item, line: int) -> list[Tag]:
    """What the scenario needs beyond the core (the conformance kit's ``needs`` marks), shown
    as tags: ``@needs:paging``. Derived from its sentences, never written by hand."""
    return [Tag(f"@needs:{mark.args[0]}", line) for mark in item.iter_markers("needs")][::-1]


def _relative(path: str, rootdir: Path) -> str:
    try:
        return Path(path).resolve().relative_to(rootdir.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()
