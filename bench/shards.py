"""Scale-out rows: the fast suite split into 3 shards by .test_durations, and the shards' reports
merged (docs/scale-out.md). Every row is measured in the same run:

- balance: the slowest of 3 shards against their mean, as pytest-split predicts it from the
  durations file and as the shards' JUnit test times measure it (target <= 1.3x);
- merge: ``python -m reporting merge`` of 3 shards of the suite x30 (the 3 shards' run files with
  every record copied under ``features/copy-NN/``, as bench/scale.py copies the features), in
  under 5 s, and its peak memory against merging the 3 shards at 1x (target <= 1.5x);
- the predicted wall time at 30x of 3 shards (collection + the slowest shard's tests + the merge)
  against one machine (collection + every test), from the durations file, with collection at
  30x measured.

    python -m bench.shards          # about a minute on a quiet machine
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from bench import scale
from tests.report_options import report_options

ROOT = Path(__file__).resolve().parents[1]
SHARDS = 3
COPIES = 30
DURATIONS = ROOT / ".test_durations"
# The merge in a child process that reports its own peak resident memory: on Linux the VmHWM of
# /proc/self/status, for ru_maxrss keeps across fork and exec the peak of the process that started
# it (this one, which has held the 30x shards' records by then).
MEASURED_MERGE = (
    "import resource, sys, runpy; sys.argv = ['reporting', *sys.argv[1:]]\n"
    "def peak_kb():\n"
    "    try:\n"
    "        with open('/proc/self/status') as status:\n"
    "            for line in status:\n"
    "                if line.startswith('VmHWM:'):\n"
    "                    return int(line.split()[1])\n"
    "    except OSError:\n"
    "        pass\n"
    "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "try:\n    runpy.run_module('reporting', run_name='__main__')\n"
    "except SystemExit as done:\n"
    "    used = resource.getrusage(resource.RUSAGE_SELF)\n"
    "    print('peak-kb', peak_kb(), 'cpu', used.ru_utime + used.ru_stime, file=sys.stderr)\n"
    "    raise\n"
)


@dataclass
class Row:
    name: str
    target: str
    figure: str
    met: bool | None


def run_shards(work: Path) -> tuple[list[Path], list[float], list[float]]:
    """The fast suite as 3 shards: their folders, predicted and measured test seconds."""
    folders, predicted, measured = [], [], []
    for group in range(1, SHARDS + 1):
        folder = work / f"shard-{group}"
        split = [f"--splits={SHARDS}", f"--group={group}", "--splitting-algorithm=least_duration"]
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", *split, *report_options(folder)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"shard {group} failed:\n{done.stdout[-3000:]}")
        estimate = re.search(r"estimated duration: ([\d.]+)s", done.stdout)
        predicted.append(float(estimate.group(1)) if estimate else 0.0)
        cases = ET.parse(folder / "junit.xml").getroot().iter("testcase")
        measured.append(sum(float(case.get("time", "0")) for case in cases))
        folders.append(folder)
    return folders, predicted, measured


def scaled(shards: list[Path], copies: int, work: Path) -> list[Path]:
    """The shards' run files and JUnit with every scenario and test there ``copies`` times."""
    folders = []
    for number, shard in enumerate(shards, start=1):
        folder = work / f"x{copies}-shard-{number}"
        folder.mkdir(parents=True)
        data = json.loads((shard / "run-model.json").read_text(encoding="utf-8"))
        sources, records = dict(data["sources"]), list(data["records"])
        for copy in range(1, copies):
            prefix = f"features/copy-{copy:02d}/"
            for uri, text in data["sources"].items():
                sources[uri.replace("features/", prefix, 1)] = text
            for record in data["records"]:
                twin = json.loads(json.dumps(record))
                twin["feature"]["uri"] = twin["feature"]["uri"].replace("features/", prefix, 1)
                twin["nodeid"] += f"[copy-{copy:02d}]"
                records.append(twin)
        records.sort(
            key=lambda r: (r["feature"]["uri"], r["line"], (r["example"] or {}).get("index", 0))
        )
        data["sources"], data["records"] = sources, records
        (folder / "run-model.json").write_text(json.dumps(data), encoding="utf-8")
        tree = ET.parse(shard / "junit.xml")
        suite = tree.getroot().find("testsuite")
        assert suite is not None
        cases = suite.findall("testcase")
        for copy in range(1, copies):
            for case in cases:
                twin = ET.fromstring(ET.tostring(case))
                twin.set("name", f"{case.get('name')}[copy-{copy:02d}]")
                suite.append(twin)
        suite.set("tests", str(int(suite.get("tests", "0")) * copies))
        tree.write(folder / "junit.xml", encoding="utf-8", xml_declaration=True)
        folders.append(folder)
    return folders


