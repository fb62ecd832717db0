"""Settings for ``python -m vault run``, read from the environment, all problems at once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from vault import defaults

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
    mongo_database: str = defaults.MONGO_DATABASE
    mongo_collection: str = defaults.MONGO_COLLECTION
    max_attempts: int = defaults.MAX_ATTEMPTS
    max_body_bytes: int = defaults.MAX_BODY_BYTES
    max_pages: int = defaults.MAX_PAGES
    http_timeout: float = defaults.HTTP_TIMEOUT_SECONDS


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
    "VAULT_HTTP_TIMEOUT": "seconds to wait for the log API to answer "
    f"(default {defaults.HTTP_TIMEOUT_SECONDS:g})",
}


def settings_from_env(env: Mapping[str, str]) -> Settings:
    """Build ``Settings``; raise ``ConfigError`` naming every missing or invalid variable."""
    problems = [
        f"{name} is not set ({meaning})" for name, meaning in REQUIRED.items() if not env.get(name)
    ]
    api_url = env.get("VAULT_API_URL", "")
    if api_url and not api_url.startswith(("http://", "https://")):
        problems.append(f"VAULT_API_URL must start with http:// or https://, got {api_url!r}")
    max_attempts = _positive(env, "VAULT_MAX_ATTEMPTS", defaults.MAX_ATTEMPTS, int, problems)
    max_body = _positive(env, "VAULT_MAX_BODY_BYTES", defaults.MAX_BODY_BYTES, int, problems)
    max_pages = _positive(env, "VAULT_MAX_PAGES", defaults.MAX_PAGES, int, problems)
    timeout = _positive(env, "VAULT_HTTP_TIMEOUT", defaults.HTTP_TIMEOUT_SECONDS, float, problems)
    if problems:
        raise ConfigError(problems)
    return Settings(
        api_url=api_url,
        bucket=env["VAULT_BUCKET"],
        mongo_uri=env["VAULT_MONGO_URI"],
        mongo_database=env.get("VAULT_MONGO_DATABASE") or defaults.MONGO_DATABASE,
        mongo_collection=env.get("VAULT_MONGO_COLLECTION") or defaults.MONGO_COLLECTION,
        max_attempts=int(max_attempts),
        max_body_bytes=int(max_body),
        max_pages=int(max_pages),
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
