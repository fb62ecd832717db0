"""A deliberately imperfect project: one failure, undefined steps, a skip."""

import difflib

import pytest
from pytest_bdd import given, parsers, then, when

import reporting

SENTENCES = [
    "the total is {start}",
    "these amounts:",
    "this note:",
    "I add {amount}",
    "the total should be {expected}",
]


def pytest_gherkin_undefined_step_hint(request, feature, scenario, step):
    """The reporting plugin's hook: the closest sentences of this project's language."""
    closest = difflib.get_close_matches(step.name, SENTENCES, n=2, cutoff=0.0)
    return "Closest sentences: " + "; ".join(f'"{sentence}"' for sentence in closest)


@pytest.fixture
def total() -> dict[str, int]:
    return {"value": 0}


@given(parsers.parse("the total is {start:d}"))
def start_at(total: dict[str, int], start: int) -> None:
    total["value"] = start


@given("these amounts:")
def amounts(total: dict[str, int], datatable: list[list[str]]) -> None:
    total["value"] = sum(int(row[0]) for row in datatable[1:])


@given("this note:")
def note(docstring: str) -> None:
    assert docstring


@when(parsers.parse("I add {amount:d}"))
def add(total: dict[str, int], amount: int) -> None:
    total["value"] += amount


@then(parsers.parse("the total should be {expected:d}"))
def check(request: pytest.FixtureRequest, total: dict[str, int], expected: int) -> None:
    reporting.attach(request, f"the total was {total['value']}", "total")
    assert total["value"] == expected, f"expected {expected}, the total is {total['value']}"


def pytest_gherkin_step_evidence(request, step, exception):
    """The reporting plugin's hook: what a failing step saw, attached to it."""
    return f"evidence for {step.name!r}: the total was {request.getfixturevalue('total')['value']}"


@when(parsers.re(r"I subtract (?P<amount>\d+)"), converters={"amount": int})
def subtract(total: dict[str, int], amount: int) -> None:
    total["value"] -= amount


subtract.gherkin_sentence = "I subtract {amount}"  # what the report shows as its pattern
