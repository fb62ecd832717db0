"""Measure the suite and the service against their speed targets; print one table.

    python bench/run.py                 # everything but the scale rows (Docker when it can)
    python bench/run.py --quick         # one repetition each
    python bench/run.py --quick --scale # and the slow parts: scale (10x, 30x), live, shards
    python bench/run.py --only integrity --only scale   # just those parts
    python bench/run.py --only live     # the live stack beside the in-process one (minutes)

Per-scenario figures come from the suite's own JUnit report, not from an estimate. The service
and the integrity check are built through ``vault.bootstrap``, as production builds them.
``BENCH_COPIES=1,10,30`` sets the copy factors of the scale rows.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import scale
from vault import bootstrap
from vault.config import MONGOMOCK_URI, Settings
from vault.ports import Archive, AuditLog, AuditRecord, LogSource

BENCH_SETTINGS = Settings(
    api_url="https://logs.bench.test/api", bucket="bench", mongo_uri=MONGOMOCK_URI
)

# The container's command, minus what only changes where the output goes.
SUITE = [*scale.SUITE, "-p", "no:xdist"]
IMAGE = "vault-automation-test"


class Row:
    def __init__(self, name: str, target: str, figure: str, met: bool | None) -> None:
        self.name, self.target, self.figure, self.met = name, target, figure, met


# The suite ------------------------------------------------------------------------------------
def suite_runs(repeats: int) -> list[Row]:
    startups, medians, walls, backoff, counts = [], [], [], [], []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            subprocess.run(
                [*SUITE, "--collect-only", "-q"], cwd=ROOT, capture_output=True, check=True
            )
            startups.append(time.perf_counter() - started)
            junit = Path(tmp) / "junit.xml"
            started = time.perf_counter()
            subprocess.run(
                [
                    *SUITE,
                    f"--junitxml={junit}",
                    f"--cucumber-report={tmp}/c.json",
                    f"--gherkin-html={tmp}/r.html",
                ],
                cwd=ROOT,
                capture_output=True,
                check=True,
            )
            walls.append(time.perf_counter() - started)
            cases = list(ET.parse(junit).getroot().iter("testcase"))
            scenarios = {
                case.get("name", ""): float(case.get("time", "0"))
                for case in cases
                if "test_scenarios" in case.get("classname", "")
            }
            counts.append((len(scenarios), len(cases)))
            medians.append(statistics.median(scenarios.values()))
            backoff.append(scenarios["test_backoff_grows_exponentially_with_more_attempts"])
    startup, per_scenario, wall = (statistics.median(v) for v in (startups, medians, walls))
    count, tests = counts[0]
    budget = 1.5 + tests * 0.010
    return [
        Row("suite: pytest start-up + collection", "<= 1.5 s", f"{startup:.2f} s", startup <= 1.5),
        Row(
            f"suite: per scenario, median of {count} (JUnit)",
            "<= 10 ms",
            f"{per_scenario * 1000:.1f} ms",
            per_scenario <= 0.010,
        ),
        Row(
            "suite: whole run as the container runs it",
            f"<= {budget:.2f} s (1.5 s + 10 ms x {tests} tests)",
            f"{wall:.2f} s",
            wall <= budget,
        ),
        Row(
            "no real sleeping: 5 attempts with backoff",
            "< 50 ms",
            f"{statistics.median(backoff) * 1000:.0f} ms",
            statistics.median(backoff) < 0.050,
        ),
    ]


# Service overhead -------------------------------------------------------------------------------
def service_overhead(pages: int, repeats: int) -> Row:
    import mongomock
    import responses
    from moto import mock_aws

    bodies = [
        json.dumps(
            {
                "logs": [
                    {"id": f"evt-{p}-{i}", "severity": "HIGH", "message": "x" * 40}
                    for i in range(10)
                ],
                **({"next_cursor": f"c{p + 1}"} if p + 1 < pages else {}),
            },
            separators=(",", ":"),
        ).encode()
        for p in range(pages)
    ]
    url = "https://logs.bench.test/api/logs"

    def answer(request: Any) -> tuple[int, dict[str, str], bytes]:
        match = re.search(r"cursor=c(\d+)", request.url or "")
        return 200, {}, bodies[int(match.group(1)) if match else 0]

    env = {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    os.environ.update(env)
    raw_times, vault_times = [], []
    with mock_aws(config={"core": {"reset_boto3_session": False}}), responses.RequestsMock() as api:
        api.add_callback("GET", re.compile(re.escape(url) + ".*"), callback=answer)
        s3 = bootstrap.s3_client(region_name="us-east-1")
        s3.create_bucket(Bucket="bench")
        collection: Any = mongomock.MongoClient()["bench"]["audit"]
        session = bootstrap.http_session()

        def reset() -> None:
            for item in s3.list_objects_v2(Bucket="bench").get("Contents", []):
                s3.delete_object(Bucket="bench", Key=item["Key"])
            collection.drop()
            # The vault's own index, so that both sides insert against it (build_service
            # creates it again, a no-op).
            collection.create_index("s3_key", unique=True, name="s3_key_unique")

        def raw() -> None:
            cursor = None
            for page in range(pages):
                body = session.get(
                    url, params={"cursor": cursor} if cursor else None, timeout=30
                ).content
                s3.put_object(
                    Bucket="bench",
                    Key=f"logs/{page}.json",
                    Body=body,
                    ContentType="application/json",
                    ServerSideEncryption="AES256",
                )
                collection.insert_one({"s3_key": f"logs/{page}.json", "size_bytes": len(body)})
                cursor = f"c{page + 1}"

        def vault() -> None:
            bootstrap.build_service(
                BENCH_SETTINGS,
                session=session,
                s3=s3,
                collection=collection,
                clock=lambda: datetime.now(UTC),
                pause=lambda _: None,
            ).run()

        for _ in range(repeats):
            for runner, times in ((raw, raw_times), (vault, vault_times)):
                reset()
                started = time.perf_counter()
                runner()
                times.append(time.perf_counter() - started)
    raw_s, vault_s = statistics.median(raw_times), statistics.median(vault_times)
    ratio = vault_s / raw_s
    return Row(
        f"service overhead: {pages} pages vs raw GET+put+insert",
        "<= 1.20x",
        f"{ratio:.2f}x ({vault_s:.2f} s vs {raw_s:.2f} s)",
        ratio <= 1.2,
    )


# Memory -----------------------------------------------------------------------------------
class GeneratedPages(LogSource):
    """Builds each page when asked, so the source itself holds no page between calls."""

    def __init__(self, pages: int, size: int) -> None:
        self.pages, self.size = pages, size

    def fetch_page(self, cursor: str | None, max_bytes: int) -> bytes:
        number = int(cursor or 0)
        page: dict[str, Any] = {
            "logs": [
                {
                    "id": f"evt-{number * self.size + i:07d}",
                    "severity": "HIGH",
                    "source": "sshd",
                    "message": f"failed login for user {i}",
                }
                for i in range(self.size)
            ]
        }
        if number + 1 < self.pages:
            page["next_cursor"] = str(number + 1)
        return json.dumps(page, separators=(",", ":")).encode()


class Discarding(Archive, AuditLog):
    @property
    def location(self) -> str:
        return "discard"

    def store(self, key: str, body: bytes, sha256_hex: str) -> None:
        pass

    def keys(self, prefix: str) -> Iterator[str]:
        return iter(())

    def read_chunks(self, key: str, chunk_size: int) -> Iterator[bytes]:
        return iter(())

    def record(self, entry: AuditRecord) -> bool:
        return True

    def records_by_key(self, bucket: str) -> Iterator[AuditRecord]:
        return iter(())


class CursorPages(LogSource):
    """Page n holds one entry and names page n+1 by a cursor of ``size`` characters."""

    def __init__(self, pages: int, size: int) -> None:
        self.pages, self.size = pages, size

    def fetch_page(self, cursor: str | None, max_bytes: int) -> bytes:
        number = int(cursor.split("-", 1)[0]) if cursor else 1
        page: dict[str, Any] = {"logs": [{"id": f"evt-{number}"}]}
        if number < self.pages:
            page["next_cursor"] = f"{number + 1}-".ljust(self.size, "c")
        return json.dumps(page, separators=(",", ":")).encode()


class EmptyEntries(LogSource):
    """One page of ``{}`` entries, ``size`` bytes long, built when asked."""

    def __init__(self, size: int) -> None:
        self.entries = (size - len(b'{"logs":[{}]}')) // 3 + 1

    def fetch_page(self, cursor: str | None, max_bytes: int) -> bytes:
        return b'{"logs":[' + b"{}," * (self.entries - 1) + b"{}]}"


def peak_bytes(pages: int, source: LogSource) -> int:
    """The traced peak of one run, over what was allocated before it started."""
    sink = Discarding()
    service = bootstrap.wire(
        replace(BENCH_SETTINGS, max_pages=pages),
        log_source=source,
        archive=sink,
        audit_log=sink,
        clock=lambda: datetime.now(UTC),
        pause=lambda _: None,
    )
    tracemalloc.start()
    service.run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def memory() -> list[Row]:
    one_page = peak_bytes(1, GeneratedPages(1, 1000))
    hundred_pages = peak_bytes(100, GeneratedPages(100, 1000))
    ratio = hundred_pages / one_page
    body = len(GeneratedPages(1, 1000).fetch_page(None, 1 << 30))
    few, many = (
        peak_bytes(200, CursorPages(200, 60 * 1024)),
        peak_bytes(2000, CursorPages(2000, 60 * 1024)),
    )
    page = EmptyEntries(BENCH_SETTINGS.max_body_bytes)
    size = len(page.fetch_page(None, 1 << 30))
    parsed = peak_bytes(1, page)
    return [
        Row(
            "memory: 100,000 entries in pages of 1,000",
            "peak <= 1.2x one page's",
            f"{hundred_pages / 1e6:.1f} MB vs {one_page / 1e6:.1f} MB for one page "
            f"({body / 1e3:.0f} kB body): {ratio:.2f}x",
            ratio <= 1.2,
        ),
        Row(
            "memory: 2,000 vs 200 pages with 60 KiB cursors",
            "peak <= 1.2x",
            f"{many / 1e6:.2f} MB vs {few / 1e6:.2f} MB: {many / few:.2f}x",
            many <= 1.2 * few,
        ),
        Row(
            f"memory: one page of {page.entries:,} {{}} entries",
            "peak <= 8x its size",
            f"{parsed / 1e6:.0f} MB for {size / 1e6:.1f} MB: {parsed / size:.1f}x",
            parsed <= 8 * size,
        ),
    ]


# Integrity -------------------------------------------------------------------------------
def integrity_rows(objects: int, small: int) -> list[Row]:
    from bench import integrity

    rate, took = integrity.throughput(objects)
    small_peak, large_peak = integrity.peak_bytes(small), integrity.peak_bytes(objects)
    ratio = large_peak / small_peak
    return [
        Row(
            f"verify: throughput over {objects:,} objects in moto",
            "reported",
            f"{rate:.0f} objects/s ({took:.1f} s)",
            None,
        ),
        Row(
            f"verify: peak memory, {objects:,} objects vs {small:,}",
            "<= 1.2x",
            f"{large_peak / 1e6:.2f} MB vs {small_peak / 1e6:.2f} MB: {ratio:.2f}x",
            ratio <= 1.2,
        ),
    ]


# Scale ------------------------------------------------------------------------------------
COPIES = tuple(int(c) for c in os.environ.get("BENCH_COPIES", "1,10,30").split(","))


def scale_rows(repeats: int) -> list[Row]:
    serial_args, parallel_args = ("-p", "no:xdist"), ("-n", "2")
    collected, serial, parallel, cpu = {}, {}, {}, {}
    steps: list[dict[str, float]] = []
    for copies in COPIES:
        with scale.project(copies) as root:
            collected[copies] = statistics.median(
                scale.collect(root, *serial_args) for _ in range(repeats)
            )
            serial[copies], cpu[(copies, "serial")] = scale.cpu_by_process(root, *serial_args)
            if copies in (COPIES[0], COPIES[-1]):
                parallel[copies], cpu[(copies, "-n 2")] = scale.cpu_by_process(root, *parallel_args)
            if copies == COPIES[0]:
                steps = [scale.step_lookup(root), scale.step_lookup(root, fixtures=500)]
                steps.append(scale.step_lookup(root, steps=500))
    rows = []
    for copies in COPIES:
        run = serial[copies]
        rows.append(
            Row(
                f"scale {copies}x ({run.scenarios:,} scenarios): start-up + collection",
                "reported",
                f"{collected[copies]:.2f} s",
                None,
            )
        )
        rows.append(
            Row(
                f"scale {copies}x: per scenario, median (JUnit)",
                "<= 10 ms",
                f"{run.per_scenario * 1000:.1f} ms (whole run {run.wall:.1f} s)",
                run.per_scenario <= 0.010,
            )
        )
    low, high = serial[COPIES[0]].per_scenario, serial[COPIES[-1]].per_scenario
    rows.append(
        Row(
            f"scale: per scenario at {COPIES[-1]}x vs {COPIES[0]}x",
            "<= 1.25x",
            f"{high / low:.2f}x ({high * 1000:.1f} ms vs {low * 1000:.1f} ms)",
            high / low <= 1.25,
        )
    )
    for copies, spread in parallel.items():
        speedup = serial[copies].wall / spread.wall
        single = cpu[(copies, "serial")]["controller"]["total"]
        processes = cpu[(copies, "-n 2")]
        workers = sorted(
            (name for name in processes if name != "controller"),
        )
        spent = ", ".join(f"{name} {processes[name]['total']:.1f} s" for name in workers)
        rows.append(
            Row(
                f"scale {copies}x: -n 2 vs -p no:xdist, wall",
                ">= 1.6x" if copies > 1 else "reported",
                f"{speedup:.2f}x ({serial[copies].wall:.1f} s vs {spread.wall:.1f} s); "
                f"CPU {single:.1f} s vs controller "
                f"{processes['controller']['total']:.1f} s, {spent}",
                speedup >= 1.6 if copies > 1 else None,
            )
        )
    base, more_fixtures, more_steps = steps
    rows.append(
        Row(
            "pytest-bdd step lookup, uncached, per lookup (median)",
            "reported",
            f"{base['median_us']:.0f} us with {base['fixture_names']:.0f} fixture names; "
            f"{more_fixtures['median_us']:.0f} us with 500 more fixtures, "
            f"{more_steps['median_us']:.0f} us with 500 more steps",
            None,
        )
    )
    return rows


# The live stack ----------------------------------------------------------------------------------
def _scenario_times(junit: Path) -> list[float]:
    return [
        float(case.get("time", "0"))
        for case in ET.parse(junit).getroot().iter("testcase")
        if "test_scenarios" in case.get("classname", "")
    ]


def live_rows() -> list[Row]:
    """The live stack beside the in-process stack, in the same run: servers' start-up, the
    per-scenario medians and their ratio, and the shipped suite's wall time on 2 workers."""
    sys.path.insert(0, str(ROOT))
    from steps.live import LiveStack

    started = time.perf_counter()
    LiveStack(f"{sys.executable} -m vault").close()
    startup = time.perf_counter() - started
    medians, walls = {}, {}
    for stack, extra in (("inprocess", ["-p", "no:xdist"]), ("live", ["-n", "2"])):
        with tempfile.TemporaryDirectory() as tmp:
            junit = Path(tmp) / "junit.xml"
            started = time.perf_counter()
            subprocess.run(
                [
                    *scale.SUITE,
                    "tests/acceptance",
                    f"--vault-stack={stack}",
                    *extra,
                    f"--junitxml={junit}",
                    f"--cucumber-report={tmp}/c.json",
                    f"--gherkin-html={tmp}/r.html",
                    f"--cucumber-messages={tmp}/m.ndjson",
                    f"--cucumber-per-feature={tmp}/f",
                    f"--run-model={tmp}/run.json",
                ],
                cwd=ROOT,
                capture_output=True,
                check=True,
            )
            walls[stack] = time.perf_counter() - started
            medians[stack] = statistics.median(_scenario_times(junit))
    ratio = medians["live"] / medians["inprocess"]
    return [
        Row("live: servers' start-up (once a session)", "<= 5 s", f"{startup:.2f} s", startup <= 5),
        Row(
            "live: per scenario, median (JUnit)",
            "<= 1.0 s",
            f"{medians['live']:.2f} s ({ratio:.0f}x in-process's "
            f"{medians['inprocess'] * 1000:.1f} ms)",
            medians["live"] <= 1.0,
        ),
        Row(
            "live: the shipped suite, -n 2",
            "<= 180 s",
            f"{walls['live']:.0f} s (in process: {walls['inprocess']:.1f} s)",
            walls["live"] <= 180,
        ),
    ]


