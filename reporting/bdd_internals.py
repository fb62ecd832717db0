"""Every read of pytest-bdd's private state, in one place. Checked against pytest-bdd 9.0.1.

pytest-bdd's public hooks tell which step runs, but not which scenario template and which outline
example a test item stands for. These reads fill that gap; if a pytest-bdd upgrade breaks the
reports, this module is the one to check (tests/reporting fails first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from pytest_bdd.parser import Scenario, ScenarioTemplate
from pytest_bdd.parsers import StepParser

# Private: pytest-bdd maps each generated test function to its template here (scenario.py).
from pytest_bdd.scenario import scenario_wrapper_template_registry

# Private: every step definition, keyed by the fixture function pytest-bdd makes for it (steps.py).
from pytest_bdd.steps import step_function_context_registry

from reporting.model import Example

CHECKED_AGAINST = "pytest-bdd 9.0.1"
# Private: the parameter through which pytest-bdd hands each test its outline example.
EXAMPLE_PARAM = "_pytest_bdd_example"


@dataclass(frozen=True)
class BddItem:
    template: ScenarioTemplate
    scenario: Scenario  # the template rendered with the item's example values
    example: Example | None  # the outline row it runs


def read_item(item: pytest.Item) -> BddItem | None:
    """The scenario an item runs, or None for a test that is not a scenario."""
    function = getattr(item, "obj", None)
    if function is None:
        return None
    template = scenario_wrapper_template_registry.get(function)
    if template is None:
        return None
    callspec = getattr(item, "callspec", None)
    values = dict(callspec.params.get(EXAMPLE_PARAM, {})) if callspec else {}
    example = _outline_row(template, values) if template.templated else None
    return BddItem(template, template.render(values), example)


def _outline_row(template: ScenarioTemplate, values: dict[str, str]) -> Example:
    """Which row of the outline's Examples the item runs, counted across all its tables."""
    index = 0
    for examples in template.examples:
        contexts = list(examples.as_contexts())
        if values in contexts:
            row = contexts.index(values)
            # The row's line: the Examples keyword, its header row, then the rows in order.
            line = (examples.line_number or template.line_number) + 2 + row
            return Example(index + row + 1, values, list(examples.example_params), line)
        index += len(contexts)
    return Example(0, values, list(values), template.line_number)


@dataclass(frozen=True)
class StepDefinition:
    """One sentence of the language: its keyword (None for ``@step``), parser and function."""

    keyword: str | None
    parser: StepParser
    function: Callable[..., object]


def step_definitions() -> list[StepDefinition]:
    """The project's step definitions this process has imported, in the order they were defined.

    pytest-bdd's own (its "trace" step, which opens the debugger) are not the project's language.
    """
    contexts = list(step_function_context_registry.values())
    return [
        StepDefinition(c.type, c.parser, c.step_func)
        for c in contexts
        if not c.step_func.__module__.startswith("pytest_bdd.")
    ]


def argument_spans(parser: StepParser, text: str) -> list[tuple[int, str]]:
    """Where a step's arguments stand in its text, as (start, value), for a parser that matches.

    Reads each parser's compiled pattern (``regex`` of ``parsers.re``, ``parser`` of
    ``parsers.parse`` and ``cfparse``); a plain string has no arguments.
    """
    regex = getattr(parser, "regex", None)
    if regex is not None:
        match = regex.fullmatch(text)
        if match is None:
            return []
        groups = range(1, (match.re.groups or 0) + 1)
        return [(match.start(g), match.group(g)) for g in groups if match.start(g) >= 0]
    compiled = getattr(parser, "parser", None)
    result = compiled.parse(text) if compiled is not None else None
    if result is None or not hasattr(result, "spans"):
        return []
    return sorted((start, text[start:end]) for start, end in result.spans.values())
