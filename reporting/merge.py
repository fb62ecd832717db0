"""Merge the report folders of a split run's shards into the reports of one run.

``python -m reporting merge SHARD_DIR [SHARD_DIR ...] --into OUT_DIR [--compare-with PATH]``

Each shard folder holds what a run writes with this project's pytest.ini: ``run-model.json``
(``--run-model``) and ``junit.xml``. The scenario records of every shard are put back in reading
order and rendered by the same writers as a single run, so the merged Cucumber JSON (and the
per-feature files), HTML report and Cucumber Messages are those of one run of the same scenarios;
the JUnit XML's test cases are gathered into one test suite, shard by shard.

Bad input (a missing shard, a scenario two shards ran, shards of different feature files or step
definitions, a truncated or foreign file) is one line naming the file and what is wrong, exit
status 2, and nothing written: the reports are written into a temporary folder beside OUT_DIR,
which replaces OUT_DIR only once complete. Exit status 1 when a merged scenario or test failed,
0 when all passed.
"""

from __future__ import annotations

import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from reporting import cucumber, html, messages, run_file
from reporting.compare import compare, read_previous
from reporting.model import NOT_PASSING
from reporting.run import Run

RUN_FILE = "run-model.json"
JUNIT = "junit.xml"
# What each writer's file is called in a report folder: pytest.ini's names.
# Those that give their text in pieces are written piece by piece: a whole file as one string
# costs 4 bytes a character once a single emoji is in it.
WRITERS: tuple[tuple[str, Callable[[Run], str | dict[str, str] | Iterator[str]]], ...] = (
    ("cucumber.json", cucumber.chunks),
    ("cucumber-features", cucumber.render_per_feature),
    ("report.html", html.render),
    ("cucumber.ndjson", messages.lines),
    (RUN_FILE, run_file.chunks),
)
SHARD_PROPERTY = "shard"
JUNIT_COUNTS = ("tests", "errors", "failures", "skipped")


class MergeError(Exception):
    """Bad input: the message is one line naming the file and what is wrong with it."""


@dataclass(frozen=True)
class Shard:
    folder: Path
    run: Run
    junit: ET.Element  # its <testsuite>

    @property
    def run_path(self) -> Path:
        return self.folder / RUN_FILE


@dataclass(frozen=True)
class Merged:
    run: Run
    junit: ET.ElementTree[ET.Element]

    @property
    def failed(self) -> bool:
        suite = self.junit.getroot()
        return any(r.status in NOT_PASSING for r in self.run.records) or any(
            int(suite.get(name, "0")) for name in ("errors", "failures")
        )


def read_shard(folder: Path) -> Shard:
    if not folder.is_dir():
        raise MergeError(f"{folder}: no such shard folder")
    path = folder / RUN_FILE
    try:
        run = run_file.read(path)
    except run_file.RunFileError as error:
        raise MergeError(f"{path}: {error}") from None
    return Shard(folder, run, _read_junit(folder / JUNIT))


def _read_junit(path: Path) -> ET.Element:
    try:
        root = ET.parse(path).getroot()  # pytest's own file, from this run's shards
    except FileNotFoundError:
        raise MergeError(f"{path}: missing (was the shard run with --junitxml?)") from None
    except ET.ParseError as error:
        raise MergeError(f"{path}: truncated or not XML ({error})") from None
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    if len(suites) != 1:
        raise MergeError(f"{path}: expected one <testsuite>, found {len(suites)}")
    return suites[0]


def merge(folders: list[Path], compare_with: Path | None = None) -> Merged:
    """The shards as one run; MergeError on bad input."""
    if not folders:
        raise MergeError("no shard folder given")
    shards = [read_shard(folder) for folder in folders]
    _same_versions(shards)
    run = _merged_run(shards)
    if compare_with is not None:
        try:
            previous = read_previous(compare_with)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise MergeError(f"{compare_with}: cannot compare with it: {error}") from None
        comparison = compare(str(compare_with), previous, run.records)
        run = replace(run, comparison=comparison, previous=previous)
    return Merged(run, _merged_junit(shards))


def _same_versions(shards: list[Shard]) -> None:
    """Every shard ran the same feature files and the same step definitions."""
    sources: dict[str, tuple[str, Path]] = {}
    first = shards[0]
    for shard in shards:
        for uri, text in (shard.run.sources or {}).items():
            seen = sources.setdefault(uri, (text, shard.run_path))
            if seen[0] != text:
                raise MergeError(
                    f"{shard.run_path}: {uri} differs from the one in {seen[1]}: "
                    "the shards ran different versions of the features"
                )
        if shard.run.step_definitions.messages != first.run.step_definitions.messages:
            raise MergeError(
                f"{shard.run_path}: its step definitions differ from those in {first.run_path}: "
                "the shards ran different versions of the steps"
            )


