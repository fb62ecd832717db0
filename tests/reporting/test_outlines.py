"""A Scenario Outline in report.html, as Cucumber's own report shows it: its steps once, then its
examples table, each row with its status and, when it did not pass, a link to its failure."""

from __future__ import annotations

import re

import pytest

from tests.reporting.page import Page
from tests.reporting.project import run_project

pytestmark = pytest.mark.reporting

FEATURE = """Feature: Outlined
  Scenario Outline: Rows add up
    Given the total is <start>
    When I add <amount>
    Then the total should be <sum>

    Examples:
      | start | amount | sum |
      | 1     | 1      | 2   |
      | 2     | 3      | 6   |
      | 4     | 4      | 8   |
"""


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> str:
    files = {"features/outlined.feature": FEATURE}
    _, reports = run_project(tmp_path_factory.mktemp("outline"), "-p", "no:xdist", files=files)
    return (reports / "report.html").read_text()


def _outline(html: str) -> str:
    text = Page(html).text
    start = text.index("Scenario Outline: Rows add up")
    return text[start : text.index("Feature: Sums", start)]


def test_the_outlines_steps_are_shown_once_with_their_placeholders(html: str) -> None:
    outline = _outline(html)
    assert "Given the total is <start>\nWhen I add <amount>\nThen the total should be <sum>" in (
        outline
    )
    assert outline.count("When I add") == 2  # the outline's, and the failing example's


def test_each_example_row_shows_its_status(html: str) -> None:
    assert (
        "Examples:\n| status | start | amount | sum\n"
        "| passed | 1 | 1 | 2\n| failed | 2 | 3 | 6\n| passed | 4 | 4 | 8"
    ) in _outline(html)


def test_a_failed_row_links_to_its_failure(html: str) -> None:
    page = Page(html)
    href = next(href for href, text in page.links if text == "failed" and "outlined" in href)
    failure = re.search(rf'<section [^>]*id="{re.escape(href[1:])}".*?</section>', html, re.DOTALL)
    assert failure is not None
    shown = Page(failure.group()).text
    assert "failed Then the total should be 6\nAssertionError: expected 6, the total is 5" in shown


def test_the_top_still_links_each_example_to_its_row(html: str) -> None:
    page = Page(html)
    assert (
        "#features/outlined.feature:10",
        "Rows add up (example 2: start=2, amount=3, sum=6)",
    ) in (page.links)
    assert "features/outlined.feature:10" in page.ids
