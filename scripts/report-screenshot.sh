#!/usr/bin/env bash
# Regenerate docs/report-screenshot.png: the HTML report of the reporting fixture project (a
# failure, undefined steps, an outline, a table, a doc string, a skip), in headless Chromium.
# Needs: chromium (apt-get install chromium) and the dev requirements.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/tests/reporting/fixture_project" "$work/project"
(cd "$work/project" && PYTHONPATH="$root" python -m pytest -q --gherkin-html="$work/report.html" >/dev/null) || true
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/chromium" --window-size=1100,1250 \
  --screenshot="$root/docs/report-screenshot.png" "file://$work/report.html" 2>/dev/null
echo "wrote docs/report-screenshot.png"
