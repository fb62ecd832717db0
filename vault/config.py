"""Settings for ``python -m vault run``, read from the environment, all problems at once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from vault.service import DEFAULT_MAX_BODY_BYTES

MONGOMOCK_URI = "mongomock://"


class ConfigError(Exception):
    """One or more settings are missing or invalid; ``problems`` lists every one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    api_url: str
    bucket: str
    mongo_uri: str
    mongo_database: str = "audit_vault"
    mongo_collection: str = "audit_records"
    max_attempts: int = 3
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    http_timeout: float = 30.0


REQUIRED = {
    "VAULT_API_URL": "base URL of the log API, e.g. https://logs.example.com/api",
    "VAULT_BUCKET": "S3 bucket that archives raw payloads",
    "VAULT_MONGO_URI": f"MongoDB URI, e.g. mongodb://localhost:27017 ({MONGOMOCK_URI}: in memory)",
}
OPTIONAL = {
    "VAULT_MONGO_DATABASE": "MongoDB database (default audit_vault)",
    "VAULT_MONGO_COLLECTION": "MongoDB collection (default audit_records)",
    "VAULT_MAX_ATTEMPTS": "attempts per log API request (default 3)",
    "VAULT_MAX_BODY_BYTES": f"largest page body accepted, bytes (default {DEFAULT_MAX_BODY_BYTES})",
    "VAULT_HTTP_TIMEOUT": "seconds to wait for the log API to answer (default 30)",
}


def settings_from_env(env: Mapping[str, str]) -> Settings:
    """Build ``Settings``; raise ``ConfigError`` naming every missing or invalid variable."""
    problems = [
        f"{name} is not set ({meaning})" for name, meaning in REQUIRED.items() if not env.get(name)
    ]
    api_url = env.get("VAULT_API_URL", "")
    if api_url and not api_url.startswith(("http://", "https://")):
        problems.append(f"VAULT_API_URL must start with http:// or https://, got {api_url!r}")
    max_attempts = _positive(env, "VAULT_MAX_ATTEMPTS", 3, int, problems)
    max_body = _positive(env, "VAULT_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, int, problems)
    timeout = _positive(env, "VAULT_HTTP_TIMEOUT", 30.0, float, problems)
    if problems:
        raise ConfigError(problems)
    return Settings(
        api_url=api_url,
        bucket=env["VAULT_BUCKET"],
        mongo_uri=env["VAULT_MONGO_URI"],
        mongo_database=env.get("VAULT_MONGO_DATABASE") or "audit_vault",
        mongo_collection=env.get("VAULT_MONGO_COLLECTION") or "audit_records",
        max_attempts=int(max_attempts),
        max_body_bytes=int(max_body),
        http_timeout=float(timeout),
    )


def _positive(
    env: Mapping[str, str],
    name: str,
    default: float,
    kind: type[int] | type[float],
    problems: list[str],
) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        problems.append(f"{name} must be a positive {kind.__name__}, got {raw!r}")
        return default
    if value <= 0:
        problems.append(f"{name} must be a positive {kind.__name__}, got {raw!r}")
    return value
