"""Merge the report folders of a split run's shards into the reports of one run.

``python -m reporting merge SHARD_DIR [SHARD_DIR ...] --into OUT_DIR [--compare-with PATH]``

Each shard folder holds what a run writes with this project's pytest.ini: ``run-model.json``
(``--run-model``) and ``junit.xml``. The scenario records of every shard are put back in reading
order and rendered by the same writers as a single run, so the merged Cucumber JSON (and the
per-feature files), HTML report and Cucumber Messages are those of one run of the same scenarios;
the JUnit XML's test cases are gathered into one test suite, shard by shard.

The merge streams: it reads each shard's records in their order (a shard writes them in reading
order), merges the shards' streams, and hands the writers one feature at a time, so that it never
holds more than one feature's records (and each shard's next one), whatever the size of the run.
What a report needs ahead of its features (the HTML page's totals, the messages' step
definitions) is written once every feature went by, the features' part copied in after it. The
JUnit XML is streamed a test case at a time.

Bad input (a missing shard, a scenario two shards ran, shards of different feature files or step
definitions, a truncated or foreign file) is one line naming the file and what is wrong, exit
status 2, and nothing written: the reports are written into a temporary folder beside OUT_DIR,
which replaces OUT_DIR only once complete. Exit status 1 when a merged scenario or test failed,
0 when all passed.
"""

from __future__ import annotations

import heapq
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from itertools import groupby
from pathlib import Path
from typing import IO, Any

from reporting import cucumber, html, messages, run_file
from reporting.compare import Comparison, Key, compare_statuses, key, read_previous
from reporting.model import NOT_PASSING, ScenarioRecord
from reporting.run import Run

RUN_FILE = "run-model.json"
JUNIT = "junit.xml"
# Each report's file (or folder) in a report folder: pytest.ini's names.
CUCUMBER, PER_FEATURE, HTML, MESSAGES = (
    "cucumber.json",
    "cucumber-features",
    "report.html",
    "cucumber.ndjson",
)
REPORTS = (CUCUMBER, PER_FEATURE, HTML, MESSAGES, RUN_FILE, JUNIT)
SHARD_PROPERTY = "shard"
JUNIT_COUNTS = ("tests", "errors", "failures", "skipped")
MARK = "merge-cases-here"  # where the test cases go in the JUnit XML's frame


class MergeError(Exception):
    """Bad input: the message is one line naming the file and what is wrong with it."""


@dataclass
class Shard:
    folder: Path
    reader: run_file.Reader
    junit: ET.Element  # its <testsuite>, without its test cases

    @property
    def run(self) -> Run:
        """The shard's run, without its records (``records`` gives them)."""
        return self.reader.run

    @property
    def run_path(self) -> Path:
        return self.folder / RUN_FILE

    @property
    def junit_path(self) -> Path:
        return self.folder / JUNIT

    def records(self) -> Iterator[tuple[ScenarioRecord, Shard]]:
        """The shard's records in reading order, each with its shard; MergeError if they are not."""
        last: tuple[str, int, int] | None = None
        try:
            for record in self.reader.records():
                if last is not None and record.reading_order < last:
                    raise MergeError(
                        f"{self.run_path}: scenario {record.anchor} ({record.title}) comes "
                        "after a later one: the records are not in reading order"
                    )
                last = record.reading_order
                yield record, self
        except run_file.RunFileError as error:
            raise MergeError(f"{self.run_path}: {error}") from None


@dataclass
class Summary:
    """What the merge wrote, for its last line and exit status."""

    shards: int
    statuses: Counter[str] = field(default_factory=Counter)
    tests: int = 0
    junit_failed: bool = False

    @property
    def scenarios(self) -> int:
        return self.statuses.total()

    @property
    def failed(self) -> bool:
        return self.junit_failed or any(self.statuses[status] for status in NOT_PASSING)


