#!/usr/bin/env bash
# The BuildKit checks' safe fixes keep the image: build testdata/buildkit/safe_fixes.Dockerfile
# before and after `dlayer fix` (safe fixes only) with the local Docker engine and compare the
# image configurations (environment, labels, exposed ports, user, workdir, command).
# Usage: safe_fixes_build.sh DLAYER_BINARY
set -euo pipefail
binary="$(realpath "$1")"
work="$(mktemp -d)"
trap 'rm -rf "$work"; docker rmi -f dlayer-safe-fixes:before dlayer-safe-fixes:after >/dev/null 2>&1 || true' EXIT
cp testdata/buildkit/safe_fixes.Dockerfile "$work/Dockerfile.before"
cp testdata/buildkit/safe_fixes.Dockerfile "$work/Dockerfile"
"$binary" fix --no-config "$work/Dockerfile"
if cmp -s "$work/Dockerfile" "$work/Dockerfile.before"; then
  echo "safe fixes: nothing was fixed" >&2
  exit 1
fi
docker build -q -t dlayer-safe-fixes:before -f "$work/Dockerfile.before" "$work" >/dev/null
docker build -q -t dlayer-safe-fixes:after -f "$work/Dockerfile" "$work" >/dev/null
format='{{json .Config.Env}} {{json .Config.Labels}} {{json .Config.ExposedPorts}} {{json .Config.User}} {{json .Config.WorkingDir}} {{json .Config.Cmd}} {{json .Config.Entrypoint}}'
before="$(docker inspect dlayer-safe-fixes:before --format "$format")"
after="$(docker inspect dlayer-safe-fixes:after --format "$format")"
if [ "$before" != "$after" ]; then
  echo "safe fixes changed the image configuration:" >&2
  echo "before: $before" >&2
  echo "after:  $after" >&2
  exit 1
fi
echo "safe fixes: same image configuration after $(diff "$work/Dockerfile.before" "$work/Dockerfile" | grep -c '^>') changed lines"
