"""One plain, JSON-ready record per executed scenario: the Gherkin, each step's status, errors.

Records are built on the process that ran the test (an xdist worker or the only process) and
travel to the controller as a JSON string on the teardown report.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import time
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Feature, ScenarioTemplate, Step
from pytest_bdd.scenario import scenario_wrapper_template_registry

STEP_RESULTS = pytest.StashKey[dict[int, dict[str, Any]]]()
STEP_STARTED = pytest.StashKey[int]()
PHASES = pytest.StashKey[dict[str, pytest.TestReport]]()


def template_of(item: pytest.Item) -> ScenarioTemplate | None:
    function = getattr(item, "obj", None)
    return scenario_wrapper_template_registry.get(function) if function else None  # type: ignore[arg-type]


def example_of(item: pytest.Item) -> dict[str, str]:
    callspec = getattr(item, "callspec", None)
    return dict(callspec.params.get("_pytest_bdd_example", {})) if callspec else {}


# Step results, recorded by pytest-bdd hooks ---------------------------------------------------
def step_started(item: pytest.Item) -> None:
    item.stash[STEP_STARTED] = time.perf_counter_ns()


def step_finished(
    item: pytest.Item, step: Step, status: str, func: Any = None, error: str | None = None
) -> None:
    started = item.stash.get(STEP_STARTED, time.perf_counter_ns())
    result: dict[str, Any] = {"status": status, "duration": time.perf_counter_ns() - started}
    if error:
        result["error_message"] = error
    if func is not None:
        result["location"] = _location(func)
    item.stash.setdefault(STEP_RESULTS, {})[step.line_number] = result


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
def build(item: pytest.Item, rootdir: Path) -> dict[str, Any] | None:
    template = template_of(item)
    if template is None:
        return None
    example = example_of(item)
    scenario = template.render(example)
    feature = template.feature
    phases = item.stash.get(PHASES, {})
    results = item.stash.get(STEP_RESULTS, {})
    steps = [_step(step, results.get(step.line_number)) for step in scenario.steps]
    error = _apply_phase_outcomes(steps, phases)
    source = _source_lines(feature)
    outline_example = _example(template, example)
    record: dict[str, Any] = {
        "nodeid": item.nodeid,
        "feature": {
            "uri": _relative(feature.filename, rootdir),
            "name": feature.name,
            "keyword": feature.keyword,
            "description": feature.description,
            "line": feature.line_number,
            "tags": _tags(sorted(feature.tags), feature.line_number, source),
        },
        "keyword": template.keyword,
        "name": _scenario_name(scenario.name, outline_example),
        "description": template.description or "",
        "line": template.line_number,
        "tags": _tags(sorted(template.tags), template.line_number, source),
        "example": outline_example,
        "steps": steps,
        "duration": sum(getattr(r, "duration", 0.0) for r in phases.values()),
        "status": _scenario_status(steps, error),
    }
    if error:
        record["error"] = error
    return record


def _step(step: Step, result: dict[str, Any] | None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "keyword": step.keyword,
        "name": step.name,
        "line": step.line_number,
        "result": dict(result) if result else {"status": "skipped"},
    }
    if step.datatable is not None:
        record["rows"] = [[cell.value for cell in row.cells] for row in step.datatable.rows]
    if step.docstring is not None:
        record["doc_string"] = step.docstring
    return record


def _apply_phase_outcomes(steps: list[dict[str, Any]], phases: dict[str, Any]) -> str | None:
    """Fold what pytest saw outside the steps (fixture errors, skips) into the steps."""
    setup, call, teardown = (phases.get(name) for name in ("setup", "call", "teardown"))
    if setup is not None and setup.failed:
        message = f"setup failed: {_error_text(setup)}"
        if steps:
            steps[0]["result"] = {"status": "failed", "error_message": message, "duration": 0}
        return message
    if setup is not None and setup.skipped:
        reason = _skip_reason(setup)
        for step in steps:
            step["result"] = {"status": "skipped"}
        return f"skipped: {reason}" if reason else None
    error = None
    if (
        call is not None
        and call.failed
        and not any(s["result"]["status"] in {"failed", "undefined"} for s in steps)
    ):
        error = _error_text(call)
    if teardown is not None and teardown.failed:
        error = f"teardown failed: {_error_text(teardown)}"
    return error


def _scenario_status(steps: list[dict[str, Any]], error: str | None) -> str:
    statuses = {step["result"]["status"] for step in steps}
    if "failed" in statuses or "undefined" in statuses:
        return "failed"
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


def _scenario_name(rendered: str, example: dict[str, Any] | None) -> str:
    if example is None:
        return rendered
    values = ", ".join(f"{k}={v}" for k, v in example["values"].items())
    return f"{rendered} (example {example['index']}: {values})"


def _example(template: ScenarioTemplate, values: dict[str, str]) -> dict[str, Any] | None:
    """Which row of the outline's Examples this test runs, counted across tables, and its line."""
    if not template.templated:
        return None
    index = 0
    for examples in template.examples:
        contexts = list(examples.as_contexts())
        if values in contexts:
            row = contexts.index(values)
            return {
                "index": index + row + 1,
                "values": values,
                "header": examples.example_params,
                "line": (examples.line_number or template.line_number) + 2 + row,
            }
        index += len(contexts)
    return {"index": 0, "values": values, "header": list(values), "line": template.line_number}


def _source_lines(feature: Feature) -> list[str]:
    return _read_lines(feature.filename)


@functools.cache
def _read_lines(filename: str) -> list[str]:
    try:
        return Path(filename).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _tags(names: list[str], element_line: int, source: list[str]) -> list[dict[str, Any]]:
    """Tags with the line they stand on (pytest-bdd keeps only their names)."""
    lines: dict[str, int] = {}
    number = element_line - 1
    while number >= 1 and source[number - 1].lstrip().startswith(("@", "#")):
        for word in source[number - 1].split():
            if word.startswith("@"):
                lines.setdefault(word[1:], number)
        number -= 1
    return [
        {"name": f"@{name}", "line": lines.get(name, max(element_line - 1, 1))} for name in names
    ]


def _relative(path: str, rootdir: Path) -> str:
    try:
        return Path(path).resolve().relative_to(rootdir.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()
