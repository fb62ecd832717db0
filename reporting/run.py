"""What every renderer is given: the run's records in reading order, and its context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from reporting.compare import Comparison
from reporting.model import NOT_PASSING, ScenarioRecord


@dataclass(frozen=True)
class Run:
    records: list[ScenarioRecord]  # in reading order: feature file, then line, then example
    started: datetime
    duration_s: float
    comparison: Comparison | None = None

    @property
    def features(self) -> list[list[ScenarioRecord]]:
        """The records grouped by feature file, in file order."""
        return [list(group) for _, group in groupby(self.records, key=lambda r: r.feature.uri)]

    @property
    def not_passing(self) -> list[ScenarioRecord]:
        return [record for record in self.records if record.status in NOT_PASSING]
