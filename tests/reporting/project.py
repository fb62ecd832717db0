"""Run the reporting fixture project in a subprocess, as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
PROJECT = Path(__file__).parent / "fixture_project"
PREVIOUS = Path(__file__).parent / "previous-cucumber.json"

SCENARIOS = [
    ("Adding works", "passed"),
    ("A wrong expectation fails", "failed"),
    ("A later step has no definition", "undefined"),
    ("The first step has no definition", "undefined"),
    ("Outline rows add up (example 1: start=1, amount=1, sum=2)", "passed"),
    ("Outline rows add up (example 2: start=2, amount=3, sum=5)", "passed"),
    ("Tables and doc strings are kept", "passed"),
    ("A skipped scenario is still listed", "skipped"),
    ("Nothing added stays zero", "passed"),
]
# The test decides about colour, not the shell that runs it.
COLOUR_VARIABLES = {"NO_COLOR", "FORCE_COLOR", "PY_COLORS"}
HINT = 'Closest sentences: "the total should be {expected}"; "this note:"'


def run_project(
    tmp: Path,
    *extra: str,
    env: dict[str, str] | None = None,
    files: dict[str, str] | None = None,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run a copy of the fixture project, with ``files`` (path: text) added to it."""
    project = tmp / "project"
    shutil.copytree(PROJECT, project)
    for name, text in (files or {}).items():
        (project / name).write_text(text, encoding="utf-8")
    reports = tmp / "reports"
    inherited = {k: v for k, v in os.environ.items() if k not in COLOUR_VARIABLES}
    env = {**inherited, "PYTHONPATH": str(ROOT), **(env or {})}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            f"--cucumber-report={reports}/cucumber.json",
            f"--cucumber-per-feature={reports}/features",
            f"--gherkin-html={reports}/report.html",
            f"--junitxml={reports}/junit.xml",
            *extra,
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result, reports
