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


@pytest.hookspec
def pytest_gherkin_step_evidence(
    request: pytest.FixtureRequest, step: Step, exception: Exception
) -> str | None:
    """What a failing step saw, for people who read the reports and not the terminal.

    Called when a step raises, before its failure is recorded. Each string returned is attached
    to that step as ``text/plain`` named ``evidence``; return None to attach nothing. To attach
    several named pieces instead, call ``reporting.attach(request, text, name)`` here.
    """
