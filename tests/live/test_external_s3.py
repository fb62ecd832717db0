"""The live stack against an S3-compatible store of one's own (MinIO, LocalStack, an S3 server
started elsewhere): `--live-s3-endpoint`. Here the store is a moto server this test starts; the
suite sees only its endpoint and keys, as it would MinIO's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.report_options import report_options

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_scenarios_run_against_a_store_of_ones_own_and_a_denial_is_skipped_by_name(
    store: str, tmp_path: Path
) -> None:
    chosen = "table_are_archived_exactly or denies_the_upload_with_403 or (after_one_page and 503)"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/acceptance",
            "-p",
            "no:cacheprovider",
            "-rs",
            "--vault-stack=live",
            f"--live-s3-endpoint={store}",
            "-k",
            chosen,
            *report_options(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={
            **os.environ,
            "AWS_ACCESS_KEY_ID": "store-key",
            "AWS_SECRET_ACCESS_KEY": "store-s3cret",
        },
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert "2 passed, 1 skipped" in done.stdout, done.stdout[-3000:]
    report = json.loads((tmp_path / "cucumber.json").read_text())
    skipped = [e["name"] for f in report for e in f["elements"] if _skipped(e)]
    assert skipped == ["S3 denies the upload with 403 and no audit record is written"]
    junit = (tmp_path / "junit.xml").read_text()
    assert "moto&apos;s IAM" in junit or "moto's IAM" in junit  # the reason, named


def _skipped(element: dict[str, object]) -> bool:
    steps = element.get("steps", [])
    assert isinstance(steps, list)
    return any(step["result"]["status"] == "skipped" for step in steps)
