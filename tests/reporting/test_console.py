"""The console reads like a Gherkin report: features once in file order, a status per scenario,
the steps of what did not pass, other tests by directory. The same under pytest-xdist."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reporting.project import HINT, PROJECT, ROOT, SCENARIOS, run_project

pytestmark = pytest.mark.reporting
ESCAPE = "\x1b["


def console(reports: Path) -> str:
    return (reports / "terminal.txt").read_text()


def test_each_feature_is_printed_once_in_file_order(reports: Path) -> None:
    out = console(reports)
    assert out.count("Feature: Sums  [features/sums.feature: 8 scenarios, ") == 1
    assert out.count("Feature: Zero  [features/zero.feature: ") == 1
    assert out.index("Feature: Sums") < out.index("Feature: Zero")
    assert (
        "Feature: Sums  [features/sums.feature: 8 scenarios, 4 passed, 1 failed, 2 undefined, "
        "1 skipped]  @sums\n"
    ) in out


def test_each_scenario_has_one_status_line_in_a_mark_and_a_word(reports: Path) -> None:
    out = console(reports)
    marks = {"passed": "✔", "failed": "✘", "undefined": "?", "skipped": "↷"}
    for name, status in SCENARIOS:
        mark, title = re.escape(marks[status]), re.escape(name)
        line = rf"^  {mark} {status:<9}  Scenario( Outline)?: {title}(  @\S+)?$"
        assert len(re.findall(line, out, re.MULTILINE)) == 1, (name, status)
    assert "  ✘ failed     Scenario: A wrong expectation fails  @wrong\n" in out


def test_a_failure_shows_its_steps_and_message(reports: Path) -> None:
    assert (
        "  ✘ failed     Scenario: A wrong expectation fails  @wrong\n"
        "      ✔ passed    Given the total is 1\n"
        "      ✔ passed    When I add 2\n"
        "      ✘ failed    Then the total should be 4\n"
        "                  AssertionError: expected 4, the total is 3\n"
        "      ↷ skipped   And the total should be 3\n"
    ) in console(reports)


def test_an_undefined_step_shows_the_closest_sentences(reports: Path) -> None:
    assert (
        "      ✔ passed    Given the total is 1\n"
        "      ? undefined When I multiply by 5\n"
        f"                  {HINT}\n"
        "      ↷ skipped   Then the total should be 5\n"
    ) in console(reports)


def test_passing_scenarios_show_no_steps(reports: Path) -> None:
    out = console(reports)
    assert "When I add 1" not in out  # the first outline example passes


def test_other_tests_are_summarised_by_directory_not_listed(reports: Path) -> None:
    out = console(reports)
    assert (
        "Other tests, by directory:\n"
        "  checks: 2 passed, 1 failed -- failed: test_numbers.py::test_a_wrong_sum\n"
    ) in out
    assert "test_two_and_two" not in out
    assert "PASSED" not in out
    # pytest's own failure section stays for a test that has no Gherkin view, not for scenarios.
    assert "a deliberately failing unit test" in out
    assert "_ test_a_wrong_expectation_fails _" not in out


def test_the_totals_and_the_report_paths_close_the_view(reports: Path) -> None:
    out = console(reports)
    assert (
        "9 scenarios (5 passed, 1 failed, 2 undefined, 1 skipped), "
        "25 steps (17 passed, 1 failed, 2 undefined, 5 skipped), in 2 features\n"
    ) in out
    assert f"HTML report: {reports / 'report.html'}" in out
    assert re.search(r"=+ 4 failed, 7 passed, 1 skipped.* in [\d.]+s", out)


def test_output_without_a_terminal_carries_no_escape_codes(reports: Path) -> None:
    assert ESCAPE not in console(reports)


def test_pretty_shows_every_step_and_v_gives_pytests_own_output(tmp_path: Path) -> None:
    result, _ = run_project(tmp_path, "-v", "--gherkin-view=pretty")
    assert "  ✔ passed     Scenario: Adding works\n      ✔ passed    Given the total is 1\n" in (
        result.stdout
    )
    assert "test_features.py::test_adding_works PASSED" in result.stdout
    assert "_ test_a_wrong_expectation_fails _" in result.stdout  # pytest's failure section


def test_a_crash_in_collection_still_prints_pytests_error(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    (project / "checks" / "test_broken.py").write_text("def test_(:\n")
    broken = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert broken.returncode == 2, broken.stdout
    assert "ERROR collecting checks/test_broken.py" in broken.stdout
    assert "SyntaxError" in broken.stdout


@pytest.mark.parametrize(
    ("options", "env", "coloured"),
    [
        ((), {}, True),
        ((), {"NO_COLOR": "1"}, False),
        (("--color=no",), {}, False),
    ],
)
def test_colour_only_on_a_terminal_and_as_asked(
    tmp_path: Path, options: tuple[str, ...], env: dict[str, str], coloured: bool
) -> None:
    out = run_on_a_terminal(tmp_path, *options, env=env)
    assert "Feature: Sums" in out
    assert (ESCAPE in out) is coloured


def run_on_a_terminal(tmp_path: Path, *options: str, env: dict[str, str]) -> str:
    """The fixture project with a pseudo-terminal as its standard output."""
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    controller, terminal = pty.openpty()
    inherited = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}}
    process = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", *options],
        cwd=project,
        env={**inherited, "PYTHONPATH": str(ROOT), "TERM": "xterm", **env},
        stdout=terminal,
        stderr=terminal,
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    process.wait()
    return b"".join(chunks).decode()
