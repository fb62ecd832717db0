"""The design rules reviewers rely on, checked on the source itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
VAULT = ROOT / "vault"
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


def vault_imports(path: Path) -> set[str]:
    """The ``vault`` modules a module imports, at any level (TYPE_CHECKING imports included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("vault"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("vault"):
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                is_module = (VAULT.parent / (submodule.replace(".", "/") + ".py")).exists()
                names.add(submodule if is_module else node.module)
    return names


def module_name(path: Path) -> str:
    parts = path.relative_to(VAULT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_cycles() -> list[list[str]]:
    graph = {module_name(p): vault_imports(p) for p in VAULT.rglob("*.py")}
    cycles, done = [], set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycles.append([*path[path.index(module) :], module])
            return
        if module in done:
            return
        for imported in sorted(graph.get(module, ())):
            visit(imported, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    return cycles


def test_imports_inside_vault_run_one_way() -> None:
    assert import_cycles() == []


def test_the_cycle_check_sees_a_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "vault"
    package.mkdir()
    (package / "a.py").write_text("from vault.b import B\n")
    (package / "b.py").write_text("from vault import a\n")
    monkeypatch.setattr(sys.modules[__name__], "VAULT", package)
    assert import_cycles() == [["vault.a", "vault.b", "vault.a"]]


HARNESS = ("steps", "conformance", "livestack", "reporting")
IN_PROCESS_DRIVER = ROOT / "steps" / "inprocess.py"


def _imports_vault(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        names = (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
        found += [name for name in names if name == "vault" or name.startswith("vault.")]
    return found


def test_only_the_in_process_driver_knows_this_projects_vault() -> None:
    """The world, the steps, the fixtures, the live stack and the kit speak the contract: any
    vault can stand behind them. One module, the in-process driver, imports ``vault``."""
    modules = [ROOT / "conftest.py"] + [
        path for package in HARNESS for path in sorted((ROOT / package).rglob("*.py"))
    ]
    offenders = {
        str(path.relative_to(ROOT)): names
        for path in modules
        if path != IN_PROCESS_DRIVER and (names := _imports_vault(path))
    }
    assert offenders == {}
    assert _imports_vault(IN_PROCESS_DRIVER), "the in-process driver is the one that imports vault"
