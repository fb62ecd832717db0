"""Check that a third-party reader (Allure 3) saw exactly the scenarios pytest ran, with their
statuses and tags. Usage: python scripts/check-consumer.py REPORTS_DIR SEEN_JSON

REPORTS_DIR holds pytest's junit.xml (what ran, and how it ended) and our cucumber.json (each
scenario's tags, the feature's included); SEEN_JSON is what .ci/consumer/seen-by-allure.mjs wrote.
Exits 1 naming every difference.
"""

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

# Allure's words for Cucumber's statuses: it calls an undefined step "broken".
ALLURE_STATUS = {
    "passed": "passed",
    "failed": "failed",
    "undefined": "broken",
    "skipped": "skipped",
}


def ran_by_pytest(reports: Path) -> dict[str, str]:
    """Each scenario JUnit lists, by name, with its status in Cucumber's words."""
    ran = {}
    for case in ET.parse(reports / "junit.xml").getroot().iter("testcase"):
        properties = {p.get("name"): p.get("value") for p in case.iter("property")}
        if "scenario" in properties:
            ran[str(properties["scenario"])] = _status(case)
    return ran


def _status(case: ET.Element) -> str:
    failure = case.find("failure")
    if failure is not None:
        return (
            "undefined" if "StepDefinitionNotFoundError" in failure.get("message", "") else "failed"
        )
    if case.find("error") is not None:
        return "failed"
    return "skipped" if case.find("skipped") is not None else "passed"


def tags_written(reports: Path) -> dict[str, set[str]]:
    features = json.loads((reports / "cucumber.json").read_text(encoding="utf-8"))
    return {e["name"]: {t["name"] for t in e["tags"]} for f in features for e in f["elements"]}


def differences(ran: dict[str, str], tags: dict[str, set[str]], seen: list[dict]) -> list[str]:
    problems = []
    names = [result["name"] for result in seen]
    if sorted(names) != sorted(ran):
        missing = sorted(set(ran) - set(names))
        extra = sorted(set(names) - set(ran))
        problems.append(f"pytest ran {len(ran)} scenarios, Allure saw {len(names)}")
        problems += [f"  not seen: {name}" for name in missing]
        problems += [f"  not run: {name}" for name in extra]
    for result in seen:
        name = result["name"]
        if name in ran and result["status"] != ALLURE_STATUS[ran[name]]:
            problems.append(f"{name}: pytest says {ran[name]}, Allure says {result['status']}")
        if name in tags and set(result["tags"]) != tags[name]:
            problems.append(f"{name}: tags {sorted(tags[name])}, Allure shows {result['tags']}")
    return problems


def main() -> None:
    reports, seen_path = Path(sys.argv[1]), Path(sys.argv[2])
    ran, tags = ran_by_pytest(reports), tags_written(reports)
    seen = json.loads(seen_path.read_text(encoding="utf-8"))
    problems = differences(ran, tags, seen)
    if problems:
        sys.exit(
            "consumer: Allure did not read the reports as pytest ran them:\n" + "\n".join(problems)
        )
    statuses = ", ".join(
        f"{sum(s == v for s in ran.values())} {v}" for v in ALLURE_STATUS if v in ran.values()
    )
    print(f"consumer: Allure read {len(seen)} scenarios as pytest ran them ({statuses}), tags too")


if __name__ == "__main__":
    main()
