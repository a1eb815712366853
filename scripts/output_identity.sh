#!/usr/bin/env bash
# Every observable output of dlayer over the three corpora, one file per output, so that a
# change meant to be invisible (a speed-up, a refactoring) can be shown to be: run it with the
# binary before and after, then `diff -r BEFORE AFTER` must print nothing.
# Covers lint in every machine format and tty (plain and coloured), fix --diff (safe and
# unsafe), dump (syntax tree and model) and fix --split --diff (one output per file).
#
# Usage: scripts/output_identity.sh DLAYER_BINARY OUTDIR [SHARED_DIR]
set -u
BIN=$(realpath "$1"); OUT=$(realpath -m "$2"); mkdir -p "$OUT"
C=$(realpath "${3:-../shared}")/corpus
FILES=$(find $C/official $C/heavy $C/wild -type f ! -name '*.tsv' ! -name '*.md' ! -name '*.json' | sort)
cd /tmp
for fmt in json sarif checkstyle gitlab; do
  $BIN lint --no-config --format $fmt $FILES > "$OUT/lint.$fmt" 2>"$OUT/lint.$fmt.err"; echo "rc=$?" >> "$OUT/lint.$fmt.err"
done
$BIN lint --no-config --color never $FILES > "$OUT/lint.tty" 2>"$OUT/lint.tty.err"; echo "rc=$?" >> "$OUT/lint.tty.err"
$BIN lint --no-config --color always $FILES > "$OUT/lint.ttycolor" 2>&1
$BIN fix --no-config --diff $FILES > "$OUT/fix.diff" 2>&1; echo "rc=$?" >> "$OUT/fix.diff"
$BIN fix --no-config --diff --unsafe-fixes $FILES > "$OUT/fix.unsafe.diff" 2>&1; echo "rc=$?" >> "$OUT/fix.unsafe.diff"
$BIN dump --format json $FILES > "$OUT/dump.json" 2>&1; echo "rc=$?" >> "$OUT/dump.json"
$BIN dump --model $FILES > "$OUT/dump.model" 2>&1; echo "rc=$?" >> "$OUT/dump.model"
# the split reads the model: one file each (per-file outputs, so parallel runs cannot interleave)
mkdir -p "$OUT/split"
echo "$FILES" | xargs -P 2 -n 40 sh -c 'for f; do n=$(printf %s "$f" | tr / _); '"$BIN"' fix --no-config --split --diff "$f" > "'"$OUT"'/split/$n" 2>&1; echo "rc=$?" >> "'"$OUT"'/split/$n"; done' sh
