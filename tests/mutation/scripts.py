"""The mutation tier's scripts (scripts/), loaded as modules for their tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def load(name: str) -> ModuleType:
    """scripts/<name>.py, as the module ``name`` (the one already loaded, if it was)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def equivalent_note(function: str, original: str, mutated: str) -> dict[str, str]:
    """A note of tests/mutation/survivors.toml, as scripts/mutation.py reads it, for vault/a.py."""
    return {
        "kind": "equivalent",
        "file": "vault/a.py",
        "function": function,
        "original": original,
        "mutated": mutated,
        "reason": "...",
    }