def shard_rows() -> list[Row]:
    """bench/shards.py's rows: shard balance, merging at 30x, the predicted wall of 3 shards."""
    from bench import shards

    return [Row(r.name, r.target, r.figure, r.met) for r in shards.rows()]


# Docker -----------------------------------------------------------------------------------
def docker() -> list[Row]:
    if (
        not shutil.which("docker")
        or subprocess.run(
            ["docker", "image", "inspect", IMAGE], capture_output=True, check=False
        ).returncode
    ):
        return [
            Row(
                "docker run: start to written reports",
                "< 10 s",
                "not measured: no engine or image",
                None,
            )
        ]
    with tempfile.TemporaryDirectory() as reports:
        os.chmod(reports, 0o777)
        started = time.perf_counter()
        subprocess.run(
            ["docker", "run", "--rm", "--network", "none", "-v", f"{reports}:/app/reports", IMAGE],
            capture_output=True,
            check=True,
        )
        took = time.perf_counter() - started
        written = sorted(p.name for p in Path(reports).iterdir())
    size = int(
        json.loads(
            subprocess.run(
                ["docker", "image", "inspect", IMAGE], capture_output=True, check=True
            ).stdout
        )[0]["Size"]
    )
    return [
        Row(
            "docker run: start to written reports",
            "< 10 s",
            f"{took:.1f} s ({', '.join(written)})",
            took < 10 and {"cucumber.json", "junit.xml", "report.html"} <= set(written),
        ),
        Row("docker image size", "reported", f"{size / 1e6:.0f} MB", None),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="one repetition each")
    parser.add_argument(
        "--scale",
        action="store_true",
        help="add the scale rows: the features copied 10x and 30x, serial and -n 2 (minutes)",
    )
    parser.add_argument(
        "--only",
        choices=["suite", "service", "integrity", "scale", "live", "shards", "docker"],
        action="append",
    )
    parser.add_argument(
        "--write",
        metavar="PAGE",
        help="also write the table, with the date and the command, into PAGE's generated block "
        "(docs/performance.md)",
    )
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    parts = {
        "suite": lambda: suite_runs(repeats),
        "service": lambda: [service_overhead(1000, repeats), *memory()],
        "integrity": lambda: integrity_rows(10_000, 1_000),
        "scale": lambda: scale_rows(repeats),
        "live": live_rows,
        "shards": shard_rows,
        "docker": docker,
    }
    slow = {"scale": args.scale, "live": args.scale, "shards": args.scale}
    chosen = args.only or [name for name in parts if slow.get(name, True)]
    rows = [row for name in chosen for row in parts[name]()]
    width = max(len(r.name) for r in rows)
    target_width = max(len(r.target) for r in rows)
    print(f"{'measure':{width}}  {'target':{target_width}}  {'figure':52}  met")
    for row in rows:
        met = {True: "yes", False: "NO", None: "-"}[row.met]
        print(f"{row.name:{width}}  {row.target:{target_width}}  {row.figure:52}  {met}")
    if args.write:
        write_table(Path(args.write), rows, sys.argv[1:])
    return 1 if any(row.met is False for row in rows) else 0


def write_table(page: Path, rows: list[Row], argv: list[str]) -> None:
    """The table as markdown, with the date, the command and the machine, into the page."""
    from tests.docs_pages import replace_block

    command = " ".join(["python", "bench/run.py", *argv])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"Written by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{os.cpu_count()} cores, load average {load:.1f} when it finished.",
        "",
        "| measure | target | figure | met |",
        "|---|---|---|---|",
        *(
            f"| {r.name} | {r.target} | {r.figure} | "
            f"{ {True: 'yes', False: 'no', None: '-'}[r.met] } |"
            for r in rows
        ),
    ]
    replace_block(page, "performance", "\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
