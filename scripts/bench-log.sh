#!/usr/bin/env bash
# Throughput and peak memory of `prosody-doctor logs` (full analysis) against grep and wc on a big generated Prosody log.
#   scripts/bench-log.sh [SIZE]        SIZE for gen-big-log.py, default 300M
# Env: SHARED (default: <repo>/../shared), BIN (default: .build/release/prosody-doctor), RUNS (default 3).
set -euo pipefail
ROOT=$(git rev-parse --show-toplevel)
cd "$ROOT"
SHARED=${SHARED:-$ROOT/../shared}
BIN=${BIN:-.build/release/prosody-doctor}
SIZE=${1:-${BENCH_LOG_SIZE:-1G}}
RUNS=${RUNS:-3}
SIGS=${SIGS:-$ROOT/rules/log-signatures.yml}
OUT=.build/bench
LOG=$OUT/prosody-$SIZE-seed42.log
mkdir -p "$OUT"
if [ ! -s "$LOG" ]; then
    echo "generating $LOG ..." >&2
    python3 "$SHARED/tools/gen-big-log.py" --size "$SIZE" --seed 42 --source "$SHARED/corpus/logs/real-prosody-0.12" --out "$LOG.tmp"
    mv "$LOG.tmp" "$LOG"
fi
[ -x "$BIN" ] || { echo "no binary at $BIN (swift build -c release --product prosody-doctor)" >&2; exit 1; }
BYTES=$(stat -c %s "$LOG")
cat "$LOG" > /dev/null  # warm the page cache

# Best of RUNS: wall seconds and CPU seconds (user+sys) of a command. stdout goes to a pipe, because
# GNU grep stops at the first match when stdout is /dev/null. The machine may be shared: CPU time is
# the steadier number, wall time the honest one.
measure() {
    local bw="" bc="" out w c
    for _ in $(seq "$RUNS"); do
        out=$( { TIMEFORMAT='%R %U %S'; time "$@" | cat > /dev/null; } 2>&1 | tail -1 )
        w=$(echo "$out" | awk '{print $1}')
        c=$(echo "$out" | awk '{print $2 + $3}')
        if [ -z "$bw" ] || [ "$(echo "$w < $bw" | bc -l)" = 1 ]; then bw=$w; fi
        if [ -z "$bc" ] || [ "$(echo "$c < $bc" | bc -l)" = 1 ]; then bc=$c; fi
    done
    echo "$bw $bc"
}
mbs() { echo "scale=0; $BYTES / 1000000 / $1" | bc -l; }
row() {  # label, "wall cpu"
    local w c
    w=${2% *}; c=${2#* }
    printf '%-50s %7.3f %7s %7.3f %7s\n' "$1" "$w" "$(mbs "$w")" "$c" "$(mbs "$c")"
}

printf '%-50s %7s %7s %7s %7s\n' "$(echo "$BYTES/1000000" | bc) MB, best of $RUNS" "wall s" "MB/s" "cpu s" "MB/s"
WCL=$(measure wc -l "$LOG");                                        row "wc -l" "$WCL"
PAT5='Session token|Error verifying token|Unable to load module|Traceback|certificate'
GREP5=$(measure env LC_ALL=C grep -cE "$PAT5" "$LOG");              row "LC_ALL=C grep -cE (5 patterns)" "$GREP5"
GREP=$(measure grep -c 'Session token' "$LOG");                   row "grep -c 'Session token'" "$GREP"
COUNT=$(measure "$BIN" logs --events --count --threads 1 "$LOG");  row "logs --events --count (read + classify)" "$COUNT"
FCOUNT1=$(measure "$BIN" logs --facts --count --threads 1 --signatures "$SIGS" "$LOG"); row "logs --facts --count, 1 thread (+ signatures)" "$FCOUNT1"
FULL1=$(measure "$BIN" logs --format json --threads 1 "$LOG");      row "logs, 1 thread (full analysis + summary)" "$FULL1"
FULL=$(measure "$BIN" logs --format json "$LOG");                   row "logs, $(nproc) threads (full analysis + summary)" "$FULL"
ratio() { echo "scale=2; ${1% *} / ${2% *}" | bc -l; }
verdict() { [ "$(echo "$1 >= $2" | bc -l)" = 1 ] && echo "met" || echo "NOT met"; }
peak() { { /usr/bin/time -f '%M' "$@" > /dev/null; } 2>&1 | tail -1; }
echo
full1_mbs=$(mbs "${FULL1% *}")
r1=$(ratio "$GREP5" "$FULL1"); rn=$(ratio "$GREP5" "$FULL")
echo "logs (full analysis) vs LC_ALL=C grep -cE (5 patterns), wall: ${r1}x on 1 thread, ${rn}x on $(nproc) threads (>1: prosody-doctor is faster)"
echo "logs (full analysis) vs wc -l, wall: $(ratio "$WCL" "$FULL1")x on 1 thread"
echo "read + classify vs wc -l, wall: $(ratio "$WCL" "$COUNT")x"
p1=$(peak "$BIN" logs --format json --threads 1 "$LOG"); pn=$(peak "$BIN" logs --format json "$LOG")
echo "peak memory of logs (maximum resident set): $((p1 / 1024)) MiB on 1 thread, $((pn / 1024)) MiB on $(nproc) threads"
echo
echo "targets (issue: log analyzer):"
echo "  >= 1000 MB/s single-threaded:        ${full1_mbs} MB/s  $(verdict "$full1_mbs" 1000)"
echo "  >= 1.5x grep -cE (wall, best):       $(echo "if ($r1 > $rn) $r1 else $rn" | bc -l | sed 's/^\./0./')x  $(verdict "$(echo "if ($r1 > $rn) $r1 else $rn" | bc -l)" 1.5)"
echo "  peak memory < 64 MiB:                $((p1 / 1024)) / $((pn / 1024)) MiB  $(verdict "$(( 65536 - (p1 > pn ? p1 : pn) ))" 1)"
