"""A minimal Audit Vault: `run --json` only, one page, no test hooks (see docs/contract.md)."""

import hashlib
import json
import os
import sys
import time
from base64 import b64encode
from datetime import UTC, datetime
from urllib.parse import unquote_to_bytes, urlsplit, urlunsplit

import boto3
import pymongo
import requests
from botocore.exceptions import BotoCoreError, ClientError
from pymongo.errors import DuplicateKeyError, PyMongoError

REQUIRED = ("VAULT_API_URL", "VAULT_BUCKET", "VAULT_MONGO_URI")


class Failed(Exception):
    """A typed failure: (code, why)."""


def setting(name: str, default: str = "") -> str:
    return os.environ.get(name) or default  # the empty text counts as unset


def fetch(url: str, headers: dict, attempts: int, timeout: float) -> bytes:
    for attempt in range(1, attempts + 1):
        try:  # no redirect is followed: a 3xx is refused like any other answer but 200
            answer = requests.get(url, headers=headers, timeout=timeout, allow_redirects=False)
            why = f"the log API answered HTTP {answer.status_code}"
            if answer.status_code == 200:
                return answer.content
            if answer.status_code not in (429, 500, 502, 503, 504):
                raise Failed("SOURCE_REJECTED", why)
        except requests.Timeout:
            why = "the log API timed out"
        except requests.RequestException:
            why = "the log API dropped the connection"
        if attempt < attempts:
            time.sleep(2 ** (attempt - 1))  # 1, 2, 4 ... s: this vault has no pause hook
    raise Failed("SOURCE_UNAVAILABLE", f"{why} ({attempts} attempts)")


def refuse(pairs: list) -> dict:  # repeated keys, NaN and Infinity are not JSON
    if isinstance(pairs, str) or len(dict(pairs)) < len(pairs):
        raise ValueError(pairs)
    return dict(pairs)


def depth(value: object) -> int:  # {"logs": []} is 2 levels deep
    levels, layer = 0, [value]
    while layer := [inner for inner in layer if isinstance(inner, dict | list)]:
        levels += 1
        layer = [
            v for inner in layer for v in (inner.values() if isinstance(inner, dict) else inner)
        ]
    return levels


def entries(body: bytes) -> int:
    try:
        page = json.loads(body, parse_constant=refuse, object_pairs_hook=refuse)
        logs, cursor = page["logs"], page.get("next_cursor")
        valid = isinstance(logs, list) and all(isinstance(entry, dict) for entry in logs)
        valid = valid and (cursor is None or (isinstance(cursor, str) and cursor != ""))
        if valid and depth(page) <= 512:
            return len(logs)
    except (ValueError, TypeError, KeyError, RecursionError):
        pass
    raise Failed("INVALID_PAYLOAD", "the body is not a JSON object with a logs array of objects")


def run(bucket: str, started: datetime) -> int:
    mongo = pymongo.MongoClient(setting("VAULT_MONGO_URI"), serverSelectionTimeoutMS=5000)
    database = mongo[setting("VAULT_MONGO_DATABASE", "audit_vault")]
    records = database[setting("VAULT_MONGO_COLLECTION", "audit_records")]
    try:  # MongoDB first: an unreachable audit log fails before any request to the log API
        mongo.admin.command("ping")
        records.create_index("s3_key", unique=True)
    except PyMongoError:
        raise Failed("AUDIT_UNAVAILABLE", "MongoDB cannot be reached") from None
    base = urlsplit(setting("VAULT_API_URL"))  # its query stays; never printed (secrets)
    userinfo, at, address = base.netloc.rpartition("@")
    url = urlunsplit((base.scheme, address, base.path.rstrip("/") + "/logs", base.query, ""))
    user, _, password = (unquote_to_bytes(part) for part in userinfo.partition(":"))
    # Basic credentials in the bytes the URL encodes (UTF-8), not requests' Latin-1.
    headers = {"Authorization": "Basic " + b64encode(user + b":" + password).decode()} if at else {}
    timeout = float(setting("VAULT_HTTP_TIMEOUT", "30"))
    body = fetch(url, headers, int(setting("VAULT_MAX_ATTEMPTS", "3")), timeout)
    count, sha256 = entries(body), hashlib.sha256(body).hexdigest()
    if count == 0:
        return 0  # an empty page archives nothing
    key = f"logs/{sha256}.json"
    try:  # boto3 reads AWS_ENDPOINT_URL, AWS_MAX_ATTEMPTS, the keys and the region itself
        s3 = boto3.client("s3")
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")
    except (ClientError, BotoCoreError) as error:  # a BotoCoreError has no response
        answer = getattr(error, "response", {"ResponseMetadata": {"HTTPStatusCode": 503}})
        code = answer.get("Error", {}).get("Code")
        status = answer["ResponseMetadata"]["HTTPStatusCode"]
        kind = "ACCESS_DENIED" if status == 403 else "REJECTED" if status < 500 else "UNAVAILABLE"
        kind = "BUCKET_MISSING" if code == "NoSuchBucket" else kind
        raise Failed(f"STORAGE_{kind}", f"S3 answered {status} {code} for {bucket}") from None
    record = {"s3_key": key, "bucket": bucket, "timestamp": started, "status": "ARCHIVED"}
    record |= {"sha256": sha256, "size_bytes": len(body), "log_count": count}
    try:
        records.insert_one(record)
    except DuplicateKeyError:
        pass  # recorded by an earlier run: a record is never rewritten
    except PyMongoError:
        raise Failed("AUDIT_UNAVAILABLE", f"MongoDB refused the record of {key}") from None
    return 1


def main() -> int:
    if sys.argv[1:] != ["run", "--json"]:
        print("usage: minimal_vault.py run --json (it has no verify or repair)", file=sys.stderr)
        return 64
    missing = [name for name in REQUIRED if not setting(name)]
    said = {"ok": False, "code": "BAD_SETTINGS", "message": f"not set: {', '.join(missing)}"}
    said["settings"] = missing
    try:
        if not missing:
            said = {"ok": True, "pages_archived": run(setting("VAULT_BUCKET"), datetime.now(UTC))}
    except Failed as failure:
        said = {"ok": False, "code": failure.args[0], "message": f"page 1: {failure.args[1]}"}
        said |= {"page": 1, "pages_archived": 0}  # its one page failed
    print("vault:", said.get("code", "OK"), said.get("message", ""), file=sys.stderr)
    print(json.dumps(said))
    return 2 if missing else 0 if said["ok"] else 1


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Without interpreter shutdown: pymongo's exit hook would hold the process up to 0.5 s while
    # it joins its monitor threads, once per command.
    os._exit(status)
