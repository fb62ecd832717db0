#!/usr/bin/env bash
# The official Cucumber HTML report from Cucumber Messages: installs Node and npm from Debian's
# packages if they are missing, the pinned @cucumber/html-formatter from the npm registry
# (scripts/cucumber-html/package-lock.json), and renders the page. With --check it also opens the
# page in headless Chromium and checks what it shows (scripts/check-cucumber-html.py).
#
# Usage: scripts/cucumber-html.sh [--check] [--expect-failures] [MESSAGES [PAGE]]
#        (defaults: reports/cucumber.ndjson reports/cucumber.html)
# From a container's reports: mount a folder on /app/reports, then run this on the host:
#        scripts/cucumber-html.sh reports/cucumber.ndjson reports/cucumber.html
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
formatter="$root/scripts/cucumber-html"

check="" checker_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --check) check=1 ;;
    --expect-failures) checker_args+=(--expect-failures) ;;
    -*) echo "cucumber-html: unknown option $1" >&2 && exit 2 ;;
    *) break ;;
  esac
  shift
done
messages=${1:-reports/cucumber.ndjson}
page=${2:-reports/cucumber.html}

fail() {
  echo "cucumber-html: $*" >&2
  exit 1
}

# Debian's packages, when a command is missing and this user may install them.
need() {
  local command=$1 package=$2
  command -v "$command" >/dev/null && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "cucumber-html: installing $package from Debian's packages"
    if [ -z "${apt_updated:-}" ]; then
      apt-get update -qq >/dev/null || fail "apt-get update failed: cannot install $package"
      apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null \
      || fail "apt-get cannot install $package"
  fi
  command -v "$command" >/dev/null || fail "$command is missing (Debian: apt-get install $package)"
}

[ -s "$messages" ] || fail "no Cucumber Messages at $messages (run pytest with --cucumber-messages)"
need node nodejs
need npm npm
# Installed once per lock file: node_modules keeps a copy of the lock it was installed from.
if ! cmp -s "$formatter/package-lock.json" "$formatter/node_modules/.installed-from.json"; then
  echo "cucumber-html: installing @cucumber/html-formatter (pinned) from the npm registry"
  npm ci --prefix "$formatter" --no-audit --no-fund --loglevel=error >/dev/null \
    || fail "npm could not install @cucumber/html-formatter from the npm registry"
  cp "$formatter/package-lock.json" "$formatter/node_modules/.installed-from.json"
fi
mkdir -p "$(dirname "$page")"
node "$formatter/render.mjs" "$messages" "$page" || fail "the formatter could not render $messages"
echo "cucumber-html: wrote $page"

[ -n "$check" ] || exit 0
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$browser" ]; then
  need chromium chromium
  browser=$(command -v chromium)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The page opens only the features that did not pass. A copy of it opens the others too, one
# click at a time as a reader would, so that every scenario is drawn.
cp "$page" "$work/page.html"
cat >>"$work/page.html" <<'SCRIPT'
<script>
addEventListener('load', () => setTimeout(() => {
  const closed = [...document.querySelectorAll('button[slot="trigger"][aria-expanded="false"]')]
  closed.forEach((button, index) => setTimeout(() => button.click(), 100 * index))
}, 100))
</script>
SCRIPT
# The page's own JavaScript draws the report: --dump-dom prints it after the scripts ran (the
# virtual time budget runs the clicks above without waiting for them). On a loaded machine
# Chromium can dump the page before every feature is drawn, so a failed check is retried twice.
for attempt in 1 2 3; do
  "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/chromium" --virtual-time-budget=60000 \
    --dump-dom "file://$work/page.html" >"$work/dom.html" 2>"$work/chromium.log" || {
    tail -5 "$work/chromium.log" >&2
    fail "headless Chromium could not open $page"
  }
  if "${PYTHON:-python3}" "$root/scripts/check-cucumber-html.py" "${checker_args[@]}" \
    "$messages" "$work/dom.html" >"$work/check.txt" 2>&1; then
    cat "$work/check.txt"
    exit 0
  fi
  echo "cucumber-html: check $attempt of 3 failed ($(head -1 "$work/check.txt"))" >&2
done
cat "$work/check.txt" >&2
exit 1
