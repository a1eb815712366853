#!/usr/bin/env bash
# Instructions (callgrind Ir: independent of the machine's load, unlike wall time) that
# `dlayer lint` spends on a fixed sample of the corpora: every 5th file (288 of 1,441), one
# thread. Not a test: the figure the README's scale section quotes.
#
# Usage: bench/instructions.sh [DLAYER_BINARY] [FORMAT (json, tty, sarif, ...)] [SHARED_DIR]
# Prints the total; the profile is kept for `callgrind_annotate --inclusive=yes FILE`.
set -euo pipefail
BIN=$(realpath "${1:-target/release/dlayer}")
FORMAT=${2:-json}
SHARED=$(realpath "${3:-../shared}")
C=$SHARED/corpus
mapfile -t FILES < <(find "$C/official" "$C/heavy" "$C/wild" -type f \
  ! -name '*.tsv' ! -name '*.md' ! -name '*.json' | sort | awk 'NR % 5 == 0')
PROFILE=$(mktemp --suffix=.callgrind)
RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$PROFILE" \
  "$BIN" lint --no-config --format "$FORMAT" "${FILES[@]}" >/dev/null 2>"$PROFILE.log" || true
echo "${#FILES[@]} files, $FORMAT: $(grep -o 'Collected : [0-9]*' "$PROFILE.log" | grep -o '[0-9]*$') instructions"
echo "profile: $PROFILE"
