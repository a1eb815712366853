#!/usr/bin/env bash
# Checks .pre-commit-hooks.yaml with the real pre-commit: `pre-commit try-repo` of this
# repository against a scratch git repository holding Dockerfiles. A finding fails dlayer-lint,
# a clean file passes, dlayer-fix and dlayer-fmt rewrite files (and so fail, as pre-commit does
# when a hook changes files).
#
# The first hook run builds dlayer with `cargo install` (language: rust), into a target directory
# kept under target/ so that later runs reuse it. The release profile is made cheap for this
# build (no LTO, opt-level 0): it tests the hook, not the binary's speed. try-repo copies the
# repository to a new place each time, so each hook run compiles the dlayer crate again.
# Usage: scripts/pre_commit_hooks.sh   (needs git, cargo and pre-commit on PATH)
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
SCRATCH="$(mktemp -d)"
LOG="$(mktemp)"   # outside the scratch repository: pre-commit would see it change
trap 'rm -rf "$SCRATCH" "$LOG"' EXIT
export PRE_COMMIT_HOME="$REPO/target/pre-commit-home"
export CARGO_TARGET_DIR="$REPO/target/pre-commit-build"
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=0
export GIT_AUTHOR_NAME=ci GIT_AUTHOR_EMAIL=ci@example.invalid
export GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@example.invalid

failures=0
check() { # check NAME EXPECTED_STATUS ACTUAL_STATUS
  if [ "$2" = "$3" ]; then
    echo "ok: $1"
  else
    echo "FAILED: $1 (exit $3, expected $2)"
    failures=$((failures + 1))
  fi
}

cd "$SCRATCH"
git init -q .
mkdir -p heavy clean fixable unformatted
printf 'FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y openssh-server vim\nCMD ["/usr/sbin/sshd", "-D"]\n' > heavy/Dockerfile
printf 'FROM scratch\nCOPY app /app\nUSER 1000\nENTRYPOINT ["/app"]\n' > clean/Dockerfile
printf 'FROM scratch AS Base\nCOPY app /app\nFROM base\nUSER 1000\nENTRYPOINT ["/app"]\n' > fixable/Dockerfile
printf 'from scratch\ncopy   app /app\nuser 1000\nentrypoint ["/app"]\n' > unformatted/app.Dockerfile
printf 'not a Dockerfile\n' > README.md
git add -A && git commit -qm scratch

try() { # try HOOK FILE...: runs the hook of this repository on the files, prints its output
  local hook="$1"
  shift
  local status=0
  pre-commit try-repo "$REPO" "$hook" --files "$@" > "$LOG" 2>&1 || status=$?
  sed 's/^/    /' "$LOG"
  return "$status"
}

status=0; try dlayer-lint heavy/Dockerfile || status=$?
check "dlayer-lint fails on findings" 1 "$status"
grep -q 'HC002' "$LOG" && echo "ok: the finding is shown" || { echo "FAILED: no HC002 in the output"; failures=$((failures + 1)); }

status=0; try dlayer-lint clean/Dockerfile README.md || status=$?
check "dlayer-lint passes a clean file (README.md is not given to it)" 0 "$status"

before="$(cat fixable/Dockerfile)"
status=0; try dlayer-fix fixable/Dockerfile || status=$?
check "dlayer-fix rewrites a fixable file (the hook fails: files were modified)" 1 "$status"
if [ "$(cat fixable/Dockerfile)" != "$before" ] && grep -q '^FROM scratch AS base$' fixable/Dockerfile; then
  echo "ok: the stage name was lower-cased (BuildKit's StageNameCasing fix)"
else
  echo "FAILED: fixable/Dockerfile is unchanged:"; cat fixable/Dockerfile
  failures=$((failures + 1))
fi
status=0; try dlayer-fmt unformatted/app.Dockerfile || status=$?
check "dlayer-fmt rewrites an unformatted file" 1 "$status"
if grep -q '^FROM scratch$' unformatted/app.Dockerfile; then
  echo "ok: keywords are upper-case now"
else
  echo "FAILED: unformatted/app.Dockerfile:"; cat unformatted/app.Dockerfile
  failures=$((failures + 1))
fi

if command -v dlayer >/dev/null; then
  status=0; try dlayer-lint-system heavy/Dockerfile || status=$?
  check "dlayer-lint-system fails on findings" 1 "$status"
else
  echo "SKIPPED: dlayer-lint-system (no dlayer on PATH)"
fi

if [ "$failures" -ne 0 ]; then
  echo "pre-commit hooks: $failures checks failed"
  exit 1
fi
echo "pre-commit hooks: all checks passed"
