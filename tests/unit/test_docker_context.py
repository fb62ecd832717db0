"""The Docker build context keeps secrets out: .env files, virtualenvs, keys and certificates."""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

import pytest

DOCKERIGNORE = Path(__file__).parents[2] / ".dockerignore"  # in the image too: it lets itself in
PATTERNS = [
    line.strip()
    for line in DOCKERIGNORE.read_text().splitlines()
    if line.strip() and not line.startswith("#")
]


def matches(parts: list[str], pattern: list[str]) -> bool:
    """Segment by segment, as Docker matches: ``*`` never crosses a ``/``; ``**`` spans any
    number of folders."""
    if not pattern:
        return not parts
    if pattern[0] == "**":
        return any(matches(parts[skip:], pattern[1:]) for skip in range(len(parts) + 1))
    return bool(parts) and fnmatch(parts[0], pattern[0]) and matches(parts[1:], pattern[1:])


def ignored(path: str) -> bool:
    """A pattern that matches the path or a folder above it keeps the path out."""
    parts = path.split("/")
    return any(
        matches(parts[:depth], pattern.rstrip("/").split("/"))
        for pattern in PATTERNS
        for depth in range(1, len(parts) + 1)
    )


@pytest.mark.parametrize(
    "path",
    [
        ".env",
        ".env.production",
        "deploy/.env",
        "venv/bin/python",
        ".venv/bin/python",
        "server.pem",
        "certs/ca.pem",
        "keys/service.key",
        "id_rsa",
        "ops/id_ed25519",
        "client.p12",
        ".aws/credentials",
        ".netrc",
        ".pypirc",
    ],
)
def test_secrets_stay_out_of_the_image(path: str) -> None:
    assert ignored(path), f"{path} would be copied into the image"


@pytest.mark.parametrize(
    "path",
    [
        "vault/config.py",
        "requirements.txt",
        "features/archive.feature",
        "pytest.ini",
        "docs/cli.md",
        "tests/cli_docs.py",
        "steps/console.py",
    ],
)
def test_what_the_image_runs_stays_in(path: str) -> None:
    assert not ignored(path)


@pytest.mark.parametrize(
    "path", [".mutation/fast/vault/cli.py", "mutants/vault/cli.py", "node_modules/x/package.json"]
)
def test_work_files_of_ci_stay_out_of_the_image(path: str) -> None:
    """The mutation tier runs before the build and leaves a copy of the tree per selection."""
    assert ignored(path), f"{path} would be copied into the image"
