#!/usr/bin/env bash
# Regenerate docs/cucumber-report-screenshot.png: the official Cucumber HTML report of this suite,
# run in a scratch copy of the repository with one feature file added that fails on purpose (a
# Then that does not hold, a sentence the language does not have).
# Needs: what scripts/cucumber-html.sh needs, chromium, and the dev requirements (PYTHON).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git -C "$root" archive HEAD | tar -x -C "$work" --one-top-level=repo
cat >"$work/repo/features/deliberate_failures.feature" <<'FEATURE'
@screenshot
Feature: Scenarios that fail on purpose, for the report's screenshot

  Scenario: The archive is expected to hold more than the vault wrote
    Given the log API serves 3 security log entries
    When the vault runs
    Then the run succeeds
    And the archive holds 2 objects
    And the audit log holds 1 record

  Scenario: A sentence the acceptance language does not have
    Given the log API serves 3 security log entries
    When the vault runs twice at midnight
    Then the run succeeds
FEATURE
(cd "$work/repo" && "$python" -m pytest -q -p no:randomly -p no:cacheprovider \
  --junitxml= --cucumber-report= --gherkin-html= \
  --cucumber-messages="$work/cucumber.ndjson" >/dev/null) || true
"$root/scripts/cucumber-html.sh" "$work/cucumber.ndjson" "$work/cucumber.html"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/chromium" --window-size=1100,1500 --virtual-time-budget=10000 \
  --screenshot="$root/docs/cucumber-report-screenshot.png" "file://$work/cucumber.html" 2>/dev/null
echo "wrote docs/cucumber-report-screenshot.png"
