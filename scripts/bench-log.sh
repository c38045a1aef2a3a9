#!/usr/bin/env bash
# Throughput and peak memory of `prosody-doctor logs` (full analysis) against grep and wc on a big generated Prosody log.
#   scripts/bench-log.sh [SIZE]        SIZE for scripts/gen-bench-log.py, default 1G
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
LOG=$OUT/bench-$SIZE-seed42.log
mkdir -p "$OUT"
if [ ! -s "$LOG" ]; then
    echo "generating $LOG (scripts/gen-bench-log.py, from the real Prosody 0.12 log) ..." >&2
    python3 "$ROOT/scripts/gen-bench-log.py" --size "$SIZE" --seed 42 --source "$SHARED/corpus/logs/real-prosody-0.12" --out "$LOG.tmp"
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
    printf '%-58s %7.3f %7s %7.3f %7s\n' "$1" "$w" "$(mbs "$w")" "$c" "$(mbs "$c")"
}

printf '%-58s %7s %7s %7s %7s\n' "$(echo "$BYTES/1000000" | bc) MB, best of $RUNS" "wall s" "MB/s" "cpu s" "MB/s"
WCL=$(measure wc -l "$LOG");                                        row "wc -l" "$WCL"
PAT5='Session token|Error verifying token|Unable to load module|Traceback|certificate'
GREP5=$(measure env LC_ALL=C grep -cE "$PAT5" "$LOG");              row "LC_ALL=C grep -cE (5 patterns)" "$GREP5"
GREP=$(measure grep -c 'Session token' "$LOG");                   row "grep -c 'Session token'" "$GREP"
COUNT=$(measure "$BIN" logs --events --count --threads 1 "$LOG");  row "logs --events --count (read + classify)" "$COUNT"
FCOUNT1=$(measure "$BIN" logs --facts --count --threads 1 --signatures "$SIGS" "$LOG"); row "logs --facts --count, 1 thread (+ signatures)" "$FCOUNT1"
# The timed job: `prosody-doctor logs` reading every line and running every signature, with the findings
# (--no-summary). The lnav-style summary (message templates of every line) is timed on its own below.
RUN1=$(measure "$BIN" logs --no-summary --format json --threads 1 "$LOG"); row "logs --no-summary, 1 thread (every line, all signatures)" "$RUN1"
RUN=$(measure "$BIN" logs --no-summary --format json "$LOG");              row "logs --no-summary, $(nproc) threads" "$RUN"
FULL1=$(measure "$BIN" logs --format json --threads 1 "$LOG");             row "logs with the summary (templates), 1 thread" "$FULL1"
FULL=$(measure "$BIN" logs --format json "$LOG");                          row "logs with the summary (templates), $(nproc) threads" "$FULL"
ratio() { echo "scale=2; ${1% *} / ${2% *}" | bc -l | sed 's/^\./0./'; }
verdict() { [ "$(echo "$1 >= $2" | bc -l)" = 1 ] && echo "met" || echo "NOT met"; }
best() { echo "if ($1 > $2) $1 else $2" | bc -l | sed 's/^\./0./'; }
peak() { { /usr/bin/time -f '%M' "$@" > /dev/null || true; } 2>&1 | tail -1; }
echo
run1_mbs=$(mbs "${RUN1% *}")
r1=$(ratio "$GREP5" "$RUN1"); rn=$(ratio "$GREP5" "$RUN")
echo "logs --no-summary vs LC_ALL=C grep -cE (5 patterns), wall: ${r1}x on 1 thread, ${rn}x on $(nproc) threads (>1: prosody-doctor is faster)"
echo "logs with the summary vs grep -cE, wall: $(ratio "$GREP5" "$FULL1")x on 1 thread, $(ratio "$GREP5" "$FULL")x on $(nproc) threads"
echo "read + classify vs wc -l, wall: $(ratio "$WCL" "$COUNT")x"
p1=$(peak "$BIN" logs --no-summary --format json --threads 1 "$LOG"); pn=$(peak "$BIN" logs --no-summary --format json "$LOG")
q1=$(peak "$BIN" logs --format json --threads 1 "$LOG"); qn=$(peak "$BIN" logs --format json "$LOG")
pmax=$(printf '%s\n' "$p1" "$pn" "$q1" "$qn" | sort -n | tail -1)
echo "peak memory (maximum resident set): --no-summary $((p1 / 1024)) MiB on 1 thread, $((pn / 1024)) MiB on $(nproc); with the summary $((q1 / 1024)) / $((qn / 1024)) MiB"
echo
echo "targets (log analyzer issue), logs --no-summary:"
echo "  >= 1000 MB/s single-threaded:   ${run1_mbs} MB/s  $(verdict "$run1_mbs" 1000)"
echo "  >= 1.5x grep -cE (wall):        $(best "$r1" "$rn")x  $(verdict "$(best "$r1" "$rn")" 1.5)"
echo "  peak memory < 64 MiB:           $((pmax / 1024)) MiB (largest of the four runs)  $(verdict $((65536 - pmax)) 1)"
echo "  with the summary:               $(mbs "${FULL1% *}") MB/s single-threaded, $(best "$(ratio "$GREP5" "$FULL1")" "$(ratio "$GREP5" "$FULL")")x grep -cE"
