"""Check that a third-party reader (Allure 3) saw exactly the scenarios pytest ran, with their
statuses and tags. Usage: python scripts/check-consumer.py REPORTS_DIR SEEN_JSON

REPORTS_DIR holds pytest's junit.xml (what ran, and how it ended) and our cucumber.json (each
scenario's tags, the feature's included); SEEN_JSON is what .ci/consumer/seen-by-allure.mjs wrote.
A scenario is known by its feature's name and its own. Exits 1 naming every difference.
"""

import json
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

# Allure's words for Cucumber's statuses: it calls an undefined step "broken".
ALLURE_STATUS = {
    "passed": "passed",
    "failed": "failed",
    "undefined": "broken",
    "skipped": "skipped",
}
Key = tuple[str, str]


def ran_by_pytest(reports: Path) -> dict[Key, str]:
    """Each scenario JUnit lists, with its status in Cucumber's words."""
    ran = {}
    for case in ET.parse(reports / "junit.xml").getroot().iter("testcase"):
        properties = {p.get("name"): p.get("value") for p in case.iter("property")}
        if "scenario" in properties:
            ran[(str(properties["feature"]), str(properties["scenario"]))] = _status(case)
    return ran


def _status(case: ET.Element) -> str:
    failure = case.find("failure")
    if failure is not None:
        undefined = "StepDefinitionNotFoundError" in failure.get("message", "")
        return "undefined" if undefined else "failed"
    if case.find("error") is not None:
        return "failed"
    return "skipped" if case.find("skipped") is not None else "passed"


def tags_written(reports: Path) -> dict[Key, set[str]]:
    features = json.loads((reports / "cucumber.json").read_text(encoding="utf-8"))
    return {
        (f["name"], e["name"]): {t["name"] for t in e["tags"]}
        for f in features
        for e in f["elements"]
    }


def differences(ran: dict[Key, str], tags: dict[Key, set[str]], seen: list[dict]) -> list[str]:
    problems = []
    seen_keys = Counter((result["feature"], result["name"]) for result in seen)
    if seen_keys != Counter(ran.keys()):
        problems.append(f"pytest ran {len(ran)} scenarios, Allure saw {len(seen)}")
        problems += [f"  not seen: {key}" for key in sorted(set(ran) - set(seen_keys))]
        problems += [f"  not run: {key}" for key in sorted(set(seen_keys) - set(ran))]
        problems += [f"  seen twice: {key}" for key, n in sorted(seen_keys.items()) if n > 1]
    for result in seen:
        key = (result["feature"], result["name"])
        if key in ran and result["status"] != ALLURE_STATUS[ran[key]]:
            problems.append(f"{key[1]}: pytest says {ran[key]}, Allure says {result['status']}")
        if key in tags and set(result["tags"]) != tags[key]:
            problems.append(f"{key[1]}: tags {sorted(tags[key])}, Allure shows {result['tags']}")
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
    counts = Counter(ran.values())
    statuses = ", ".join(f"{counts[status]} {status}" for status in ALLURE_STATUS if counts[status])
    print(f"consumer: Allure read {len(seen)} scenarios as pytest ran them ({statuses}), tags too")


if __name__ == "__main__":
    main()
