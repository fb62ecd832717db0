# The fixture project is run by the tests in this folder, never collected as part of the suite.
from __future__ import annotations

from pathlib import Path

import pytest

from tests.reporting.project import PREVIOUS, run_project

collect_ignore = ["fixture_project"]


@pytest.fixture(scope="session", params=["single process", "xdist"])
def reports(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    extra = ("-n", "2") if request.param == "xdist" else ()
    result, reports = run_project(
        tmp_path_factory.mktemp("reports"), f"--compare-with={PREVIOUS}", *extra
    )
    assert result.returncode == 1, result.stdout + result.stderr  # the failures are deliberate
    (reports / "terminal.txt").write_text(result.stdout)
    return reports
