"""What a product manager reads first about a failure: the step, and what was expected and found."""

from __future__ import annotations

import pytest

from tests.reporting.page import Page
from tests.reporting.project import PROJECT, run_project

pytestmark = pytest.mark.reporting

FEATURE = """Feature: Records
  Scenario: The record has the expected counts
    Then the record has these fields:
      | field     | value |
      | log_count | 4     |
      | status    | ok    |
"""
# The suite's own Then, in small: a table of expectations, every difference listed.
STEPS = """

@then("the record has these fields:")
def record_fields(datatable: list[list[str]]) -> None:
    record = {"log_count": "3", "status": "ok"}
    mismatches = [
        f"  {field}: expected {expected!r}, found {record[field]!r}"
        for field, expected in datatable[1:]
        if record[field] != expected
    ]
    shown = "\\n".join(mismatches)
    assert not mismatches, f"the record differs:\\n{shown}\\nthe record: {record}"
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Page:
    steps = (PROJECT / "test_features.py").read_text() + "from pytest_bdd import then\n" + STEPS
    files = {"features/records.feature": FEATURE, "test_features.py": steps}
    _, reports = run_project(tmp_path_factory.mktemp("summary"), "-p", "no:xdist", files=files)
    return Page((reports / "report.html").read_text())


def _attention(page: Page) -> str:
    text = page.text
    start = text.index("Failed and undefined")
    return text[start : text.index("Skipped: ", start)]


def test_the_summary_shows_the_failing_step_and_what_was_expected_and_found(page: Page) -> None:
    assert (
        "Then the record has these fields:\n"
        "the record differs:\n"
        "log_count: expected '4', found '3'\n"
        "the record: {'log_count': '3', 'status': 'ok'}"
    ) in _attention(page)
    assert "::" not in _attention(page)


def test_a_one_line_failure_reads_as_the_step_then_its_message(page: Page) -> None:
    assert "Then the total should be 4\nexpected 4, the total is 3\n" in _attention(page)


def test_the_step_leaves_out_pytests_introspection(page: Page) -> None:
    assert "log_count: expected '4', found '3'" in page.text
    assert not [line for line in page.text.splitlines() if line.startswith(("assert ", "+ "))]
