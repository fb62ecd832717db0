"""The suite at scale: the features copied N times, collected and run as the container runs them.

A copy of the project goes to a temporary folder (the working tree, not git's index), with
``features/`` copied ``copies - 1`` more times under ``features/copy-NN/``; pytest-bdd binds every
copy (``scenarios(".")``) under its own test name. Reports other than JUnit are off.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "reports", "__pycache__", ".pytest_cache", ".hypothesis", "mutants", "*.pyc"
)
# The container's command, minus what only changes where the output goes.
SUITE = [
    sys.executable,
    "-m",
    "pytest",
    "-p",
    "no:cacheprovider",
    "-vv",
    "--gherkin-terminal-reporter",
]
NO_REPORTS = ["--cucumber-report=", "--gherkin-html="]


@contextmanager
def project(copies: int) -> Iterator[Path]:
    """A copy of the project whose features are there ``copies`` times."""
    with tempfile.TemporaryDirectory(prefix=f"vault-x{copies}-") as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(ROOT, root, ignore=IGNORED)
        features = sorted((ROOT / "features").glob("*.feature"))
        for copy in range(1, copies):
            folder = root / "features" / f"copy-{copy:02d}"
            folder.mkdir()
            for feature in features:
                shutil.copy2(feature, folder / feature.name)
        yield root


@dataclass
class Run:
    wall: float
    scenarios: int
    tests: int
    per_scenario: float  # median, seconds, from JUnit


def collect(root: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [*SUITE, *args, "--collect-only", "-q", *NO_REPORTS],
        cwd=root,
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - started


def run(root: Path, *args: str) -> Run:
    junit = root / "reports" / "bench-junit.xml"
    started = time.perf_counter()
    done = subprocess.run(
        [*SUITE, *args, f"--junitxml={junit}", *NO_REPORTS],
        cwd=root,
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode:
        tail = done.stdout.decode(errors="replace")[-3000:]
        raise RuntimeError(f"the suite failed ({' '.join(args)}):\n{tail}")
    cases = list(ET.parse(junit).getroot().iter("testcase"))
    scenarios = [
        float(case.get("time", "0"))
        for case in cases
        if "test_scenarios" in case.get("classname", "")
    ]
    return Run(wall, len(scenarios), len(cases), statistics.median(scenarios))


def cpu_by_process(root: Path, *args: str) -> tuple[Run, dict[str, dict[str, float]]]:
    """A run with ``bench.cpu_probe``: each process's CPU seconds by phase."""
    with tempfile.NamedTemporaryFile("r", suffix=".log") as log:
        env_before = os.environ.get("BENCH_CPU_LOG")
        os.environ["BENCH_CPU_LOG"] = log.name
        try:
            result = run(root, "-p", "bench.cpu_probe", *args)
        finally:
            if env_before is None:
                del os.environ["BENCH_CPU_LOG"]
            else:
                os.environ["BENCH_CPU_LOG"] = env_before
        records = [json.loads(line) for line in log.read().splitlines() if line.strip()]
    return result, {record.pop("process"): record for record in records}


def step_lookup(root: Path, fixtures: int = 0, steps: int = 0) -> dict[str, float]:
    """``bench.step_lookup``'s figures for the acceptance scenarios, with extra definitions."""
    with tempfile.NamedTemporaryFile("r", suffix=".log") as log:
        env = {
            **os.environ,
            "BENCH_STEP_LOG": log.name,
            "BENCH_EXTRA_FIXTURES": str(fixtures),
            "BENCH_EXTRA_STEPS": str(steps),
        }
        subprocess.run(
            [
                *SUITE[:5],
                *("-p", "no:xdist", "-q", "-p", "bench.step_lookup", "tests/acceptance"),
                *("--junitxml=reports/bench-steps.xml", *NO_REPORTS),
            ],
            cwd=root,
            env=env,
            capture_output=True,
            check=True,
        )
        return dict(json.loads(log.read().splitlines()[-1]))


if __name__ == "__main__":  # exploration: python -m bench.scale COPIES [pytest args...]
    with project(int(sys.argv[1])) as where:
        print(f"collect {collect(where, *sys.argv[2:]):.2f} s")
        print(run(where, *sys.argv[2:]))
