"""The design rules reviewers rely on, checked on the source itself."""

from __future__ import annotations

import ast
from pathlib import Path

VAULT = Path(__file__).parents[2] / "vault"
CLIENT_LIBRARIES = {"boto3", "botocore", "pymongo", "requests"}
ALLOWED = {"adapters", "bootstrap.py"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_only_adapters_and_the_composition_root_import_client_libraries() -> None:
    offenders = {
        str(path.relative_to(VAULT)): sorted(imported_roots(path) & CLIENT_LIBRARIES)
        for path in VAULT.rglob("*.py")
        if path.relative_to(VAULT).parts[0] not in ALLOWED
        and imported_roots(path) & CLIENT_LIBRARIES
    }
    assert offenders == {}


def test_the_service_depends_on_ports_only() -> None:
    assert imported_roots(VAULT / "service.py") - {"__future__", "dataclasses", "datetime"} == {
        "vault"
    }
    source = (VAULT / "service.py").read_text(encoding="utf-8")
    assert "vault.adapters" not in source
    assert "vault.bootstrap" not in source


def test_no_module_but_the_composition_root_builds_a_client() -> None:
    builders = ("boto3.client(", "MongoClient(", "requests.Session(")
    offenders = [
        str(path.relative_to(VAULT))
        for path in VAULT.rglob("*.py")
        if path.name not in {"bootstrap.py", "demo.py"}
        and any(builder in path.read_text(encoding="utf-8") for builder in builders)
    ]
    assert offenders == []
