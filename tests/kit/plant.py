"""``-p tests.kit.plant``: plants the bug of the target named by ``VAULT_PLANT`` into this
project's vault in the suite's own process, so the in-process stack can be shown the same bug
the live stack is shown through the target's command."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

TARGETS = Path(__file__).resolve().parent.parent / "conformance" / "targets"


def pytest_configure() -> None:
    name = os.environ.get("VAULT_PLANT")
    if not name:
        return
    spec = importlib.util.spec_from_file_location(f"planted_{name}", TARGETS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    import sys

    sys.path.insert(0, str(TARGETS))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    owner, attribute, replacement = module.BUG
    setattr(owner, attribute, replacement)