@dataclass
class Merge:
    wall: float  # seconds
    cpu: float  # seconds: on a busy machine, steadier than the wall time
    peak_kb: int
    scenarios: int


def merge(shards: list[Path], into: Path) -> Merge:
    """One ``python -m reporting merge``, measured."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURED_MERGE, "merge", *map(str, shards), "--into", str(into)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"the merge failed: {done.stderr}")
    peak, cpu = re.findall(r"peak-kb (\d+) cpu ([\d.]+)", done.stderr)[-1]
    scenarios = re.search(r": (\d+) scenarios", done.stdout)
    assert scenarios is not None, done.stdout
    return Merge(wall, float(cpu), int(peak), int(scenarios.group(1)))


def rows() -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="bench-shards-") as tmp:
        work = Path(tmp)
        shards, predicted, measured = run_shards(work)
        small = merge(shards, work / "merged-x1")
        large = merge(scaled(shards, COPIES, work), work / f"merged-x{COPIES}")
        with scale.project(COPIES) as root:
            collect = scale.collect(root)
    durations = json.loads(DURATIONS.read_text(encoding="utf-8"))
    one_machine = collect + COPIES * sum(durations.values())
    sharded = collect + COPIES * max(predicted) + large.wall
    balance = [max(figures) / (sum(figures) / len(figures)) for figures in (predicted, measured)]
    return [
        Row(
            "shards: slowest of 3 vs their mean",
            "<= 1.3x",
            f"{balance[1]:.2f}x measured ({', '.join(f'{m:.1f}' for m in measured)} s), "
            f"{balance[0]:.2f}x predicted",
            balance[1] <= 1.3,
        ),
        Row(
            f"merge 3 shards at {COPIES}x ({large.scenarios:,} scenarios)",
            "<= 5 s",
            f"{large.wall:.2f} s, CPU {large.cpu:.2f} s "
            f"(1x, {small.scenarios} scenarios: {small.wall:.2f} s)",
            large.wall <= 5,
        ),
        Row(
            f"merge peak memory, {COPIES}x vs 1x",
            "<= 1.5x",
            f"{large.peak_kb / small.peak_kb:.2f}x "
            f"({large.peak_kb / 1024:.0f} MB vs {small.peak_kb / 1024:.0f} MB)",
            large.peak_kb / small.peak_kb <= 1.5,
        ),
        Row(
            f"predicted wall at {COPIES}x: 3 shards vs one machine",
            "reported",
            f"{sharded:.0f} s vs {one_machine:.0f} s ({one_machine / sharded:.2f}x; "
            f"collection {collect:.0f} s in each)",
            None,
        ),
    ]


def main() -> int:
    table = rows()
    width = max(len(row.name) for row in table)
    for row in table:
        met = {True: "yes", False: "NO", None: "-"}[row.met]
        print(f"{row.name:{width}}  {row.target:8}  {row.figure:60}  {met}")
    return 1 if any(row.met is False for row in table) else 0


if __name__ == "__main__":
    sys.exit(main())
