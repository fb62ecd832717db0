"""A run's own file (``--run-model``, reports/run-model.json): every scenario record and what the
Cucumber Messages take from the live process (the feature sources, the step definitions and how
each step matched them), so that ``python -m reporting merge`` can render the shards of a split
run through the same writers as one run.

It also holds the shard's label (``--shard-label``, or pytest-split's ``--group``/``--splits``)
and, when the run was compared (``--compare-with``), the statuses it was compared with.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from _pytest import junitxml

from reporting import messages
from reporting.compare import compare
from reporting.model import from_data, to_json
from reporting.run import Run

FORMAT = "pytest-bdd-gherkin-run"
VERSION = 1


class RunFileError(ValueError):
    """A file that is not a complete run file; its message says what is wrong."""


def shard_label(config: pytest.Config) -> str | None:
    """ "2/3" for ``--splits 3 --group 2`` (pytest-split), or what ``--shard-label`` says."""
    label = config.getoption("shard_label", None)
    if label:
        return str(label)
    splits, group = (getattr(config.option, name, None) for name in ("splits", "group"))
    return f"{group}/{splits}" if splits and group else None


def label_junit(config: pytest.Config) -> None:
    """A shard's JUnit XML: a ``shard`` property, and the label in its test suite's name."""
    label = shard_label(config)
    xml = config.stash.get(junitxml.xml_key, None)
    if label and xml is not None:
        xml.add_global_property("shard", label)
        xml.suite_name = f"{xml.suite_name} (shard {label})"


def render(run: Run) -> str:
    return "".join(chunks(run))


def chunks(run: Run) -> Iterator[str]:
    """The file piece by piece: the head, then the records one a line."""
    definitions = run.matched_steps
    if isinstance(definitions, messages.StepDefinitions):
        plain_definitions = definitions.plain
    else:
        plain_definitions = definitions.messages
    sources = run.sources
    if sources is None:
        paths = {record.feature.uri: record.feature.path for record in run.records}
        sources = {uri: Path(path).read_text(encoding="utf-8") for uri, path in paths.items()}
    head = {
        "format": FORMAT,
        "version": VERSION,
        "shard": run.shard,
        "started": run.started.isoformat(),
        "duration_s": run.duration_s,
        "sources": sources,
        "step_definitions": plain_definitions,
        "step_matches": [[*key, *match] for key, match in definitions.matched.items()],
        "compared_with": run.comparison.previous if run.comparison else None,
        "previous": [[*key, status] for key, status in (run.previous or {}).items()]
        if run.previous is not None
        else None,
    }
    # The records last, one a line: the same JSON as they travel in under xdist.
    yield json.dumps(head, ensure_ascii=False)[:-1] + ',\n"records": ['
    for number, record in enumerate(run.records):
        yield ("\n" if number == 0 else ",\n") + to_json(record)
    yield "\n]}\n"


def read(path: Path) -> Run:
    """The run a file holds; RunFileError when it is truncated, not JSON or not a run file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RunFileError("missing (was the shard run with --run-model?)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RunFileError(f"unreadable: {error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RunFileError(f"truncated or not JSON ({error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RunFileError(f"not a run file (no format {FORMAT!r})")
    if data.get("version") != VERSION:
        raise RunFileError(f"run file version {data.get('version')!r}, expected {VERSION}")
    try:
        return _run(data)
    except (KeyError, TypeError, ValueError) as error:
        raise RunFileError(f"incomplete run file: {type(error).__name__}: {error}") from None


def _run(data: dict[str, Any]) -> Run:
    matched: dict[messages.MatchKey, messages.StepMatch] = {}
    for undefined, location, text, kind, index, spans in data["step_matches"]:
        matched[(undefined, location, text, kind)] = (index, [(s, v) for s, v in spans])
    records = [from_data(record) for record in data["records"]]
    previous = None
    if data["previous"] is not None:
        previous = {(uri, name): status for uri, name, status in data["previous"]}
    comparison = None
    if previous is not None and data["compared_with"]:
        comparison = compare(data["compared_with"], previous, records)
    return Run(
        records=records,
        started=datetime.fromisoformat(data["started"]),
        duration_s=float(data["duration_s"]),
        shard=data["shard"],
        sources=dict(data["sources"]),
        step_definitions=messages.RecordedStepDefinitions(data["step_definitions"], matched),
        comparison=comparison,
        previous=previous,
    )
