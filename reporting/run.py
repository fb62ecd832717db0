"""What every renderer is given: the run's records in reading order, and its context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from itertools import groupby
from typing import Any

import pytest

from reporting.compare import Comparison, Key
from reporting.model import NOT_PASSING, ScenarioRecord

# The conformance kit's summary of the run (conformance/kit.py puts it here for the reports).
CONFORMANCE = pytest.StashKey[dict[str, Any]]()


@dataclass(frozen=True)
class Run:
    records: list[ScenarioRecord]  # in reading order: feature file, then line, then example
    started: datetime
    duration_s: float
    comparison: Comparison | None = None
    # A shard of a split run says which one it is ("2/3"); a whole run, or a merge, has none.
    shard: str | None = None
    # A run read back from its shards' files (reporting.merge) carries what a live run takes from
    # the feature files and pytest-bdd's registry: each file's Gherkin source by uri, and the step
    # definitions with how each step matched them (reporting.messages.RecordedStepDefinitions).
    sources: dict[str, str] | None = None
    step_definitions: Any = None
    previous: dict[Key, str] | None = None  # the statuses --compare-with read, to compare again
    conformance: dict[str, Any] | None = None  # the target, its capabilities, the results

    @cached_property
    def matched_steps(self) -> Any:
        """The step definitions with every step of the run matched to one, for the Cucumber
        Messages and the run's file: as the run recorded them (a merge), or worked out once from
        pytest-bdd's registry (reporting.messages.step_matches), not once per report."""
        from reporting.messages import step_matches  # noqa: PLC0415 - it imports this module

        return self.step_definitions or step_matches(self)

    @property
    def features(self) -> list[list[ScenarioRecord]]:
        """The records grouped by feature file, in file order."""
        return [list(group) for _, group in groupby(self.records, key=lambda r: r.feature.uri)]

    @property
    def not_passing(self) -> list[ScenarioRecord]:
        return [record for record in self.records if record.status in NOT_PASSING]
