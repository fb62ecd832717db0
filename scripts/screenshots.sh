#!/usr/bin/env bash
# Regenerate every screenshot in docs/ from the current suite, then record beside them, in
# docs/screenshots.json, how many scenarios the suite had (pytest's own count of
# tests/acceptance). tests/unit/test_docs.py fails when the suite no longer has that many.
# Needs: chromium, Node and npm (scripts/cucumber-html.sh), and the dev requirements (PYTHON).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export PYTHON=${PYTHON:-python}
cd "$root"
scripts/report-screenshot.sh
scripts/cucumber-html-screenshot.sh
count=$("$PYTHON" -m pytest --collect-only -q -p no:randomly -p no:cacheprovider --junitxml= \
  --cucumber-report= --gherkin-html= --cucumber-messages= --cucumber-per-feature= \
  tests/acceptance | sed -n 's/^\([0-9]*\) tests\{0,1\} collected.*/\1/p')
[ -n "$count" ] || { echo "screenshots: pytest collected no scenario" >&2; exit 1; }
"$PYTHON" - "$count" <<'PY'
import datetime
import json
import sys

count = int(sys.argv[1])
today = datetime.date.today().isoformat()
shots = {
    "report-screenshot.png": "scripts/report-screenshot.sh",
    "cucumber-report-screenshot.png": "scripts/cucumber-html-screenshot.sh",
}
record = {
    image: {"suite_scenarios": count, "taken": today, "by": script}
    for image, script in shots.items()
}
with open("docs/screenshots.json", "w", encoding="utf-8") as out:
    json.dump(record, out, indent=2)
    out.write("\n")
print(f"wrote docs/screenshots.json: {count} scenarios")
PY
