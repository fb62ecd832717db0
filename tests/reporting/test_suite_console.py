"""The container's command, run on the shipped suite: a console of about a line a scenario, that
names every scenario once."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reporting.project import ROOT

pytestmark = pytest.mark.reporting


def container_command() -> list[str]:
    """The Dockerfile's CMD, as JSON."""
    dockerfile = (ROOT / "Dockerfile").read_text().replace("\\\n", "")
    return list(json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)[1]))


def test_the_containers_console_is_short_and_names_every_scenario_once(tmp_path: Path) -> None:
    command = container_command()
    assert command[:3] == ["python", "-m", "pytest"]
    # The same command, with its reports written aside so that the suite's own stay untouched.
    reports = [
        f"--junitxml={tmp_path}/junit.xml",
        f"--cucumber-report={tmp_path}/cucumber.json",
        f"--cucumber-per-feature={tmp_path}/features",
        f"--gherkin-html={tmp_path}/report.html",
    ]
    result = subprocess.run(
        [sys.executable, *command[1:], *reports],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    features = json.loads((tmp_path / "cucumber.json").read_text())
    scenarios = sum(len(f["elements"]) for f in features)
    # A line a scenario, a line a feature, and a summary: nothing else, however many there are.
    assert len(lines) < scenarios + len(features) + 60
    features = json.loads((tmp_path / "cucumber.json").read_text())
    titles = [e["name"] for f in features for e in f["elements"]]
    totals = re.search(r"^(\d+) scenarios \((\d+) passed\)", result.stdout, re.M)
    assert totals is not None, result.stdout[-2000:]
    assert len(titles) == int(totals.group(1)) == int(totals.group(2)) > 100
    for title in titles:
        status_lines = [
            line for line in lines if re.search(rf": {re.escape(title)}(  @\S+( @\S+)*)?$", line)
        ]
        assert len(status_lines) == 1, title
