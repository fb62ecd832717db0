"""Control and bidi characters in Gherkin names are shown escaped, never acted on."""

from __future__ import annotations

import pytest

from tests.reporting.project import run_project

pytestmark = pytest.mark.reporting

# An escape sequence that would clear the line and write over it, a window title, and a
# right-to-left override that would show "fdp.exe" as "exe.pdf".
SPOOFED = "features/spoofed.feature"
FEATURE = (
    "Feature: Spoofed \u202eexe.pdf\n"
    "  Scenario: Clean \x1b[2Karchived 9 page(s)\n"
    "    Given the total is 1\n"
    "    When I add \x1b]0;owned\x07 two \u2066\x85\x7f\n"
)
RAW = ["\x1b", "\u202e", "\x07", "\u2066", "\x85", "\x7f"]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    tmp = tmp_path_factory.mktemp("hostile")
    result, reports = run_project(tmp, "-p", "no:xdist", files={SPOOFED: FEATURE})
    return result.stdout + result.stderr, (reports / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("where", ["console", "report.html"])
def test_names_are_shown_escaped(run: tuple[str, str], where: str) -> None:
    shown = dict(zip(["console", "report.html"], run, strict=True))[where]
    assert [char for char in RAW if char in shown] == []
    assert "Spoofed \\u202eexe.pdf" in shown
    assert "Clean \\x1b[2Karchived 9 page(s)" in shown
    assert "I add \\x1b]0;owned\\x07 two \\u2066\\x85\\x7f" in shown
