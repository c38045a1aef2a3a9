#!/bin/sh
# Renders `prosody-doctor diagnose --format html` for one sample, opens it in headless Chromium
# and checks: the page title, that the DOM has as many findings as the JSON output, that Chromium
# logged no console message (the report has no script, so any console line is an error), and that
# the screenshot is a non-empty PNG.
#
# Usage: scripts/html-check.sh [SAMPLE]     (default: samples/jitsi-server-tree)
# Environment: PROSODY_DOCTOR (default .build/debug/prosody-doctor), CHROMIUM (default: chromium,
# else chromium-browser), HTML_CHECK_OUT (default .build/html-check: report, DOM, log, screenshot).
# Installs nothing: skips (exit 0) with a message when Chromium is absent.
set -eu

cd "$(dirname "$0")/.."
sample=${1:-samples/jitsi-server-tree}
doctor=${PROSODY_DOCTOR:-.build/debug/prosody-doctor}
out=${HTML_CHECK_OUT:-.build/html-check}
expected_title="prosody-doctor report"

chromium=${CHROMIUM:-}
if [ -z "$chromium" ]; then
    for candidate in chromium chromium-browser; do
        if command -v "$candidate" >/dev/null 2>&1; then chromium=$candidate; break; fi
    done
fi
if [ -z "$chromium" ] || ! command -v "$chromium" >/dev/null 2>&1; then
    echo "html-check: SKIPPED: chromium not installed (apt-get install -y chromium)"
    exit 0
fi
if [ ! -x "$doctor" ]; then
    echo "html-check: FAIL: $doctor not found (run swift build first)" >&2
    exit 1
fi

fail() { echo "html-check: FAIL: $*" >&2; exit 1; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
html="$out/report.html"
# diagnose exits non-zero when it finds errors: that is not a failure of this check.
"$doctor" diagnose --root "$sample" --format html >"$html" || true
"$doctor" diagnose --root "$sample" --format json >"$out/report.json" || true
[ -s "$html" ] || fail "diagnose --format html wrote nothing for $sample"

# Findings according to the JSON output: the sum of its summary counts.
if command -v jq >/dev/null 2>&1; then
    json_count=$(jq '.summary | .errors + .warnings + .infos + .hints' "$out/report.json")
elif command -v python3 >/dev/null 2>&1; then
    json_count=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(s["errors"]+s["warnings"]+s["infos"]+s["hints"])' "$out/report.json")
else
    json_count=$(grep -c '"rule" *:' "$out/report.json" || true)
fi
[ "$json_count" -ge 0 ] 2>/dev/null || fail "cannot count the findings of the JSON output of $sample ($json_count)"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags="--headless --no-sandbox --disable-gpu --no-first-run --no-default-browser-check --disable-extensions
       --user-data-dir=$profile --window-size=1200,2000 --enable-logging=stderr --v=1"
rm -f "$out/screenshot.png"
# shellcheck disable=SC2086
"$chromium" $flags --dump-dom "file://$html" >"$out/dom.html" 2>"$out/chromium-dom.log" \
    || fail "chromium --dump-dom failed (see $out/chromium-dom.log)"
# shellcheck disable=SC2086
"$chromium" $flags --screenshot="$out/screenshot.png" "file://$html" >/dev/null 2>"$out/chromium-screenshot.log" \
    || fail "chromium --screenshot failed (see $out/chromium-screenshot.log)"

title=$(sed -n 's:.*<title>\([^<]*\)</title>.*:\1:p' "$out/dom.html" | head -n 1)
[ "$title" = "$expected_title" ] || fail "page title is '$title', expected '$expected_title'"

dom_count=$(grep -o '<section class="finding[ "]' "$out/dom.html" | wc -l | tr -d ' ')
[ "$dom_count" = "$json_count" ] || fail "the page shows $dom_count findings, the JSON output has $json_count"

# Console messages (console.*, uncaught exceptions, CSP refusals) are logged as CONSOLE lines.
if grep -h 'CONSOLE' "$out/chromium-dom.log" "$out/chromium-screenshot.log" >"$out/console.log"; then
    cat "$out/console.log" >&2
    fail "the page logged to the console"
fi

[ -s "$out/screenshot.png" ] || fail "no screenshot written"
signature=$(od -An -tx1 -N8 "$out/screenshot.png" | tr -d ' \n')
[ "$signature" = "89504e470d0a1a0a" ] || fail "the screenshot is not a PNG"

echo "html-check: OK: $sample: title '$title', $dom_count findings (JSON $json_count), no console message, $(wc -c <"$out/screenshot.png" | tr -d ' ') bytes of screenshot in $out/screenshot.png"
