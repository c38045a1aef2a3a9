#!/usr/bin/env bash
# Throughput of the log reader + signature pass against grep on a big generated Prosody log.
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
    printf '%-46s %7.3f %7s %7.3f %7s\n' "$1" "$w" "$(mbs "$w")" "$c" "$(mbs "$c")"
}

printf '%-46s %7s %7s %7s %7s\n' "$(echo "$BYTES/1000000" | bc) MB, best of $RUNS" "wall s" "MB/s" "cpu s" "MB/s"
WCL=$(measure wc -l "$LOG");                                       row "wc -l" "$WCL"
PAT5='Session token|Error verifying token|Unable to load module|Traceback|certificate'
GREP5=$(measure env LC_ALL=C grep -cE "$PAT5" "$LOG");             row "LC_ALL=C grep -cE (5 patterns)" "$GREP5"
GREP=$(measure grep -c 'Session token' "$LOG");                  row "grep -c 'Session token'" "$GREP"
CGREP=$(measure env LC_ALL=C grep -c 'Session token' "$LOG");    row "LC_ALL=C grep -c 'Session token'" "$CGREP"
EGREP=$(measure grep -c 'error' "$LOG");                          row "grep -c 'error' (research anchor pattern)" "$EGREP"
COUNT=$(measure "$BIN" logs --events --count "$LOG");            row "logs --events --count (read + classify)" "$COUNT"
FULL=$(measure "$BIN" logs --format json "$LOG");                 row "logs (full analysis: findings + summary)" "$FULL"
FCOUNT1=$(measure "$BIN" logs --facts --count --threads 1 --signatures "$SIGS" "$LOG"); row "logs --facts --count --threads 1" "$FCOUNT1"
FCOUNT=$(measure "$BIN" logs --facts --count --signatures "$SIGS" "$LOG"); row "logs --facts --count ($(nproc) threads)" "$FCOUNT"
FACTS1=$(measure "$BIN" logs --facts --format json --threads 1 --signatures "$SIGS" "$LOG"); row "logs --facts --format json --threads 1" "$FACTS1"
FACTS=$(measure "$BIN" logs --facts --format json --signatures "$SIGS" "$LOG"); row "logs --facts --format json ($(nproc) threads)" "$FACTS"
ratio() { echo "scale=2; ${1% *} / ${2% *}" | bc -l; }
ratioc() { echo "scale=2; ${1#* } / ${2#* }" | bc -l; }
echo
echo "facts json pass vs grep -c:          wall $(ratio "$GREP" "$FACTS")x, cpu $(ratioc "$GREP" "$FACTS")x"
echo "  single-threaded:                    wall $(ratio "$GREP" "$FACTS1")x, cpu $(ratioc "$GREP" "$FACTS1")x"
echo "facts json pass vs grep -c 'error':  wall $(ratio "$EGREP" "$FACTS")x, cpu $(ratioc "$EGREP" "$FACTS")x"
echo "read+classify vs grep -c:             wall $(ratio "$GREP" "$COUNT")x, cpu $(ratioc "$GREP" "$COUNT")x"
echo "facts json pass vs LC_ALL=C grep -c: wall $(ratio "$CGREP" "$FACTS")x, cpu $(ratioc "$CGREP" "$FACTS")x"
echo "(>1: prosody-doctor is faster)"
echo
"$BIN" logs --count --facts --signatures "$SIGS" "$LOG"
echo "grep -c 'Session token': $(grep -c 'Session token' "$LOG")"
echo "facts json pass vs grep -cE (5 patterns): wall $(ratio "$GREP5" "$FACTS1")x single-threaded, $(ratio "$GREP5" "$FACTS")x threaded"
echo "read + classify vs wc -l:             wall $(ratio "$WCL" "$COUNT")x"
echo "full analysis vs grep -cE (5 patterns): wall $(ratio "$GREP5" "$FULL")x"
peak=$( { /usr/bin/time -f '%M' "$BIN" logs --facts --count --threads 1 --signatures "$SIGS" "$LOG" > /dev/null; } 2>&1 | tail -1 )
echo "peak memory of the facts pass: $((peak / 1024)) MiB (maximum resident set; the file is memory-mapped)"
