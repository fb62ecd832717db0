"""Shared by the planted-bug targets: this project's vault as a command, with ONE bug planted.

A target runs as ``python tests/conformance/targets/<bug>.py`` (the suite appends ``run --json``,
``verify --json`` or ``repair --json``). Importing this module first puts the checkout's root on
``sys.path``, so that ``vault`` imports from any working directory. The target then patches one
thing in the domain or an adapter (``vault/service.py``, ``vault/payload.py``,
``vault/adapters/``) and hands over to ``vault.cli.main``: whatever the CLI gains, the targets
keep it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def plant(owner: Any, name: str, replacement: Any) -> None:
    """Replace ``owner.name``; stop loudly when it no longer exists (the vault was refactored)."""
    if not hasattr(owner, name):
        sys.exit(f"{Path(sys.argv[0]).name}: {owner!r} has no {name!r} to plant the bug in")
    setattr(owner, name, replacement)


def run_vault() -> NoReturn:
    from vault.cli import main

    sys.exit(main())
