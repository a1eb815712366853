#!/usr/bin/env bash
# Real builds of `dlayer fix --split` outputs (classic builder, local engine): for each fixture,
# builds the original, the split's `prod` and `dev` targets and compares them:
# - dev installs exactly the original's Debian packages; prod installs a subset of them, and
#   none of the development packages the split moved (openssh-server, editors);
# - prod's configuration (Env, User, WorkingDir, Entrypoint, Volumes) is the original's; its
#   exposed ports are the original's without 22; dev's Cmd is the original's;
# - no supervisord configuration of prod mentions sshd; dev's are the original's.
# Usage: split_build.sh DLAYER_BINARY FIXTURE...
set -euo pipefail
dlayer="$1"; shift
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail=0
config() { docker image inspect "$1" --format '{{json .Config.Env}} {{.Config.User}} {{.Config.WorkingDir}} {{json .Config.Entrypoint}} {{json .Config.Volumes}}'; }
for fixture in "$@"; do
  name="$(basename "$fixture" .Dockerfile)"
  dir="$work/$name"; mkdir -p "$dir"
  cp "$fixture" "$dir/Dockerfile"
  "$dlayer" fix --split - < "$dir/Dockerfile" > "$dir/split.Dockerfile"
  tag="dlayer-split-$name-$$"
  docker build -q -t "$tag-orig" "$dir" >/dev/null 2>&1
  docker build -q --target prod -t "$tag-prod" -f "$dir/split.Dockerfile" "$dir" >/dev/null 2>&1
  docker build -q --target dev -t "$tag-dev" -f "$dir/split.Dockerfile" "$dir" >/dev/null 2>&1
  for image in orig prod dev; do
    docker run --rm --entrypoint dpkg-query "$tag-$image" -W -f '${Package}\n' | sort > "$dir/$image.packages"
  done
  problems=()
  diff -q "$dir/orig.packages" "$dir/dev.packages" >/dev/null || problems+=("dev installs other packages than the original")
  [ -z "$(comm -13 "$dir/orig.packages" "$dir/prod.packages")" ] || problems+=("prod installs packages the original does not")
  grep -qx 'openssh-server' "$dir/prod.packages" && problems+=("prod still has openssh-server")
  [ "$(config "$tag-orig")" = "$(config "$tag-prod")" ] || problems+=("prod's configuration differs: $(config "$tag-prod") vs $(config "$tag-orig")")
  ports() { docker image inspect "$1" --format '{{range $p, $v := .Config.ExposedPorts}}{{$p}} {{end}}'; }
  [ "$(ports "$tag-orig" | tr ' ' '\n' | grep -v '^22/' | xargs)" = "$(ports "$tag-prod" | xargs)" ] || problems+=("prod's ports differ")
  cmd() { docker image inspect "$1" --format '{{json .Config.Cmd}}'; }
  [ "$(cmd "$tag-orig")" = "$(cmd "$tag-dev")" ] || problems+=("dev's command differs")
  # supervisord programs that start sshd are dev's only.
  sshd_programs() { docker run --rm --entrypoint sh "$1" -c 'grep -rl sshd /etc/supervisor* 2>/dev/null | sort' || true; }
  [ -z "$(sshd_programs "$tag-prod")" ] || problems+=("prod's supervisord still starts sshd")
  [ "$(sshd_programs "$tag-orig")" = "$(sshd_programs "$tag-dev")" ] || problems+=("dev's supervisord differs")
  removed=$(comm -23 "$dir/orig.packages" "$dir/prod.packages" | wc -l)
  if [ ${#problems[@]} -eq 0 ]; then
    echo "ok   $name: dev = original ($(wc -l < "$dir/orig.packages") packages), prod without $removed of them"
  else
    fail=1
    printf 'FAIL %s: %s\n' "$name" "${problems[@]}"
  fi
  docker rmi -f "$tag-orig" "$tag-prod" "$tag-dev" >/dev/null
done
exit $fail
