#!/usr/bin/env bash
# Regenerate docs/report-screenshot.png: the top of the HTML report of this suite, down to its
# first failure, in headless Chromium. The suite passes, so to show a failure the script runs it
# twice in a copy of the working tree: once as it is (the "last run"), then with one expectation
# made wrong and one sentence made unknown, compared with the first run (--compare-with).
# Needs: chromium (apt-get install chromium) and the dev requirements (PYTHON, default python).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/repo"
(cd "$root" && git ls-files -z --cached --others --exclude-standard \
  | xargs -0 cp --parents -t "$work/repo")
cd "$work/repo"
# The screenshots are being retaken: the test that they show the current suite cannot pass yet.
"${PYTHON:-python}" -m pytest -q -p no:randomly --cucumber-report=previous-reports/cucumber.json \
  --deselect tests/unit/test_docs.py::test_each_screenshot_records_the_suite_it_shows >/dev/null
sed -i '0,/And the audit log holds 1 record/s//And the audit log holds 2 records/' \
  features/archive_happy_path.feature
sed -i '0,/Then the run succeeds/s//Then the run completes/' features/busy_night.feature
"${PYTHON:-python}" -m pytest -q -p no:randomly --compare-with=previous-reports/cucumber.json \
  --gherkin-html="$work/report.html" >/dev/null || true
# Its top is the comparison, the failures and the features; the failing scenario comes next.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/chromium" --window-size=1200,1500 \
  --screenshot="$root/docs/report-screenshot.png" "file://$work/report.html" 2>/dev/null
echo "wrote docs/report-screenshot.png"
