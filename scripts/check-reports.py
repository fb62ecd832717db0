"""Check a suite run's reports: valid Cucumber JSON that lists every scenario JUnit ran, and an
HTML page that shows each of them. Usage: python scripts/check-reports.py REPORTS_DIR"""

import json
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
shown = html.count('<section class="scenario"')
print(
    f"reports: {len(scenarios_run)} scenarios ran; cucumber.json lists {len(elements)}; "
    f"report.html shows {shown}"
)
if not len(scenarios_run) == len(elements) == shown > 0:
    sys.exit("reports: the reports do not list every scenario")
