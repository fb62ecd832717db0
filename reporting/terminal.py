"""The Gherkin summary at the end of the terminal output, from the scenario records."""

from __future__ import annotations

from collections import Counter
from typing import Any

from reporting.model import STATUSES, ScenarioRecord


def write_summary(terminal: Any, records: list[ScenarioRecord]) -> None:
    """Scenario counts, then every scenario that did not pass, step by step, in Gherkin."""
    counts = Counter(record.status for record in records)
    terminal.section("Gherkin summary", sep="-")
    terminal.write_line(
        f"{len(records)} scenarios: " + ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
    )
    for record in records:
        if record.status == "passed":
            continue
        terminal.write_line(f"\n{record.status.upper()} {record.feature.uri}:{record.line}")
        terminal.write_line(f"  {record.keyword}: {record.title}")
        for step in record.steps:
            terminal.write_line(f"    {step.status:>9}  {step.keyword} {step.name}")
            for line in (step.error or "").splitlines()[:6]:
                terminal.write_line(f"               {line}")
        if record.error:
            terminal.write_line(f"               {record.error}")
