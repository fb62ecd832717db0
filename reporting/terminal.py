"""The Gherkin summary at the end of the terminal output, from the scenario records."""

from __future__ import annotations

from collections import Counter
from typing import Any

from reporting.compare import Comparison
from reporting.model import STATUSES
from reporting.run import Run


def write_summary(terminal: Any, run: Run) -> None:
    """Scenario counts, then every scenario that did not pass, step by step, in Gherkin."""
    counts = Counter(record.status for record in run.records)
    terminal.section("Gherkin summary", sep="-")
    terminal.write_line(
        f"{len(run.records)} scenarios: "
        + ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
    )
    for record in run.records:
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
    if run.comparison:
        write_comparison(terminal, run.comparison)


def write_comparison(terminal: Any, comparison: Comparison) -> None:
    """One line of counts, then every scenario whose outcome changed (not the unchanged ones)."""
    counts = ", ".join(f"{len(keys)} {label}" for label, keys in comparison.sections)
    terminal.write_line(f"Compared with {comparison.previous}: {counts}")
    for label, keys in comparison.sections:
        for uri, title in keys:
            terminal.write_line(f"  {label}: {title} ({uri})")
