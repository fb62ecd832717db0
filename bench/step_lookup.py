"""pytest plugin for the benchmark: how long pytest-bdd takes to find each step's definition.

pytest-bdd 9 looks a step up by walking every fixture name pytest knows and, for each step
definition among them, trying its parser on the sentence. This plugin times every lookup
(``pytest_bdd.scenario.find_fixturedefs_for_step``) and appends one JSON line to
``BENCH_STEP_LOG``: lookups, median microseconds, fixture names known. ``BENCH_EXTRA_FIXTURES``
and ``BENCH_EXTRA_STEPS`` add that many plain fixtures and step definitions that never match,
to show how the lookup grows with them.

    BENCH_STEP_LOG=/tmp/steps.log python -m pytest -p bench.step_lookup tests/acceptance
"""

from __future__ import annotations

import importlib
import json
import os
import statistics
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_bdd import given
from pytest_bdd.compat import get_fixture_names

# ``pytest_bdd.scenario`` is also the name of a function that the package exports.
_scenario_module: Any = importlib.import_module("pytest_bdd.scenario")
_original = _scenario_module.find_fixturedefs_for_step
_timings: list[float] = []
_fixture_names: list[int] = []


def _timed(step: Any, fixturemanager: Any, node: Any) -> Iterator[Any]:
    started = time.perf_counter()
    found = list(_original(step, fixturemanager, node))
    _timings.append(time.perf_counter() - started)
    _fixture_names.append(len(get_fixture_names(fixturemanager)))
    return iter(found)


_scenario_module.find_fixturedefs_for_step = _timed


def _extra_fixture(number: int) -> Any:
    @pytest.fixture(name=f"bench_extra_fixture_{number}")
    def extra() -> int:
        return number

    return extra


for _number in range(int(os.environ.get("BENCH_EXTRA_FIXTURES", "0"))):
    globals()[f"bench_extra_fixture_{_number}"] = _extra_fixture(_number)

for _number in range(int(os.environ.get("BENCH_EXTRA_STEPS", "0"))):

    def _never(number: int = _number) -> int:
        return number

    globals()[f"bench_extra_step_{_number}"] = given(f"a bench sentence number {_number}")(_never)


def pytest_unconfigure(config: pytest.Config) -> None:
    path = os.environ.get("BENCH_STEP_LOG")
    if not path or not _timings or hasattr(config, "workerinput"):
        return
    record = {
        "lookups": len(_timings),
        "median_us": round(statistics.median(_timings) * 1e6, 1),
        "total_s": round(sum(_timings), 3),
        "fixture_names": max(_fixture_names),
    }
    with open(path, "a", encoding="utf-8") as log:
        log.write(json.dumps(record) + "\n")
