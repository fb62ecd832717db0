"""mutmut runs pytest more than once in one process, and gives each mutant its tests by node id.
A test whose id changes between two collections in one process is not found the second time:
pytest exits 4, and mutmut counts the mutant as killed though no test ran. Every id of the
selections it runs must be the same in a second collection."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

TWICE = """
import json, sys, io, contextlib, pytest

class Ids:
    def pytest_collection_modifyitems(self, items):
        self.ids = [item.nodeid for item in items]

runs = []
for _ in range(2):
    ids = Ids()
    with contextlib.redirect_stdout(io.StringIO()):
        pytest.main(["--collect-only", "-q", "-p", "no:randomly", *sys.argv[1:]], plugins=[ids])
    runs.append(ids.ids)
print(json.dumps(runs))
"""
NO_REPORTS = [
    "--junitxml=", "--cucumber-report=", "--cucumber-per-feature=", "--gherkin-html=",
    "--cucumber-messages=", "--run-model=", "-p", "no:cacheprovider",
]  # fmt: skip


def test_every_test_mutmut_runs_has_the_same_id_when_collected_again() -> None:
    selection = ["tests/acceptance", "tests/unit", "--ignore=tests/unit/test_architecture.py"]
    done = subprocess.run(
        [sys.executable, "-c", TWICE, *selection, *NO_REPORTS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    first, second = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(first) > 1000
    changed = sorted(set(first) - set(second))
    assert not changed, f"ids that change in a second collection (give them plain ids): {changed}"