def read_shard(folder: Path, texts: dict[str, str] | None = None) -> Shard:
    """The shard's run file opened at its records, and its JUnit XML's test suite; ``texts``
    are the feature sources the shards before it held (run_file.Reader)."""
    if not folder.is_dir():
        raise MergeError(f"{folder}: no such shard folder")
    path = folder / RUN_FILE
    try:
        reader = run_file.Reader(path, texts)
    except run_file.RunFileError as error:
        raise MergeError(f"{path}: {error}") from None
    try:
        return Shard(folder, reader, _junit_suite(folder / JUNIT))
    except BaseException:
        reader.close()
        raise


def merge(folders: list[Path], into: Path, compare_with: Path | None = None) -> Summary:
    """The shards' reports as one run's, into ``into``; MergeError on bad input (and then
    ``into`` is as it was)."""
    if not folders:
        raise MergeError("no shard folder given")
    previous = None
    if compare_with is not None:
        try:
            previous = read_previous(compare_with)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise MergeError(f"{compare_with}: cannot compare with it: {error}") from None
    into.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{into.name}.merging-", dir=into.parent))
    try:
        with ExitStack() as stack:
            shards: list[Shard] = []
            sources: dict[str, tuple[str, Path]] = {}
            texts: dict[str, str] = {}
            for folder in folders:
                shard = read_shard(folder, texts)
                stack.callback(shard.reader.close)
                _same_versions(shard, shards[0] if shards else shard, sources)
                shards.append(shard)
            run = _merged_run(shards)
            if compare_with is not None:
                run = replace(run, previous=previous)
                compared_with: str | None = str(compare_with)
            else:
                compared_with = _compared_with(shards)
            summary = Summary(len(shards))
            with Writers(work, run, compared_with) as writers:
                for scenarios in _features(shards):
                    writers.feature(scenarios)
                    summary.statuses.update(record.status for record in scenarios)
            summary.tests, summary.junit_failed = _write_junit(shards, work / JUNIT)
        _replace(into, work)
    finally:
        if work.exists():
            shutil.rmtree(work)
    return summary


def _replace(into: Path, work: Path) -> None:
    old = None
    if into.exists():
        old = into.parent / f"{work.name}-old"
        into.rename(old)
    work.rename(into)
    if old is not None:
        shutil.rmtree(old)


def _same_versions(shard: Shard, first: Shard, sources: dict[str, tuple[str, Path]]) -> None:
    """The shard ran the same feature files as those before it (``sources``: each file's text
    and where it was first read) and the same step definitions as the first.

    A feature file most shards ran is held once: its text in each shard is the first's."""
    shard_sources = shard.run.sources or {}
    for uri, text in shard_sources.items():
        seen = sources.setdefault(uri, (text, shard.run_path))
        if seen[0] != text:
            raise MergeError(
                f"{shard.run_path}: {uri} differs from the one in {seen[1]}: "
                "the shards ran different versions of the features"
            )
        shard_sources[uri] = seen[0]
    if shard.run.step_definitions.messages != first.run.step_definitions.messages:
        raise MergeError(
            f"{shard.run_path}: its step definitions differ from those in {first.run_path}: "
            "the shards ran different versions of the steps"
        )


def _merged_run(shards: list[Shard]) -> Run:
    """The merged run without its records: when it ran, its sources and step definitions."""
    started = min(shard.run.started for shard in shards)
    finished = max(shard.run.started.timestamp() + shard.run.duration_s for shard in shards)
    matched: dict[messages.MatchKey, messages.StepMatch] = {}
    sources: dict[str, str] = {}
    for shard in shards:
        matched.update(shard.run.step_definitions.matched)
        sources.update(shard.run.sources or {})
    definitions = messages.RecordedStepDefinitions(shards[0].run.step_definitions.messages, matched)
    # Shards compared with the same previous run: so is the merge (_compared_with).
    previous = shards[0].run.previous
    return Run(
        records=[],
        started=started,
        duration_s=finished - started.timestamp(),
        sources=dict(sorted(sources.items())),
        step_definitions=definitions,
        previous=previous if _compared_with(shards) is not None else None,
    )


def _compared_with(shards: list[Shard]) -> str | None:
    """What every shard was compared with, if they all were, with the same statuses."""
    compared = {shard.reader.compared_with for shard in shards}
    previous = shards[0].run.previous
    same = all(shard.run.previous == previous for shard in shards)
    if len(compared) == 1 and None not in compared and previous is not None and same:
        return compared.pop()
    return None


