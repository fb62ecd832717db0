"""Every read of pytest-bdd's private state, in one place. Checked against pytest-bdd 9.0.1.

pytest-bdd's public hooks tell which step runs, but not which scenario template and which outline
example a test item stands for. These reads fill that gap; if a pytest-bdd upgrade breaks the
reports, this module is the one to check (tests/reporting fails first).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from pytest_bdd.parser import Scenario, ScenarioTemplate

# Private: pytest-bdd maps each generated test function to its template here (scenario.py).
from pytest_bdd.scenario import scenario_wrapper_template_registry

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