def _merged_run(shards: list[Shard]) -> Run:
    ran: dict[tuple[str, int, int], Path] = {}
    for shard in shards:
        for record in shard.run.records:
            where = ran.setdefault(record.reading_order, shard.run_path)
            if where != shard.run_path:
                raise MergeError(
                    f"{shard.run_path}: scenario {record.anchor} ({record.title}) "
                    f"also ran in {where}"
                )
    records = sorted(
        (record for shard in shards for record in shard.run.records),
        key=lambda record: record.reading_order,
    )
    started = min(shard.run.started for shard in shards)
    finished = max(shard.run.started.timestamp() + shard.run.duration_s for shard in shards)
    matched: dict[messages.MatchKey, messages.StepMatch] = {}
    sources: dict[str, str] = {}
    for shard in shards:
        matched.update(shard.run.step_definitions.matched)
        sources.update(shard.run.sources or {})
    definitions = messages.RecordedStepDefinitions(shards[0].run.step_definitions.messages, matched)
    run = Run(
        records=records,
        started=started,
        duration_s=finished - started.timestamp(),
        sources=dict(sorted(sources.items())),
        step_definitions=definitions,
    )
    # Shards compared with the same previous run: so is the merge.
    compared = {
        (shard.run.comparison.previous if shard.run.comparison else None) for shard in shards
    }
    previous = shards[0].run.previous
    same = all(shard.run.previous == previous for shard in shards)
    if len(compared) == 1 and None not in compared and previous is not None and same:
        comparison = compare(compared.pop() or "", previous, records)
        run = replace(run, comparison=comparison, previous=previous)
    return run


def _merged_junit(shards: list[Shard]) -> ET.ElementTree[ET.Element]:
    """One <testsuite> with every shard's test cases, its counts summed, its shard label gone."""
    seen: dict[tuple[str, str], Path] = {}
    first = shards[0].junit
    suite = ET.Element("testsuite", dict(first.attrib))
    label = _property(first, SHARD_PROPERTY)
    if label is not None:
        suite.set("name", first.get("name", "").removesuffix(f" (shard {label})"))
    properties = [
        prop for prop in first.findall("properties/property") if prop.get("name") != SHARD_PROPERTY
    ]
    if properties:
        ET.SubElement(suite, "properties").extend(properties)
    totals = dict.fromkeys(JUNIT_COUNTS, 0)
    time = 0.0
    for shard in shards:
        for name in JUNIT_COUNTS:
            totals[name] += int(shard.junit.get(name, "0"))
        time += float(shard.junit.get("time", "0"))
        for case in shard.junit.findall("testcase"):
            key = (case.get("classname", ""), case.get("name", ""))
            where = seen.setdefault(key, shard.folder / JUNIT)
            if where != shard.folder / JUNIT:
                raise MergeError(
                    f"{shard.folder / JUNIT}: test {'::'.join(key)} also ran in {where}"
                )
            suite.append(case)
    for name, total in totals.items():
        suite.set(name, str(total))
    suite.set("time", f"{time:.3f}")
    suite.set("timestamp", min(shard.junit.get("timestamp", "") for shard in shards))
    root = ET.Element("testsuites", {"name": "pytest tests"})
    root.append(suite)
    return ET.ElementTree(root)


def _property(suite: ET.Element, name: str) -> str | None:
    for prop in suite.findall("properties/property"):
        if prop.get("name") == name:
            return prop.get("value")
    return None


def write(merged: Merged, into: Path) -> None:
    """Every report into a temporary folder beside ``into``, which then replaces ``into``."""
    into.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{into.name}.merging-", dir=into.parent))
    try:
        for name, render in WRITERS:
            rendered = render(merged.run)
            if isinstance(rendered, str):
                (work / name).write_text(rendered, encoding="utf-8")
            elif isinstance(rendered, dict):
                (work / name).mkdir()
                for file_name, text in rendered.items():
                    (work / name / file_name).write_text(text, encoding="utf-8")
            else:
                with (work / name).open("w", encoding="utf-8") as file:
                    file.writelines(rendered)
        ET.indent(merged.junit)
        merged.junit.write(work / JUNIT, encoding="utf-8", xml_declaration=True)
        old = None
        if into.exists():
            old = into.parent / f"{work.name}-old"
            into.rename(old)
        work.rename(into)
        if old is not None:
            shutil.rmtree(old)
    finally:
        if work.exists():
            shutil.rmtree(work)


def summary(merged: Merged, shards: int, into: Path) -> str:
    records = merged.run.records
    counts = {
        s: sum(1 for r in records if r.status == s)
        for s in ("passed", "failed", "undefined", "skipped")
    }
    statuses = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "none"
    tests = merged.junit.getroot().find("testsuite")
    total = tests.get("tests", "0") if tests is not None else "0"
    return (
        f"merged {shards} shards into {into}: {len(records)} scenarios ({statuses}), "
        f"{total} JUnit tests"
    )
