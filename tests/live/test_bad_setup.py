"""A live stack that cannot start stops the run with one line naming the server and the fix,
not an error per scenario."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.report_options import report_options

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]


def test_an_unreachable_mongodb_stops_the_live_run_with_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/acceptance",
            "-q",
            "-p",
            "no:cacheprovider",
            "--vault-stack=live",
            "--live-mongo-uri=mongodb://127.0.0.1:9/",
            *report_options(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    said = [line for line in done.stdout.splitlines() if "the live stack cannot start" in line]
    assert done.returncode == 3, done.stdout[-2000:]
    assert len(said) == 1, done.stdout[-2000:]
    assert "MongoDB" in said[0]
    assert "--live-mongo-uri" in said[0]
    assert " error" not in done.stdout.splitlines()[-1]
