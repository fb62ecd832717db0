"""A target's configuration file (TOML): its ``command`` (the suite appends ``run --json``,
...), the capabilities it ``lacks``, and its ``known_failures``, a table of
``"Feature name: Scenario name" = "why, or an issue link"``. docs/contract.md shows one."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.contract import capabilities

KEYS = frozenset({"command", "lacks", "known_failures"})


class TargetConfigError(ValueError):
    """The configuration file is not one the kit can run: says which file and what is wrong."""


@dataclass(frozen=True)
class Target:
    command: str
    lacks: frozenset[str] = frozenset()
    known_failures: Mapping[str, str] = field(default_factory=dict)  # "Feature: Scenario" -> why
    source: Path | None = None


def load_target(path: Path | str) -> Target:
    """Read and check a target's TOML file; raise ``TargetConfigError`` naming every problem."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TargetConfigError(f"{path}: cannot be read as TOML: {exc}") from None
    problems = target_problems(data)
    if problems:
        raise TargetConfigError(f"{path}: " + "; ".join(problems))
    return Target(
        command=data["command"],
        lacks=frozenset(data.get("lacks", ())),
        known_failures=dict(data.get("known_failures", {})),
        source=path,
    )


def parse_lacks(text: str) -> frozenset[str]:
    """``--vault-lacks paging,verify``: the names, checked like a file's ``lacks``."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    problems = _unknown_capabilities(names)
    if problems:
        raise TargetConfigError("--vault-lacks: " + "; ".join(problems))
    return frozenset(names)


def target_problems(data: Mapping[str, Any]) -> list[str]:
    problems = [f"unknown key {key!r} (the keys are {sorted(KEYS)})" for key in data.keys() - KEYS]
    command = data.get("command")
    if not isinstance(command, str) or not command.strip():
        problems.append("command must be a non-empty string (the suite appends run --json, ...)")
    lacks = data.get("lacks", [])
    if not isinstance(lacks, list) or not all(isinstance(name, str) for name in lacks):
        problems.append("lacks must be a list of capability names")
    else:
        problems += _unknown_capabilities(lacks)
    known = data.get("known_failures", {})
    if not isinstance(known, dict):
        problems.append('known_failures must be a table of "Feature: Scenario" = "reason"')
    else:
        problems += [
            f"known failure {name!r} needs a reason or an issue link"
            for name, why in known.items()
            if not isinstance(why, str) or not why.strip()
        ]
        problems += [
            f'known failure {name!r} is not named "Feature name: Scenario name"'
            for name in known
            if ": " not in name
        ]
    return problems


def _unknown_capabilities(names: list[str]) -> list[str]:
    known = capabilities()
    return [
        f"unknown capability {name!r} (the capabilities are {', '.join(known)})"
        for name in names
        if name not in known
    ]
