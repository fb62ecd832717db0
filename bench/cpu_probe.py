"""pytest plugin for the benchmark: each process (controller, every xdist worker) appends the CPU
seconds it used, by phase, to the file named by ``BENCH_CPU_LOG``.

    BENCH_CPU_LOG=/tmp/cpu.log python -m pytest -p bench.cpu_probe -n 2
"""

from __future__ import annotations

import gc
import json
import os
import resource
import time
from typing import Any

import pytest

_marks: dict[str, float] = {}
_gc = {"seconds": 0.0, "started": 0.0, "full": 0}


def _time_gc(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _gc["started"] = time.perf_counter()
    else:
        _gc["seconds"] += time.perf_counter() - _gc["started"]
        _gc["full"] += info["generation"] == 2


gc.callbacks.append(_time_gc)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def pytest_configure(config: pytest.Config) -> None:
    _marks["configured"] = _cpu()


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    _marks["collected"] = _cpu()


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    _marks.setdefault("collected", _cpu())


def pytest_unconfigure(config: pytest.Config) -> None:
    path = os.environ.get("BENCH_CPU_LOG")
    if not path:
        return
    worker: Any = getattr(config, "workerinput", {}).get("workerid", "controller")
    end = _cpu()
    record = {
        "process": worker,
        "start_up": round(_marks.get("configured", end), 2),
        "collection": round(_marks.get("collected", end) - _marks.get("configured", end), 2),
        "rest": round(end - _marks.get("collected", end), 2),
        "total": round(end, 2),
        "gc": round(_gc["seconds"], 2),
        "full_gcs": _gc["full"],
        "at": time.time(),
    }
    with open(path, "a", encoding="utf-8") as log:
        log.write(json.dumps(record) + "\n")