def _features(shards: list[Shard]) -> Iterator[list[ScenarioRecord]]:
    """Every shard's records merged in reading order, a feature's at a time."""
    merged = heapq.merge(*(shard.records() for shard in shards), key=_reading_order)
    last: tuple[ScenarioRecord, Shard] | None = None

    def checked() -> Iterator[ScenarioRecord]:
        nonlocal last
        for record, shard in merged:
            # Equal keys come from the shards in the order given: a twin follows its first.
            if last is not None and last[0].reading_order == record.reading_order:
                raise MergeError(
                    f"{shard.run_path}: scenario {record.anchor} ({record.title}) "
                    f"also ran in {last[1].run_path}"
                )
            last = record, shard
            yield record

    for _, scenarios in groupby(checked(), key=lambda record: record.feature.uri):
        yield list(scenarios)


def _reading_order(pair: tuple[ScenarioRecord, Shard]) -> tuple[str, int, int]:
    return pair[0].reading_order


class Writers:
    """Every report but the JUnit XML, written a feature at a time into ``work``."""

    def __init__(self, work: Path, run: Run, compared_with: str | None) -> None:
        self.work, self.run, self.compared_with = work, run, compared_with
        self.number = 0  # features written
        self.records = 0  # scenarios written
        self.stack = ExitStack()
        self.cucumber = self._open(work / CUCUMBER)
        (work / PER_FEATURE).mkdir()
        self.messages = messages.Stream(run.sources, run.step_definitions)
        self.ndjson = self._open(work / MESSAGES)
        self.ndjson.write(messages.line(self.messages.meta()))
        self.test_cases = self._temporary()  # after the documents, which come first
        comparing = compared_with is not None and run.previous is not None
        self.page = html.Page(comparing)
        self.page_features = self._temporary()  # after the page's top, which comes last
        self.statuses: dict[Key, str] | None = {} if comparing else None
        self.run_file = self._open(work / RUN_FILE)
        definitions = run.step_definitions
        self.run_file.writelines(run_file.head(run, run.sources or {}, definitions, compared_with))

    def _open(self, path: Path) -> IO[str]:
        return self.stack.enter_context(path.open("w", encoding="utf-8"))

    def _temporary(self) -> IO[str]:
        return self.stack.enter_context(
            tempfile.TemporaryFile("w+", encoding="utf-8", dir=self.work)
        )

    def __enter__(self) -> Writers:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: Any) -> None:
        with self.stack:
            if kind is None:
                self._finish()

    def feature(self, scenarios: list[ScenarioRecord]) -> None:
        """One feature's scenarios, in reading order, into every report."""
        number, shard = self.number, self.run.shard
        feature = cucumber.feature(scenarios, shard)
        self.cucumber.write(cucumber.chunk(feature, number))
        name, text = cucumber.feature_file(feature, number + 1)
        (self.work / PER_FEATURE / name).write_text(text, encoding="utf-8")
        gherkin, test_cases = self.messages.feature(scenarios)
        self.ndjson.writelines(map(messages.line, gherkin))
        self.test_cases.writelines(map(messages.line, test_cases))
        self.page_features.write(self.page.feature(scenarios))
        self.run_file.writelines(
            run_file.line(record, self.records + n) for n, record in enumerate(scenarios)
        )
        if self.statuses is not None:
            self.statuses.update((key(record), record.status) for record in scenarios)
        self.records += len(scenarios)
        self.number += 1

    def _finish(self) -> None:
        self.cucumber.write(cucumber.END if self.number else "[]")
        self.ndjson.writelines(map(messages.line, self.messages.started(self.run)))
        _copy(self.test_cases, self.ndjson)
        self.ndjson.write(messages.line(self.messages.finished(self.run)))
        comparison: Comparison | None = None
        if self.statuses is not None and self.compared_with and self.run.previous is not None:
            comparison = compare_statuses(self.compared_with, self.run.previous, self.statuses)
        with (self.work / HTML).open("w", encoding="utf-8") as page:
            page.write(self.page.top(self.run, comparison))
            _copy(self.page_features, page)
            page.write(self.page.end())
        self.run_file.write(run_file.END)


