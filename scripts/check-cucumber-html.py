"""Check the official Cucumber HTML report as a browser shows it, against the messages it came from.

Usage: python scripts/check-cucumber-html.py MESSAGES.ndjson DOM.html [--expect-failures]

DOM.html is the page after its JavaScript ran (``chromium --headless --dump-dom``). Every scenario
the messages ran must appear by name; each one whose messages hold a failed or undefined step
must show a step with that status; the status counts at the top must match. With
``--expect-failures`` the messages must also hold at least one failed and one undefined scenario
(for the fixture project, which has both). Standard library only; exits 1 on any mismatch.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

# Cucumber's order: the worst step status is the scenario's.
WORST_FIRST = ["FAILED", "AMBIGUOUS", "UNDEFINED", "PENDING", "SKIPPED", "UNKNOWN", "PASSED"]
SHOWN = ("FAILED", "UNDEFINED")
HEADING = re.compile(r"<h2[^>]*><span[^>]*>([^<]*): </span><span[^>]*>([^<]*)</span></h2>")
STEP = re.compile(r'<li data-status="([A-Z]+)"')
COUNT = re.compile(r'data-status="([A-Z]+)"><svg.*?</svg><span>[a-z]+</span> <strong>(\d+)<')
PASSED = re.compile(r"\((\d+) / (\d+)\) passed")
NOT_SCENARIOS = {"Feature", "Rule", "Background", "Examples", "Scenarios"}


def expected(messages: Path) -> dict[str, list[str]]:
    """Each scenario's name, as written, -> the status of each of its runs (one per outline row)."""
    envelopes = [json.loads(line) for line in messages.read_text(encoding="utf-8").splitlines()]
    names = {
        node["id"]: node["name"]
        for e in envelopes
        if "gherkinDocument" in e
        for node in _scenarios(e["gherkinDocument"].get("feature", {}))
    }
    pickles = {p["id"]: names[p["astNodeIds"][0]] for p in _all(envelopes, "pickle")}
    cases = {c["id"]: c["pickleId"] for c in _all(envelopes, "testCase")}
    runs = {
        e["testCaseStarted"]["id"]: pickles[cases[e["testCaseStarted"]["testCaseId"]]]
        for e in envelopes
        if "testCaseStarted" in e
    }
    statuses: dict[str, list[str]] = {started: [] for started in runs}
    for envelope in envelopes:
        if "testStepFinished" in envelope:
            finished = envelope["testStepFinished"]
            statuses[finished["testCaseStartedId"]].append(finished["testStepResult"]["status"])
    by_name: dict[str, list[str]] = {}
    for started, name in runs.items():
        by_name.setdefault(name, []).append(_worst(statuses[started]))
    return by_name


def _run_messages(messages: Path) -> list[str]:
    """What testRunFinished says went wrong outside the scenarios (a scenario left out, say)."""
    envelopes = [json.loads(line) for line in messages.read_text(encoding="utf-8").splitlines()]
    finished = _all(envelopes, "testRunFinished")
    if not finished:
        return ["no testRunFinished: the stream is cut short"]
    return [finished[-1]["message"]] if "message" in finished[-1] else []


def _all(envelopes: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [envelope[kind] for envelope in envelopes if kind in envelope]


def _scenarios(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The scenarios of a feature or a rule."""
    found = []
    for child in node.get("children", []):
        if "scenario" in child:
            found.append(child["scenario"])
        elif "rule" in child:
            found += _scenarios(child["rule"])
    return found


def shown(dom: str) -> tuple[dict[str, set[str]], Counter[str]]:
    """Each scenario heading on the page -> the step statuses shown under it; the counts on top."""
    under: dict[str, set[str]] = {}
    current: str | None = None
    events = [(m.start(), "h", m) for m in HEADING.finditer(dom)]
    events += [(m.start(), "s", m) for m in STEP.finditer(dom)]
    for _, kind, match in sorted(events, key=lambda event: event[0]):
        if kind == "h":
            keyword, name = html.unescape(match.group(1)), html.unescape(match.group(2))
            if keyword in NOT_SCENARIOS:
                current = None if keyword != "Examples" else current
                continue
            current = name
            under.setdefault(name, set())
        elif current is not None:
            under[current].add(match.group(1))
    counts = Counter({status: int(n) for status, n in COUNT.findall(dom)})
    passed = PASSED.search(dom)  # the only count shown when everything passed
    if passed:
        counts["PASSED"], counts["TOTAL"] = int(passed.group(1)), int(passed.group(2))
    return under, counts


def _worst(statuses: list[str]) -> str:
    return min(statuses or ["UNKNOWN"], key=WORST_FIRST.index)


def check(messages: Path, dom_file: Path, expect_failures: bool) -> list[str]:
    runs = expected(messages)
    on_page, counts = shown(dom_file.read_text(encoding="utf-8"))
    problems = [f"scenario not on the page: {name!r}" for name in runs if name not in on_page]
    if not runs:
        problems.append(f"{messages} holds no scenario run")
    problems += [f"the run says: {m}" for m in _run_messages(messages)]
    for name, statuses in runs.items():
        for status in SHOWN:
            if status in statuses and status not in on_page.get(name, set()):
                problems.append(f"{name!r} is {status} in the messages, not on the page")
    wanted = Counter(status for statuses in runs.values() for status in statuses)
    wanted["TOTAL"] = sum(wanted.values())
    for status, number in wanted.items():
        if counts.get(status, 0) != number:
            problems.append(f"the page counts {counts.get(status, 0)} {status}, expected {number}")
    if expect_failures and not all(wanted[status] for status in SHOWN):
        problems.append(f"expected failed and undefined scenarios, not only {dict(wanted)}")
    if not problems:
        total = wanted.pop("TOTAL")
        summary = ", ".join(f"{n} {s.lower()}" for s, n in sorted(wanted.items()))
        print(f"official Cucumber HTML report: all {total} scenario runs shown ({summary})")
    return problems


def main(argv: list[str]) -> int:
    arguments = [a for a in argv if not a.startswith("--")]
    if len(arguments) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    problems = check(Path(arguments[0]), Path(arguments[1]), "--expect-failures" in argv)
    for problem in problems:
        print(f"cucumber html: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
