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


class PreviousReportError(ValueError):
    """A previous report that cannot be compared with, said in one line."""


def read_previous(path: Path) -> dict[Key, str]:
    """Each scenario of a Cucumber JSON file with its status, as Cucumber reads its steps.

    Raises ``PreviousReportError`` (or ``OSError``) naming what is wrong, never anything else.
    """
    try:
        features = json.loads(path.read_text(encoding="utf-8"))
    except RecursionError:
        raise PreviousReportError("its JSON is nested too deeply") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PreviousReportError(f"not JSON ({error})") from None
    scenarios: dict[Key, str] = {}
    for f, feature in enumerate(_list(features, "the file"), start=1):
        where = f"feature {f}"
        fields = _object(feature, where)
        uri = _text(fields.get("uri"), f"the uri of {where}")
        elements = _list(fields.get("elements", []), f"the elements of {where}")
        for e, element in enumerate(elements, start=1):
            scenario = _object(element, f"scenario {e} of {where}")
            if scenario.get("type", "scenario") == "background":
                continue
            name = _text(scenario.get("name"), f"the name of scenario {e} of {where}")
            scenarios[uri, name] = _status(scenario, f"scenario {e} of {where}")
    return scenarios


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    kinds = {list: "a list", dict: "an object", str: "a string", bool: "a boolean"}
    return kinds.get(type(value), "a number")


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise PreviousReportError(f"{what} is {_kind(value)}, not a list")
    return value


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PreviousReportError(f"{what} is {_kind(value)}, not an object")
    return value


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise PreviousReportError(f"{what} is {_kind(value)}, not a string")
    return value


def _status(scenario: dict[str, Any], where: str) -> str:
    statuses = set()
    for part, noun in (("steps", "step"), ("after", "after hook")):
        for number, step in enumerate(_list(scenario.get(part, []), f"the {part} of {where}"), 1):
            what = f"{noun} {number} of {where}"
            result = _object(_object(step, what).get("result", {}), f"the result of {what}")
            statuses.add(_text(result.get("status", "skipped"), f"the status of {what}"))
    for status in ("failed", "undefined"):
        if status in statuses:
            return status
    return "skipped" if statuses <= {"skipped"} else "passed"


def compare(
    previous_path: str, previous: dict[Key, str], records: list[ScenarioRecord]
) -> Comparison:
    return compare_statuses(previous_path, previous, {key(r): r.status for r in records})


def key(record: ScenarioRecord) -> Key:
    return record.feature.uri, record.title


def compare_statuses(
    previous_path: str, previous: dict[Key, str], now: dict[Key, str]
) -> Comparison:
    """As ``compare``, given each scenario's status by its key, in reading order."""
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
