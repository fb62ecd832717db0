"""This run against a previous run's Cucumber JSON: what broke, what was fixed, what changed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reporting.model import NOT_PASSING, ScenarioRecord

# A scenario is known across runs by its feature file and the name readers see.
Key = tuple[str, str]


@dataclass(frozen=True)
class Comparison:
    previous: str  # the file compared with, as given
    newly_failing: list[Key]
    fixed: list[Key]
    still_failing: list[Key]
    new: list[Key]
    removed: list[Key]

    @property
    def sections(self) -> list[tuple[str, list[Key]]]:
        return [
            ("newly failing", self.newly_failing),
            ("fixed", self.fixed),
            ("still failing", self.still_failing),
            ("new", self.new),
            ("removed", self.removed),
        ]


def read_previous(path: Path) -> dict[Key, str]:
    """Each scenario of a Cucumber JSON file with its status, as Cucumber reads its steps."""
    features = json.loads(path.read_text(encoding="utf-8"))
    return {
        (feature["uri"], element["name"]): _status(element)
        for feature in features
        for element in feature.get("elements", [])
        if element.get("type", "scenario") != "background"
    }


def _status(element: dict[str, Any]) -> str:
    results = [step.get("result", {}) for step in element.get("steps", [])]
    results += [hook.get("result", {}) for hook in element.get("after", [])]
    statuses = {result.get("status", "skipped") for result in results}
    for status in ("failed", "undefined"):
        if status in statuses:
            return status
    return "skipped" if statuses <= {"skipped"} else "passed"


def compare(
    previous_path: str, previous: dict[Key, str], records: list[ScenarioRecord]
) -> Comparison:
    now = {(r.feature.uri, r.title): r.status for r in records}
    both = [key for key in now if key in previous]
    was_failing = {key for key in both if previous[key] in NOT_PASSING}
    is_failing = {key for key in both if now[key] in NOT_PASSING}
    return Comparison(
        previous=previous_path,
        newly_failing=[k for k in both if k in is_failing and k not in was_failing],
        fixed=[k for k in both if k in was_failing and now[k] == "passed"],
        still_failing=[k for k in both if k in is_failing and k in was_failing],
        new=[key for key in now if key not in previous],
        removed=sorted(key for key in previous if key not in now),
    )
