"""Hooks this plugin declares, for a project's conftest.py to implement."""

from __future__ import annotations

import pytest
from pytest_bdd.parser import Feature, Scenario, Step


@pytest.hookspec(firstresult=True)
def pytest_gherkin_undefined_step_hint(
    request: pytest.FixtureRequest, feature: Feature, scenario: Scenario, step: Step
) -> str | None:
    """Guidance for a step that matches no definition: the closest sentences, say.

    The first implementation that returns a string wins; it becomes the undefined step's error
    message in every report. Return None to let another implementation (or the default) answer.
    """
