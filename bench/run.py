"""Measure the suite and the service against their speed targets; print one table.

    python bench/run.py            # everything, Docker included when an engine and the image exist
    python bench/run.py --quick    # fewer repetitions

Per-scenario figures come from the suite's own JUnit report, not from an estimate.
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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vault.ports import Archive, AuditLog, AuditRecord, LogSource
from vault.service import VaultService

# The container's command, minus what only changes where the output goes.
SUITE = [
    sys.executable,
    "-m",
    "pytest",
    "-p",
    "no:cacheprovider",
    "-p",
    "no:xdist",
    "-vv",
    "--gherkin-terminal-reporter",
]
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
    import boto3
    import mongomock
    import requests
    import responses
    from moto import mock_aws

    from vault.adapters.http_log_source import HttpLogSource
    from vault.adapters.mongo_audit_log import MongoAuditLog
    from vault.adapters.s3_archive import S3Archive

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
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="bench")
        collection: Any = mongomock.MongoClient()["bench"]["audit"]
        session = requests.Session()

        def reset() -> None:
            for item in s3.list_objects_v2(Bucket="bench").get("Contents", []):
                s3.delete_object(Bucket="bench", Key=item["Key"])
            collection.drop()
            collection.create_index("s3_key", unique=True)

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
            audit = MongoAuditLog(collection)
            VaultService(
                HttpLogSource(session, "https://logs.bench.test/api"),
                S3Archive(s3, "bench"),
                audit,
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

    def record(self, entry: AuditRecord) -> bool:
        return True


def peak_bytes(pages: int, size: int) -> int:
    sink = Discarding()
    service = VaultService(
        GeneratedPages(pages, size),
        sink,
        sink,
        clock=lambda: datetime.now(UTC),
        pause=lambda _: None,
    )
    tracemalloc.start()
    service.run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def memory() -> Row:
    one_page, hundred_pages = peak_bytes(1, 1000), peak_bytes(100, 1000)
    ratio = hundred_pages / one_page
    body = len(GeneratedPages(1, 1000).fetch_page(None, 1 << 30))
    return Row(
        "memory: 100,000 entries in pages of 1,000",
        "peak <= 1.2x one page's",
        f"{hundred_pages / 1e6:.1f} MB vs {one_page / 1e6:.1f} MB for one page "
        f"({body / 1e3:.0f} kB body): {ratio:.2f}x",
        ratio <= 1.2,
    )


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
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    rows = [*suite_runs(repeats), service_overhead(1000, repeats), memory(), *docker()]
    width = max(len(r.name) for r in rows)
    target_width = max(len(r.target) for r in rows)
    print(f"{'measure':{width}}  {'target':{target_width}}  {'figure':52}  met")
    for row in rows:
        met = {True: "yes", False: "NO", None: "-"}[row.met]
        print(f"{row.name:{width}}  {row.target:{target_width}}  {row.figure:52}  {met}")
    return 1 if any(row.met is False for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
