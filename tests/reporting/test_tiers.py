"""A tier run (pytest given paths) never overwrites the reports of the fast suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.reporting
ROOT = Path(__file__).parents[2]
PROJECT = Path(__file__).parent / "fixture_project"
INI = """[pytest]
bdd_features_base_dir = features/
testpaths = test_features.py
addopts = -p reporting.plugin -p no:randomly -p no:cacheprovider -p no:hypothesispytest
    --junitxml=reports/junit.xml --cucumber-report=reports/cucumber.json
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT, tmp_path / "project")
    (tmp_path / "project" / "pytest.ini").write_text(INI)
    checks = tmp_path / "project" / "tests" / "checks"
    checks.mkdir(parents=True)
    (checks / "test_one.py").write_text("def test_one():\n    pass\n")
    return tmp_path / "project"


def pytest_run(project: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "pytest", "-q", *args], cwd=project, env=env, check=False)


def test_a_tier_writes_its_own_reports_and_leaves_the_suites_alone(project: Path) -> None:
    pytest_run(project, "tests/checks")
    assert sorted(p.name for p in (project / "reports" / "checks").iterdir()) == [
        "cucumber.json",
        "junit.xml",
    ]
    assert not (project / "reports" / "junit.xml").exists()


def test_the_default_run_writes_the_suites_reports(project: Path) -> None:
    pytest_run(project)
    assert (project / "reports" / "junit.xml").exists()
    assert (project / "reports" / "cucumber.json").exists()


def test_a_path_given_on_the_command_line_is_kept(project: Path) -> None:
    pytest_run(project, "tests/checks", "--junitxml=mine.xml")
    assert (project / "mine.xml").exists()
    assert not (project / "reports" / "junit.xml").exists()


@pytest.mark.parametrize(
    ("selection", "folder"),
    [(["-m", "zero"], "m-zero"), (["-k", "adding or zero"], "k-adding_or_zero")],
)
def test_a_run_narrowed_by_m_or_k_writes_under_selected(
    project: Path, selection: list[str], folder: str
) -> None:
    pytest_run(project, *selection)
    written = project / "reports" / "selected" / folder
    assert sorted(p.name for p in written.iterdir()) == ["cucumber.json", "junit.xml"]
    assert sorted(p.name for p in (project / "reports").iterdir()) == ["selected"]


def test_a_narrowed_tier_writes_under_its_own_folder(project: Path) -> None:
    pytest_run(project, "tests/checks", "-k", "one")
    written = project / "reports" / "checks" / "selected" / "k-one"
    assert sorted(p.name for p in written.iterdir()) == ["cucumber.json", "junit.xml"]


def test_a_path_given_on_the_command_line_is_kept_in_a_narrowed_run(project: Path) -> None:
    pytest_run(project, "-m", "zero", "--junitxml=mine.xml")
    assert (project / "mine.xml").exists()
    assert not (project / "reports" / "junit.xml").exists()
    assert (project / "reports" / "selected" / "m-zero" / "cucumber.json").exists()


def test_a_shard_writes_under_its_group(project: Path) -> None:
    """pytest-split's shards: each writes its own folder, which the merge then reads."""
    for group in ("1", "2"):
        pytest_run(project, "--splits=2", f"--group={group}")
    assert sorted(p.name for p in (project / "reports").iterdir()) == ["shards"]
    for group in ("1", "2"):
        written = project / "reports" / "shards" / group
        assert sorted(p.name for p in written.iterdir()) == ["cucumber.json", "junit.xml"]
