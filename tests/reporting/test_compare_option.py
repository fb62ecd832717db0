"""`--compare-with PATH`, written with a space, in this project itself (pytest.ini loads the
reporting plugin with `-p`, so its options do not wait for the root conftest)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reporting.project import PREVIOUS

pytestmark = pytest.mark.reporting
ROOT = Path(__file__).parents[2]


def collect(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The project's own pytest run, collecting only; its reports go to tmp_path."""
    reports = [
        f"--junitxml={tmp_path}/junit.xml",
        f"--cucumber-report={tmp_path}/cucumber.json",
        f"--cucumber-per-feature={tmp_path}/features",
        f"--gherkin-html={tmp_path}/report.html",
        f"--cucumber-messages={tmp_path}/cucumber.ndjson",
    ]
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run(
        [*command, *reports, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_an_absolute_path_after_a_space_is_the_options_value(tmp_path: Path) -> None:
    result = collect(tmp_path, "--compare-with", str(PREVIOUS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Compared with {PREVIOUS}:" in result.stdout


def test_a_path_outside_the_project_works_beside_a_test_path(tmp_path: Path) -> None:
    previous = tmp_path / "previous.json"
    shutil.copy(PREVIOUS, previous)
    result = collect(tmp_path, "tests/unit/test_payload.py", "--compare-with", str(previous))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Compared with {previous}:" in result.stdout


@pytest.mark.xfail(
    reason="pytest 9.2 picks the rootdir from the free arguments before it loads any plugin "
    "(-p, pytest.ini or an entry point): alone, a path outside the project roots the run there, "
    "no pytest.ini is read, and the option is unknown. Write --compare-with=PATH.",
    strict=True,
)
def test_a_path_outside_the_project_alone_needs_an_equals_sign(tmp_path: Path) -> None:
    previous = tmp_path / "previous.json"
    shutil.copy(PREVIOUS, previous)
    result = collect(tmp_path, "--compare-with", str(previous))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_bare_pytest_command_loads_the_plugin_too(tmp_path: Path) -> None:
    """The `pytest` script does not put the working directory on sys.path: pytest.ini does."""
    script = Path(sys.executable).parent / "pytest"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    result = subprocess.run(
        [
            str(script),
            "--collect-only",
            "-q",
            "tests/unit/test_payload.py",
            f"--junitxml={tmp_path}/junit.xml",
            f"--gherkin-html={tmp_path}/report.html",
        ],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"HTML report: {tmp_path}/report.html" in result.stdout
