"""Every report of a pytest run, into one folder, as pytest.ini names them: for the tests that
run the suite in a subprocess (with "=": a path after a space would be taken for a test path)."""

from __future__ import annotations

from pathlib import Path


def report_options(folder: Path) -> list[str]:
    return [
        f"--junitxml={folder}/junit.xml",
        f"--cucumber-report={folder}/cucumber.json",
        f"--cucumber-per-feature={folder}/cucumber-features",
        f"--gherkin-html={folder}/report.html",
        f"--cucumber-messages={folder}/cucumber.ndjson",
        f"--run-model={folder}/run-model.json",
    ]
