#!/usr/bin/env bash
# The BuildKit checks' safe fixes keep the image: build testdata/buildkit/safe_fixes.Dockerfile
# before and after `dlayer fix` (safe fixes only) with the local Docker engine and compare the
# image configurations (environment, labels, exposed ports, user, workdir, command).
# Then the same for the Debian builds of testdata/fix_builds/*.Dockerfile (context: its context/
# directory), comparing besides the configuration the installed packages (dpkg) and the files
# under /usr, /etc, /opt, /srv and /root (path, size, mode, owner).
# Usage: safe_fixes_build.sh DLAYER_BINARY
set -euo pipefail
binary="$(realpath "$1")"
work="$(mktemp -d)"
trap 'rm -rf "$work"; docker rmi -f dlayer-safe-fixes:before dlayer-safe-fixes:after >/dev/null 2>&1 || true' EXIT
cp testdata/buildkit/safe_fixes.Dockerfile "$work/Dockerfile.before"
cp testdata/buildkit/safe_fixes.Dockerfile "$work/Dockerfile"
"$binary" fix --no-config --exit-zero "$work/Dockerfile"
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

# What a Debian image is made of: its packages and its files (caches and logs left out).
contents() {
  docker run --rm --entrypoint /bin/sh "$1" -c \
    "dpkg-query -W -f '\${Package} \${Version} \${Status}\n' | sort;
     find /usr /etc /opt /srv /root -xdev -printf '%p %s %m %u\n' 2>/dev/null | sort"
}

failed=0
for fixture in testdata/fix_builds/*.Dockerfile; do
  name="$(basename "$fixture" .Dockerfile)"
  rm -rf "$work/build" && mkdir -p "$work/build"
  cp -r testdata/fix_builds/context/. "$work/build/"
  cp "$fixture" "$work/build/Dockerfile.before"
  cp "$fixture" "$work/build/Dockerfile"
  # shellcheck disable=SC2086 # DLAYER_FIX_FLAGS: extra words, e.g. --unsafe-fixes to see a difference caught
  "$binary" fix --no-config --exit-zero ${DLAYER_FIX_FLAGS:-} "$work/build/Dockerfile" 2>/dev/null
  if cmp -s "$work/build/Dockerfile" "$work/build/Dockerfile.before"; then
    echo "$name: no safe fix applied" >&2
    failed=1
    continue
  fi
  docker build -q -t dlayer-safe-fixes:before -f "$work/build/Dockerfile.before" "$work/build" >/dev/null
  docker build -q -t dlayer-safe-fixes:after -f "$work/build/Dockerfile" "$work/build" >/dev/null
  config_before="$(docker inspect dlayer-safe-fixes:before --format "$format")"
  config_after="$(docker inspect dlayer-safe-fixes:after --format "$format")"
  contents dlayer-safe-fixes:before >"$work/before.txt"
  contents dlayer-safe-fixes:after >"$work/after.txt"
  if [ "$config_before" != "$config_after" ]; then
    echo "$name: safe fixes changed the image configuration:" >&2
    echo "before: $config_before" >&2
    echo "after:  $config_after" >&2
    failed=1
  elif ! diff "$work/before.txt" "$work/after.txt" >&2; then
    echo "$name: safe fixes changed the packages or files (diff above)" >&2
    failed=1
  else
    echo "$name: same packages ($(grep -c ' install ok installed$' "$work/after.txt")), files and configuration after $(diff "$work/build/Dockerfile.before" "$work/build/Dockerfile" | grep -c '^>') changed lines"
  fi
done
exit "$failed"
