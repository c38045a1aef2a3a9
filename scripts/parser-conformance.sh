#!/usr/bin/env bash
# Parser conformance: compare `luac5.4 -p` with `prosody-doctor parse-lua` on every
# Lua file of the installed Prosody and on the shared config corpus.
# Agreement means: both accept, or both reject on the same line (when luac reports a
# line; some luac errors such as "C stack overflow" carry none).
# Installs nothing. Environment:
#   SHARED  shared material dir (default: <repo>/../shared)
#   BIN     prosody-doctor binary (default: .build/release/prosody-doctor)
#   LUAC    luac binary (default: luac5.4)
set -u
ROOT=$(git rev-parse --show-toplevel 2>/dev/null || pwd)
SHARED=${SHARED:-$ROOT/../shared}
BIN=${BIN:-$ROOT/.build/release/prosody-doctor}
LUAC=${LUAC:-luac5.4}

command -v "$LUAC" >/dev/null 2>&1 || { echo "parser conformance: $LUAC not found" >&2; exit 2; }
[ -x "$BIN" ] || { echo "parser conformance: $BIN not found or not executable" >&2; exit 2; }

list=$(mktemp)
trap 'rm -f "$list"' EXIT
if command -v dpkg >/dev/null 2>&1; then
    dpkg -L prosody 2>/dev/null | grep '\.lua$' | while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done >>"$list"
fi
for d in "$SHARED/corpus/configs" "$SHARED/corpus/templates"; do
    [ -d "$d" ] && find "$d" -type f | sort >>"$list"
done

total=0; agree=0; differ=0
diffs=""
while IFS= read -r f; do
    total=$((total + 1))
    lout=$("$LUAC" -p -- "$f" 2>&1); lrc=$?
    bout=$("$BIN" parse-lua "$f" 2>&1); brc=$?
    lline=""; bline=""
    if [ $lrc -ne 0 ]; then
        # "luac5.4: FILE:LINE: message" (FILE may be abbreviated by luac).
        lline=$(printf '%s\n' "$lout" | head -n1 | grep -o ':[0-9][0-9]*: ' | head -n1 | tr -dc '0-9')
    fi
    if [ $brc -ne 0 ]; then
        first=$(printf '%s\n' "$bout" | head -n1)
        bline=$(printf '%s\n' "${first#"$f"}" | grep -o '^:[0-9][0-9]*: ' | tr -dc '0-9')
    fi
    ok=0
    if [ $lrc -eq 0 ] && [ $brc -eq 0 ]; then ok=1
    elif [ $lrc -ne 0 ] && [ $brc -ne 0 ]; then
        if [ -z "$lline" ] || [ "$lline" = "$bline" ]; then ok=1; fi
    fi
    if [ $ok -eq 1 ]; then
        agree=$((agree + 1))
    else
        differ=$((differ + 1))
        diffs="$diffs$f
  luac:   ${lout:-<accepted>}
  parser: ${bout:-<accepted>}
"
    fi
done <"$list"

echo "parser conformance: $total files, $agree agree, $differ differ"
if [ $differ -ne 0 ]; then
    printf '%s' "$diffs"
    exit 1
fi
exit 0
