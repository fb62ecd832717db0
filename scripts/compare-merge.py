"""Compare the reports merged from shards (python -m reporting merge) with a single run's.

Usage: python scripts/compare-merge.py SINGLE_DIR MERGED_DIR

Both folders hold what a run writes: cucumber.json, cucumber-features/, report.html,
cucumber.ndjson and junit.xml. They must show the same run: the same Cucumber JSON as data
(times and durations aside: scenario ids, names, tags, statuses, steps, in the same order), the
same per-feature files, the same JUnit test cases and outcomes, the same Cucumber Messages by type
and reference (each valid against Cucumber's schema, one meta, one testRunStarted, one
testRunFinished, sources and pickles once, every id unique and resolving) and the same scenario
list and statuses in the HTML. Prints one line per difference, exits 1 if there is any.
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

SCHEMA = Path(__file__).parents[1] / "tests" / "reporting" / "cucumber-messages.schema.json"
TIMES = {"duration", "start_timestamp", "timestamp", "time"}
# Envelope fields that differ between any two runs: when, for how long, on which machine.
MESSAGE_TIMES = {"timestamp", "duration"}
ONCE = ("meta", "testRunStarted", "testRunFinished")


def without(data: Any, keys: set[str]) -> Any:
    """The data with every field named in ``keys`` removed, at any depth."""
    if isinstance(data, dict):
        return {k: without(v, keys) for k, v in data.items() if k not in keys}
    if isinstance(data, list):
        return [without(v, keys) for v in data]
    return data


def cucumber(folder: Path) -> Any:
    return without(json.loads((folder / "cucumber.json").read_text(encoding="utf-8")), TIMES)


def per_feature(folder: Path) -> dict[str, Any]:
    return {
        path.name: without(json.loads(path.read_text(encoding="utf-8")), TIMES)
        for path in sorted((folder / "cucumber-features").glob("*.json"))
    }


def junit_cases(folder: Path) -> Counter[tuple[str, str, str]]:
    """Each test case by class and name, with its outcome."""
    cases: Counter[tuple[str, str, str]] = Counter()
    for case in ET.parse(folder / "junit.xml").getroot().iter("testcase"):
        outcome = next((c.tag for c in case if c.tag in ("failure", "error", "skipped")), "passed")
        cases[(case.get("classname", ""), case.get("name", ""), outcome)] += 1
    return cases


def envelopes(folder: Path) -> list[dict[str, Any]]:
    lines = (folder / "cucumber.ndjson").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def html_scenarios(folder: Path) -> list[tuple[str, str]]:
    """The HTML page's scenarios, in order: each one's anchor and status (an outline's
    examples are the rows of its table, each with its own anchor and status)."""
    page = (folder / "report.html").read_text(encoding="utf-8")
    scenario = r'<section class="scenario" id="([^"]+)">.*?class="badge (\w+)"'
    example = r'<tr class="(\w+)" id="([^"]+)">'
    found = [
        (match.start(), match.group(1), match.group(2))
        for match in re.finditer(scenario, page, flags=re.DOTALL)
        if not match.group(1).endswith("-steps")
    ]
    found += [(m.start(), m.group(2), m.group(1)) for m in re.finditer(example, page)]
    return [(anchor, status) for _, anchor, status in sorted(found)]


def message_problems(stream: list[dict[str, Any]]) -> list[str]:
    """What makes a stream of envelopes not one valid run."""
    # The registry crawled once: left to itself, jsonschema crawls the schema's references for
    # every envelope (~8 ms each).
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    registry: Registry[Any] = Registry().with_resource(
        schema["$id"], Resource.from_contents(schema)
    )
    validator = jsonschema.Draft202012Validator(schema, registry=registry.crawl())
    problems = [
        f"envelope {number} is not valid: {error.message}"
        for number, envelope in enumerate(stream, start=1)
        for error in validator.iter_errors(envelope)
    ]
    kinds = Counter(next(iter(envelope)) for envelope in stream)
    problems += [f"{kinds[k]} {k} envelopes, not 1" for k in ONCE if kinds[k] != 1]
    uris = Counter(e["source"]["uri"] for e in stream if "source" in e)
    problems += [f"source {uri} appears {n} times" for uri, n in uris.items() if n > 1]
    ids: Counter[str] = Counter()
    for envelope in stream:
        kind, message = next(iter(envelope.items()))
        if kind in ("gherkinDocument", "source", "meta"):
            continue
        if "id" in message:
            ids[f"{kind}:{message['id']}"] += 1
        for step in message.get("testSteps", []) + message.get("steps", []):
            ids[f"step:{step['id']}"] += 1
    problems += [f"id {key} is used {n} times" for key, n in ids.items() if n > 1]
    problems += _unresolved(stream)
    return problems


def _unresolved(stream: list[dict[str, Any]]) -> list[str]:
    def of(kind: str) -> list[dict[str, Any]]:
        return [envelope[kind] for envelope in stream if kind in envelope]

    pickles = {p["id"] for p in of("pickle")}
    pickle_steps = {s["id"] for p in of("pickle") for s in p["steps"]}
    definitions = {d["id"] for d in of("stepDefinition")} | {h["id"] for h in of("hook")}
    cases = {c["id"]: c for c in of("testCase")}
    test_steps = {s["id"] for c in cases.values() for s in c["testSteps"]}
    started = {s["id"] for s in of("testCaseStarted")}
    runs = {r["id"] for r in of("testRunStarted")}
    problems = []
    for case in cases.values():
        if case["pickleId"] not in pickles:
            problems.append(f"testCase {case['id']}: no pickle {case['pickleId']}")
        if case.get("testRunStartedId") not in runs:
            problems.append(f"testCase {case['id']}: no testRunStarted")
        for step in case["testSteps"]:
            if step.get("pickleStepId", step.get("hookId")) not in pickle_steps | definitions:
                problems.append(f"testStep {step['id']}: nothing it refers to")
            if not set(step.get("stepDefinitionIds", [])) <= definitions:
                problems.append(f"testStep {step['id']}: an unknown step definition")
    for s in of("testCaseStarted"):
        if s["testCaseId"] not in cases:
            problems.append(f"testCaseStarted {s['id']}: no testCase {s['testCaseId']}")
    for kind in ("testStepStarted", "testStepFinished", "testCaseFinished", "attachment"):
        for message in of(kind):
            if message["testCaseStartedId"] not in started:
                problems.append(f"{kind}: no testCaseStarted {message['testCaseStartedId']}")
            if "testStepId" in message and message["testStepId"] not in test_steps:
                problems.append(f"{kind}: no test step {message['testStepId']}")
    return problems


def differences(single: Path, merged: Path) -> list[str]:
    """Where the merged reports differ from the single run's; empty when they show one run."""
    found = [f"merged Messages: {p}" for p in message_problems(envelopes(merged))]
    single_features, merged_features = cucumber(single), cucumber(merged)
    if _ids(single_features) != _ids(merged_features):
        found.append("cucumber.json: not the same scenario ids in the same order")
    if _statuses(single_features) != _statuses(merged_features):
        found.append("cucumber.json: not the same scenario statuses")
    if _step_counts(single_features) != _step_counts(merged_features):
        found.append("cucumber.json: not the same step counts")
    if single_features != merged_features:
        found.append("cucumber.json: the data differ (times aside)")
    if per_feature(single) != per_feature(merged):
        found.append("cucumber-features/: the files differ (times aside)")
    single_cases, merged_cases = junit_cases(single), junit_cases(merged)
    if single_cases != merged_cases:
        differing = (single_cases - merged_cases) + (merged_cases - single_cases)
        found.append(f"junit.xml: the test cases differ: {sorted(differing)[:3]}")
    if _by_type(envelopes(single)) != _by_type(envelopes(merged)):
        found.append("cucumber.ndjson: the envelopes differ by type or reference (times aside)")
    if html_scenarios(single) != html_scenarios(merged):
        found.append("report.html: not the same scenarios and statuses")
    return found


def _ids(features: list[dict[str, Any]]) -> list[str]:
    return [f"{f['uri']}:{e['id']}" for f in features for e in f["elements"]]


def _statuses(features: list[dict[str, Any]]) -> list[list[str]]:
    return [[s["result"]["status"] for s in e["steps"]] for f in features for e in f["elements"]]


def _step_counts(features: list[dict[str, Any]]) -> list[int]:
    return [len(e["steps"]) for f in features for e in f["elements"]]


def _by_type(stream: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """The envelopes of each type in order, times aside: ids and references are compared as
    written, since a merge numbers them as a single run does."""
    kinds: dict[str, list[Any]] = {}
    for envelope in stream:
        kind, message = next(iter(envelope.items()))
        kinds.setdefault(kind, []).append(without(message, MESSAGE_TIMES))
    return kinds


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    single, merged = (Path(arg) for arg in argv)
    found = differences(single, merged)
    for line in found:
        print(f"compare-merge: {line}")
    scenarios = len(_ids(cucumber(merged)))
    if not found:
        print(f"compare-merge: {merged} shows the run of {single}: {scenarios} scenarios")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
