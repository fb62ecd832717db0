"""The live stack is harness code: it must work against any vault, so it never imports ours."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.live
PACKAGE = Path(__file__).resolve().parents[2] / "livestack"


def imported_roots(source: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            roots.add(node.module.split(".")[0])
    return roots


def test_livestack_never_imports_the_vault() -> None:
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) >= 8
    importers = [path.name for path in modules if {"vault", "steps"} & imported_roots(path)]
    assert importers == []
