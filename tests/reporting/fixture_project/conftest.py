"""A deliberately imperfect project: one failure, undefined steps, a skip."""

import pytest
from pytest_bdd import given, parsers, then, when


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
def check(total: dict[str, int], expected: int) -> None:
    assert total["value"] == expected, f"expected {expected}, the total is {total['value']}"
