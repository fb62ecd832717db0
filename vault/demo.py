"""``python -m vault demo``: the real service and adapters against in-process fakes.

moto plays S3, mongomock plays MongoDB and ``responses`` plays a canned log API whose first
answer is a 503, so the demo shows a retry, pagination, the archive and the audit log, and a
second run that adds nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TextIO

from vault import bootstrap
from vault.config import MONGOMOCK_URI, Settings
from vault.errors import VaultError
from vault.integrity import IntegrityCheck

DEMO_API = "https://logs.demo.invalid/api"
DEMO_BUCKET = "audit-vault-demo"

_PAGES = [
    {
        "logs": [
            {"id": "evt-1", "severity": "HIGH", "source": "sshd", "message": "5 failed logins"},
            {"id": "evt-2", "severity": "LOW", "source": "nginx", "message": "404 /admin"},
            {"id": "evt-3", "severity": "MEDIUM", "source": "sudo", "message": "root shell"},
        ],
        "next_cursor": "page-2",
    },
    {"logs": [{"id": "evt-4", "severity": "HIGH", "source": "iam", "message": "key rotated"}]},
]


def run_demo(out: TextIO) -> int:
    """Run the pipeline twice against the fakes and print what happened. Returns an exit code."""
    import mongomock  # noqa: PLC0415 - test doubles are loaded only for the demo
    import responses  # noqa: PLC0415
    from moto import mock_aws  # noqa: PLC0415

    settings = Settings(api_url=DEMO_API, bucket=DEMO_BUCKET, mongo_uri=MONGOMOCK_URI)
    with mock_aws(), responses.RequestsMock(assert_all_requests_are_fired=False) as api:
        _serve_canned_api(api)
        s3 = bootstrap.s3_client(
            region_name="us-east-1", aws_access_key_id="demo", aws_secret_access_key="demo"
        )
        s3.create_bucket(Bucket=DEMO_BUCKET)
        collection: Any = mongomock.MongoClient()["audit_vault"]["audit_records"]
        session = bootstrap.http_session()
        service = bootstrap.build_service(
            settings, session=session, s3=s3, collection=collection, pause=_announce_pause(out)
        )
        out.write(f"Audit Vault demo: log API {DEMO_API}, bucket s3://{DEMO_BUCKET}\n\n")
        for label in ("first run", "second run (same payloads)"):
            out.write(f"{label}:\n")
            try:
                result = service.run()
            except VaultError as error:
                out.write(f"  FAILED {error}\n")
                return 1
            out.write(f"  {result.summary()}\n")
        out.write("\narchive:\n")
        for item in s3.list_objects_v2(Bucket=DEMO_BUCKET).get("Contents", []):
            out.write(f"  s3://{DEMO_BUCKET}/{item['Key']}  {item['Size']} bytes\n")
        out.write("\naudit log:\n")
        for record in collection.find({}, {"_id": False}).sort("s3_key"):
            record["timestamp"] = record["timestamp"].isoformat(timespec="milliseconds") + "Z"
            out.write(f"  {json.dumps(record, sort_keys=True)}\n")
        session.close()
        check = bootstrap.build_integrity_check(settings, s3=s3, collection=collection)
        _show_integrity(out, check, collection)
    return 0


def _show_integrity(out: TextIO, check: IntegrityCheck, collection: Any) -> None:
    """Verify, lose a record as an outage would, verify again, repair, verify once more."""
    out.write("\nverify (python -m vault verify):\n")
    out.write(f"  {check.verify().summary()}\n")
    lost = collection.find_one({}, sort=[("s3_key", 1)])["s3_key"]
    collection.delete_one({"s3_key": lost})
    out.write(f"\nthe audit record of {lost} is lost (an outage between archive and audit):\n")
    verification = check.verify()
    out.writelines(f"  {problem}\n" for problem in verification.problems)
    repair = check.repair()
    out.write(f"\nrepair (python -m vault repair):\n  {repair.summary()}\n")
    out.write(f"\nverify again:\n  {check.verify().summary()}\n")


def _serve_canned_api(api: Any) -> None:
    from responses import GET, matchers  # noqa: PLC0415

    url = f"{DEMO_API}/logs"
    first, second = (json.dumps(page, separators=(",", ":")).encode() for page in _PAGES)
    api.add(GET, url, status=503, headers={"Retry-After": "2"})
    api.add(GET, url, body=first, match=[matchers.query_param_matcher({})])
    api.add(GET, url, body=second, match=[matchers.query_param_matcher({"cursor": "page-2"})])


def _announce_pause(out: TextIO) -> Callable[[float], None]:
    def pause(seconds: float) -> None:
        out.write(f"  (the log API asked for a pause of {seconds:g}s; the demo does not wait)\n")

    return pause
