"""Check a suite run's reports: valid Cucumber JSON that lists every scenario JUnit ran, and an
HTML page that shows each of them; and, when REPORTS_DIR holds the run's console as
terminal.txt, that it names every scenario once and says little else (a line a scenario, a
line a feature, a summary).
Usage: python scripts/check-reports.py REPORTS_DIR"""

import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema

reports = Path(sys.argv[1])
schema = json.loads(Path("tests/reporting/cucumber-json.schema.json").read_text())
features = json.loads((reports / "cucumber.json").read_text())
jsonschema.validate(features, schema)
elements = [e for f in features for e in f["elements"]]
scenarios_run = [
    case
    for case in ET.parse(reports / "junit.xml").getroot().iter("testcase")
    if any(p.get("name") == "feature" for p in case.iter("property"))
]
html = (reports / "report.html").read_text()
# A scenario is a section of its own; an outline's examples are the rows of its table (the
# steps of an example that did not pass are a section too, "<anchor>-steps", not counted).
sections = re.findall(r'<section class="scenario" id="([^"]+)"', html)
rows = re.findall(r'<tr class="\w+" id="([^"]+)">', html)
shown = len([s for s in sections if not s.endswith("-steps")]) + len(rows)
print(
    f"reports: {len(scenarios_run)} scenarios ran; cucumber.json lists {len(elements)}; "
    f"report.html shows {shown}"
)
if not len(scenarios_run) == len(elements) == shown > 0:
    sys.exit("reports: the reports do not list every scenario")

console = reports / "terminal.txt"
if console.exists():
    lines = console.read_text().splitlines()
    named = [e["name"] for e in elements]
    twice_or_never = [
        name
        for name in named
        if sum(bool(re.search(rf": {re.escape(name)}(  @\S+( @\S+)*)?$", line)) for line in lines)
        != 1
    ]
    print(f"console: {len(lines)} lines; {len(named) - len(twice_or_never)} scenarios named once")
    most = len(named) + len(features) + 60
    if len(lines) >= most or twice_or_never:
        sys.exit(
            f"console: {most} lines or more, or scenarios not named exactly once: {twice_or_never}"
        )
