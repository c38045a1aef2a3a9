#!/usr/bin/env bash
# Throughput of the log reader + signature pass against grep on a big generated Prosody log.
#   scripts/bench-log.sh [SIZE]        SIZE for gen-big-log.py, default 300M
# Env: SHARED (default: <repo>/../shared), BIN (default: .build/release/prosody-doctor), RUNS (default 3).
set -euo pipefail
ROOT=$(git rev-parse --show-toplevel)
cd "$ROOT"
SHARED=${SHARED:-$ROOT/../shared}
BIN=${BIN:-.build/release/prosody-doctor}
SIZE=${1:-300M}
RUNS=${RUNS:-3}
SIGS=${SIGS:-$ROOT/rules/log-signatures.yml}
OUT=.build/bench
LOG=$OUT/prosody-$SIZE-seed42.log
mkdir -p "$OUT"
if [ ! -s "$LOG" ]; then
    echo "generating $LOG ..." >&2
    python3 "$SHARED/tools/gen-big-log.py" --size "$SIZE" --seed 42 --out "$LOG.tmp"
    mv "$LOG.tmp" "$LOG"
fi
[ -x "$BIN" ] || { echo "no binary at $BIN (swift build -c release --product prosody-doctor)" >&2; exit 1; }
BYTES=$(stat -c %s "$LOG")
cat "$LOG" > /dev/null  # warm the page cache

# best-of-RUNS wall time in seconds of a command (stdout to a pipe: grep stops early on /dev/null)
best() {
    local best="" t
    for _ in $(seq "$RUNS"); do
        local s e
        s=$(date +%s.%N)
        "$@" | cat > /dev/null
        e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
    done
    echo "$best"
}
mbs() { echo "scale=0; $BYTES / 1000000 / $1" | bc -l; }

printf '%-52s %8s %8s\n' "command ($(echo "$BYTES/1000000" | bc) MB, best of $RUNS)" "seconds" "MB/s"
T_GREP=$(best grep -c 'Session token' "$LOG")
printf '%-52s %8.3f %8s\n' "grep -c 'Session token'" "$T_GREP" "$(mbs "$T_GREP")"
T_CGREP=$(best env LC_ALL=C grep -c 'Session token' "$LOG")
printf '%-52s %8.3f %8s\n' "LC_ALL=C grep -c 'Session token'" "$T_CGREP" "$(mbs "$T_CGREP")"
T_COUNT=$(best "$BIN" logs --count "$LOG")
printf '%-52s %8.3f %8s\n' "prosody-doctor logs --count (read+classify)" "$T_COUNT" "$(mbs "$T_COUNT")"
T_FACTS=$(best "$BIN" logs --facts --format json --signatures "$SIGS" "$LOG")
printf '%-52s %8.3f %8s\n' "prosody-doctor logs --facts --format json" "$T_FACTS" "$(mbs "$T_FACTS")"
T_FCOUNT=$(best "$BIN" logs --facts --count --signatures "$SIGS" "$LOG")
printf '%-52s %8.3f %8s\n' "prosody-doctor logs --facts --count" "$T_FCOUNT" "$(mbs "$T_FCOUNT")"
echo
echo "facts pass vs grep -c:          $(echo "scale=2; $T_GREP / $T_FACTS" | bc -l)x"
echo "facts pass vs LC_ALL=C grep -c: $(echo "scale=2; $T_CGREP / $T_FACTS" | bc -l)x"
echo "(>1 means prosody-doctor is faster)"
echo
"$BIN" logs --count --facts --signatures "$SIGS" "$LOG"
echo "grep -c 'Session token': $(grep -c 'Session token' "$LOG")"
