"""Settings for ``python -m vault``, read from the environment and checked before anything is
fetched: every problem at once, each naming the setting and the rule it breaks."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from vault import defaults

MONGOMOCK_URI = "mongomock://"
LONGEST_TIMEOUT_SECONDS = 86_400.0  # a day: beyond it a "timeout" is a typo, and sockets refuse it
# Beyond this a limit bounds nothing any more; int() would refuse 4,300 digits.
LARGEST_WHOLE_NUMBER = 10**18
_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")


class ConfigError(Exception):
    """One or more settings are missing or invalid: ``problems`` says what is wrong with each,
    ``settings`` names them (by default, the name each problem starts with)."""

    def __init__(self, problems: list[str], settings: Iterable[str] = ()) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        named = list(settings) or [
            match.group(0) for problem in problems if (match := _NAME.match(problem))
        ]
        self.settings = list(dict.fromkeys(named))


@dataclass(frozen=True)
class Settings:
    api_url: str
    bucket: str
    mongo_uri: str
    mongo_database: str = defaults.MONGO_DATABASE
    mongo_collection: str = defaults.MONGO_COLLECTION
    max_attempts: int = defaults.MAX_ATTEMPTS
    max_body_bytes: int = defaults.MAX_BODY_BYTES
    max_pages: int = defaults.MAX_PAGES
    http_timeout: float = defaults.HTTP_TIMEOUT_SECONDS
    mongo_timeout: float = defaults.MONGO_TIMEOUT_SECONDS
    # The test hooks: the time of every run and repair, and a file that takes the pauses.
    test_now: datetime | None = None
    test_pause_log: str | None = None


REQUIRED = {
    "VAULT_API_URL": "base URL of the log API, e.g. https://logs.example.com/api",
    "VAULT_BUCKET": "S3 bucket that archives raw payloads",
    "VAULT_MONGO_URI": f"MongoDB URI, e.g. mongodb://localhost:27017 ({MONGOMOCK_URI}: in memory)",
}
OPTIONAL = {
    "VAULT_MONGO_DATABASE": f"MongoDB database (default {defaults.MONGO_DATABASE})",
    "VAULT_MONGO_COLLECTION": f"MongoDB collection (default {defaults.MONGO_COLLECTION})",
    "VAULT_MAX_ATTEMPTS": f"attempts per log API request (default {defaults.MAX_ATTEMPTS})",
    "VAULT_MAX_BODY_BYTES": f"largest page body, bytes (default {defaults.MAX_BODY_BYTES})",
    "VAULT_MAX_PAGES": f"most pages fetched in one run (default {defaults.MAX_PAGES})",
    "VAULT_HTTP_TIMEOUT": "seconds one log API request may take, whole body included "
    f"(default {defaults.HTTP_TIMEOUT_SECONDS:g})",
    "VAULT_MONGO_TIMEOUT": "seconds to find and reach MongoDB before giving up "
    f"(default {defaults.MONGO_TIMEOUT_SECONDS:g})",
}
AWS = {
    "AWS_ENDPOINT_URL": "S3 endpoint, e.g. http://127.0.0.1:9000 (default: AWS)",
    "AWS_REGION": "region (or AWS_DEFAULT_REGION)",
    "AWS_ACCESS_KEY_ID": "credentials: these two, AWS_PROFILE, or any source boto3 knows",
    "AWS_SECRET_ACCESS_KEY": "",
    "AWS_MAX_ATTEMPTS": "botocore's attempts per S3 call (retry mode standard: 3)",
    "AWS_RETRY_MODE": "legacy, standard or adaptive",
}

Check = Callable[[str], str | None]


def settings_from_env(env: Mapping[str, str], *, need_api_url: bool = True) -> Settings:
    """Build ``Settings``; raise ``ConfigError`` naming every missing or invalid variable.

    ``need_api_url=False`` is for commands that never call the log API.
    """
    problems = [
        f"{name} is not set ({meaning})"
        for name, meaning in REQUIRED.items()
        if not env.get(name) and (need_api_url or name != "VAULT_API_URL")
    ]
    checks: dict[str, Check] = {
        "VAULT_API_URL": _http_url,
        "VAULT_BUCKET": _bucket_name,
        "VAULT_MONGO_URI": _mongo_uri,
        "VAULT_MONGO_DATABASE": _database_name,
        "VAULT_MONGO_COLLECTION": _collection_name,
        "VAULT_MAX_ATTEMPTS": _whole_number,
        "VAULT_MAX_BODY_BYTES": _whole_number,
        "VAULT_MAX_PAGES": _whole_number,
        "VAULT_HTTP_TIMEOUT": _seconds,
        "VAULT_MONGO_TIMEOUT": _seconds,
        "AWS_ENDPOINT_URL": _http_url,
        "AWS_ENDPOINT_URL_S3": _http_url,
        "AWS_MAX_ATTEMPTS": _whole_number,
        "AWS_RETRY_MODE": _retry_mode,
        "AWS_REGION": _region,
        "AWS_DEFAULT_REGION": _region,
        "VAULT_TEST_NOW": _utc_instant,
        "VAULT_TEST_PAUSE_LOG": _new_or_existing_file,
    }
    for name, check in checks.items():
        raw = env.get(name)
        rule = check(raw) if raw else None
        if rule is not None:
            problems.append(f"{name} {rule}, got {raw!r}")
    if problems:
        raise ConfigError(problems)
    return Settings(
        api_url=env.get("VAULT_API_URL", ""),
        bucket=env["VAULT_BUCKET"],
        mongo_uri=env["VAULT_MONGO_URI"],
        mongo_database=env.get("VAULT_MONGO_DATABASE") or defaults.MONGO_DATABASE,
        mongo_collection=env.get("VAULT_MONGO_COLLECTION") or defaults.MONGO_COLLECTION,
        max_attempts=_whole(env.get("VAULT_MAX_ATTEMPTS"), defaults.MAX_ATTEMPTS),
        max_body_bytes=_whole(env.get("VAULT_MAX_BODY_BYTES"), defaults.MAX_BODY_BYTES),
        max_pages=_whole(env.get("VAULT_MAX_PAGES"), defaults.MAX_PAGES),
        http_timeout=float(env.get("VAULT_HTTP_TIMEOUT") or defaults.HTTP_TIMEOUT_SECONDS),
        mongo_timeout=float(env.get("VAULT_MONGO_TIMEOUT") or defaults.MONGO_TIMEOUT_SECONDS),
        test_now=_instant(env["VAULT_TEST_NOW"]) if env.get("VAULT_TEST_NOW") else None,
        test_pause_log=env.get("VAULT_TEST_PAUSE_LOG") or None,
    )


# ASCII only, nothing around them: str.isdigit() accepts "²", and int() takes " +5" and "5_0".
_DIGITS = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[0-9]+\.?[0-9]*|\.[0-9]+")  # float() takes "1e3", "inf", " 5", "5_0"


def _whole(raw: str | None, default: int) -> int:
    if not raw:
        return default
    significant = raw.lstrip("0")
    return LARGEST_WHOLE_NUMBER if len(significant) > 18 else min(int(raw), LARGEST_WHOLE_NUMBER)


def _whole_number(raw: str) -> str | None:
    if not _DIGITS.fullmatch(raw):
        return "must be a whole number in ASCII digits (no sign, no space)"
    return "must be at least 1" if _whole(raw, 0) < 1 else None


def _seconds(raw: str) -> str | None:
    if not _DECIMAL.fullmatch(raw):
        return "must be a number of seconds in ASCII digits with at most one point"
    value = float(raw)
    if value <= 0:
        return "must be above 0"
    if value > LONGEST_TIMEOUT_SECONDS:
        return f"must be at most {LONGEST_TIMEOUT_SECONDS:g} seconds"
    return None


_UTC_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|\+00:00)")


def _instant(raw: str) -> datetime:
    return datetime.fromisoformat(raw)


def _utc_instant(raw: str) -> str | None:
    rule = "must be an ISO 8601 UTC instant such as 2026-03-01T12:00:00Z"
    if not _UTC_INSTANT.fullmatch(raw):
        return rule
    try:
        _instant(raw)
    except ValueError:
        return rule
    return None


def _new_or_existing_file(raw: str) -> str | None:
    folder = os.path.dirname(os.path.abspath(raw)) if "\x00" not in raw else ""
    if not os.path.isdir(folder) or os.path.isdir(raw):
        return "must be a file path in a folder that exists"
    return None


def _http_url(raw: str) -> str | None:
    if not raw.lower().startswith(("http://", "https://")):
        return "must start with http:// or https:// (in any case)"
    try:
        url = urlsplit(raw)
        port = url.port
    except ValueError as error:  # "Port out of range 0-65535", "Invalid IPv6 URL", ...
        return "must have a port from 1 to 65535" if "Port" in str(error) else "is not a valid URL"
    if port == 0:
        return "must have a port from 1 to 65535"
    if not url.hostname or not _valid_host(url.hostname):
        return "must name a host (http://host[:port]/path)"
    if url.fragment or raw.endswith("#"):
        return "must not have a fragment (#...)"
    return None


def _valid_host(host: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9._~%-]+", host)) or ":" in host


def _mongo_uri(raw: str) -> str | None:
    if raw.startswith(MONGOMOCK_URI):
        return None
    srv = raw.startswith("mongodb+srv://")
    if not srv and not raw.startswith("mongodb://"):
        return f"must start with mongodb:// or mongodb+srv:// ({MONGOMOCK_URI} for in memory)"
    hosts = raw.split("://", 1)[1].rpartition("@")[2]
    hosts = re.split(r"[/?]", hosts, maxsplit=1)[0]
    if not hosts:
        return "must name a host (mongodb://host[:port][,host[:port]...]/)"
    if "%2F" in hosts.upper() and not srv:  # a Unix socket path
        return None
    return next(filter(None, (_mongo_member(host, srv) for host in hosts.split(","))), None)


def _mongo_member(host: str, srv: bool) -> str | None:
    name, port = host, ""
    if ":" in host and not host.endswith("]"):
        name, _, port = host.rpartition(":")
    if not name or not _valid_host(name.strip("[]")):
        return "must name a host for each member (host[:port],...)"
    if port and srv:
        return "must not give a port with mongodb+srv://"
    if port and not (_DIGITS.fullmatch(port) and 1 <= int(port) <= 65535):
        return "must have ports from 1 to 65535"
    return None


# MongoDB's own rules (mongomock accepts names that a real server refuses).
def _database_name(raw: str) -> str | None:
    if set(raw) & set('/\\. "$*<>:|?\x00'):
        return 'must be a database name without / \\ . " $ * < > : | ? spaces or NUL'
    if len(raw.encode()) > 63:
        return "must be a database name of at most 63 bytes"
    return None


def _collection_name(raw: str) -> str | None:
    if "$" in raw or "\x00" in raw or ".." in raw or raw.startswith(".") or raw.endswith("."):
        return "must be a collection name without $, NUL, '..' or a leading or trailing '.'"
    if raw.startswith("system."):
        return "must not start with system. (MongoDB reserves it)"
    if len(raw.encode()) > 255 - len(defaults.MONGO_DATABASE) - 1:
        return "must keep database.collection within 255 bytes"
    return None


_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
# S3's naming rules for general purpose buckets: (broken when, the rule).
_BUCKET_RULES: tuple[tuple[Callable[[str], bool], str], ...] = (
    (lambda name: not 3 <= len(name) <= 63, "of 3 to 63 characters"),
    (
        lambda name: not re.fullmatch(r"[a-z0-9.-]+", name),
        "of lowercase letters, digits, dots and hyphens",
    ),
    (
        lambda name: not (name[0].isalnum() and name[-1].isalnum()),
        "that must begin and end with a letter or digit",
    ),
    (lambda name: ".." in name, "without two dots in a row"),
    (
        lambda name: bool(re.fullmatch(r"[0-9]+(?:\.[0-9]+){3}", name)),
        "not shaped like an IP address",
    ),
    (
        lambda name: name.startswith(_RESERVED_PREFIXES),
        f"that does not start with {', '.join(_RESERVED_PREFIXES)}",
    ),
    (
        lambda name: name.endswith(_RESERVED_SUFFIXES),
        f"that does not end with {', '.join(_RESERVED_SUFFIXES)}",
    ),
)


def _bucket_name(raw: str) -> str | None:
    for broken, rule in _BUCKET_RULES:
        if broken(raw):
            return f"must be a bucket name {rule}"
    return None


def _retry_mode(raw: str) -> str | None:
    modes = {"legacy", "standard", "adaptive"}
    return None if raw in modes else "must be legacy, standard or adaptive"


def _region(raw: str) -> str | None:
    # botocore's own rule for a region name.
    if re.fullmatch(r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?", raw):
        return None
    return "must be an AWS region name such as us-east-1"
