#!/usr/bin/env bash
# make bench: prosody-doctor check next to `prosodyctl check config` on the same
# files (the largest corpus config Prosody loads, and a generated 5 MB config),
# then the log analyzer next to grep when its bench script is present.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${SHARED:-$root/../shared}"
BIN="${BIN:-$root/.build/release/prosody-doctor}"
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
work="$root/.build/bench"
mkdir -p "$work"
runs="${BENCH_RUNS:-7}"

# Short directory: prosodyctl crashes on warnings in files with paths of 60+ bytes.
tmp="$(mktemp -d /tmp/pdb.XXXX)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/certs" "$tmp/conf.d"
# prosodyctl drops to the prosody user: the copies must be readable by it.
chmod 755 "$tmp" "$tmp/certs" "$tmp/conf.d"

median_ms() {  # median wall time of "$@" over $runs runs (after 2 untimed warm-up runs), in milliseconds
	python3 - "$runs" "$@" <<'PY'
import statistics, subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
# Warm-up, as hyperfine does: the first runs after other work (a build, the corpus probe's
# prosodyctl runs) find cold caches, which moves a 2 ms run by a third either way.
for _ in range(2):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
print(f"{statistics.median(times):.1f}")
PY
}

# The largest corpus config that Prosody's own loader accepts.
largest=""
while IFS= read -r f; do
	cp "$f" "$tmp/c.cfg.lua"; chmod 644 "$tmp/c.cfg.lua"
	if (cd "$tmp" && timeout 20 prosodyctl --config "$tmp/c.cfg.lua" check config >/dev/null 2>&1); status=$?; [ "$status" -ne 1 ]; then
		largest="$f"; break
	fi
done < <(ls -S "$SHARED"/corpus/configs/*)
[ -f "$work/big5mb.cfg.lua" ] || python3 "$root/scripts/gen-big-config.py" $((5 * 1024 * 1024)) > "$work/big5mb.cfg.lua"

printf '%-58s %9s %12s %16s %8s\n' input bytes "ours (ms)" "prosodyctl (ms)" ratio
for input in "$largest" "$work/big5mb.cfg.lua"; do
	[ -n "$input" ] || continue
	cp "$input" "$tmp/c.cfg.lua"; chmod 644 "$tmp/c.cfg.lua"
	ours=$(median_ms "$BIN" check --format concise "$tmp/c.cfg.lua")
	theirs=$(cd "$tmp" && median_ms prosodyctl --config "$tmp/c.cfg.lua" check config)
	ratio=$(python3 -c "print(f'{$theirs / max($ours, 0.001):.1f}x')")
	printf '%-58s %9s %12s %16s %8s\n' "$(basename "$input" | cut -c1-58)" "$(wc -c < "$input")" "$ours" "$theirs" "$ratio"
done

if [ -x "$root/scripts/bench-log.sh" ] || [ -f "$root/scripts/bench-log.sh" ]; then
	echo
	bash "$root/scripts/bench-log.sh"
fi
