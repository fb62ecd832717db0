"""The docs count scenarios from features/ (docs/tiers.md, docs/screenshots.json): that count is
what pytest collects, outline rows included. Here, not in the fast suite, because collecting in
a subprocess costs seconds."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests import docs_pages

pytestmark = pytest.mark.qa


def test_the_docs_count_the_scenarios_pytest_collects() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly",
         "-p", "no:cacheprovider", "--junitxml=", "--cucumber-report=", "--gherkin-html=",
         "--cucumber-messages=", "--cucumber-per-feature=", "tests/acceptance"],
        cwd=docs_pages.ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    found = re.search(r"^(\d+) tests? collected", done.stdout, re.MULTILINE)
    assert found, f"pytest --collect-only said:\n{done.stdout}\n{done.stderr}"
    assert docs_pages.scenario_count() == int(found.group(1))