def _copy(source: IO[str], target: IO[str]) -> None:
    source.seek(0)
    shutil.copyfileobj(source, target)


# JUnit XML, a test case at a time ----------------------------------------------------------------
def _junit_suite(path: Path) -> ET.Element:
    """The file's <testsuite> with its properties, read up to its first test case."""
    suite: ET.Element | None = None
    try:
        with path.open("rb") as file:
            for event, element in ET.iterparse(file, events=("start", "end")):
                if event == "start" and element.tag == "testsuite" and suite is None:
                    suite = element
                elif event == "start" and element.tag == "testcase":
                    break
    except FileNotFoundError:
        raise MergeError(f"{path}: missing (was the shard run with --junitxml?)") from None
    except ET.ParseError as error:
        raise MergeError(f"{path}: truncated or not XML ({error})") from None
    if suite is None:
        raise MergeError(f"{path}: expected one <testsuite>, found 0")
    kept = ET.Element("testsuite", dict(suite.attrib))
    kept.extend(suite.findall("properties"))
    return kept


def _write_junit(shards: list[Shard], path: Path) -> tuple[int, bool]:
    """One <testsuite> with every shard's test cases, its counts summed, its shard label gone;
    its number of tests and whether any failed or erred."""
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
    for name, total in totals.items():
        suite.set(name, str(total))
    suite.set("time", f"{time:.3f}")
    suite.set("timestamp", min(shard.junit.get("timestamp", "") for shard in shards))
    root = ET.Element("testsuites", {"name": "pytest tests"})
    root.append(suite)
    ET.SubElement(suite, MARK)
    ET.indent(root)
    before, after = ET.tostring(root, encoding="unicode").split(f"<{MARK} />")
    # A test case is known by its class and name: kept as a hash, to hold little at any size
    # (two different tests of the same 64-bit hash are not to be met in a run).
    seen: dict[int, Path] = {}
    with path.open("w", encoding="utf-8") as file:
        file.write("<?xml version='1.0' encoding='utf-8'?>\n" + before)
        separator = ""
        for shard in shards:
            here = shard.junit_path
            for case in _cases(here):
                test = (case.get("classname", ""), case.get("name", ""))
                where = seen.setdefault(hash(test), here)
                if where is not here:
                    raise MergeError(f"{here}: test {'::'.join(test)} also ran in {where}")
                ET.indent(case, level=2)
                case.tail = None
                file.write(separator + ET.tostring(case, encoding="unicode"))
                separator = "\n    "
        file.write(after)
    return totals["tests"], bool(totals["errors"] or totals["failures"])


def _cases(path: Path) -> Iterator[ET.Element]:
    """The test cases of the file's one <testsuite>, each let go once the next is read."""
    suites = 0
    open_tags: list[str] = []
    try:
        with path.open("rb") as file:
            parent: ET.Element | None = None
            for event, element in ET.iterparse(file, events=("start", "end")):
                if event == "start":
                    open_tags.append(element.tag)
                    if element.tag == "testsuite":
                        suites += 1
                        parent = element
                    continue
                open_tags.pop()
                if element.tag == "testcase" and open_tags[-1:] == ["testsuite"]:
                    yield element
                    assert parent is not None
                    parent.remove(element)
    except ET.ParseError as error:
        raise MergeError(f"{path}: truncated or not XML ({error})") from None
    if suites != 1:
        raise MergeError(f"{path}: expected one <testsuite>, found {suites}")


def _property(suite: ET.Element, name: str) -> str | None:
    for prop in suite.findall("properties/property"):
        if prop.get("name") == name:
            return prop.get("value")
    return None


def summary(merged: Summary, into: Path) -> str:
    counts = {s: merged.statuses[s] for s in ("passed", "failed", "undefined", "skipped")}
    statuses = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "none"
    return (
        f"merged {merged.shards} shards into {into}: {merged.scenarios} scenarios ({statuses}), "
        f"{merged.tests} JUnit tests"
    )
