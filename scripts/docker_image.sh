#!/usr/bin/env bash
# dlayer's own Dockerfile, dogfooded and built: it must lint clean, `dlayer fix --split` must
# leave it unchanged (already layered), and when a Docker engine with debian:bookworm is there
# (scripts/engine.sh makes one without a registry) the image must build, run as a
# non-root user, hold the static binary alone, and lint a mounted directory.
# Usage: scripts/docker_image.sh DLAYER   (the dlayer binary to check the Dockerfile with)
set -euo pipefail
cd "$(dirname "$0")/.."
DLAYER="$1"
TAG=dlayer:ci-image-check

echo "-- dlayer lint Dockerfile (no finding)"
"$DLAYER" lint --no-config --format concise Dockerfile
echo "-- dlayer fix --split --verify leaves it as it is (already layered)"
split="$("$DLAYER" fix --split --verify --diff --no-config Dockerfile 2>&1)"
echo "$split"
case "$split" in
  *"unchanged"*) ;;
  *) echo "FAILED: dlayer fix --split would change the Dockerfile"; exit 1 ;;
esac
echo "-- dlayer fmt --check"
"$DLAYER" fmt --no-config --check Dockerfile

if ! command -v docker >/dev/null || ! docker image inspect debian:bookworm >/dev/null 2>&1; then
  echo "SKIPPED: image build: no Docker engine with debian:bookworm (scripts/engine.sh makes one)"
  exit 0
fi
# The build context: the sources, plus the crates vendored here, since a container may not
# reach crates.io (or not trust the TLS of the way there) when this machine does.
CONTEXT="$(mktemp -d)"
trap 'rm -rf "$CONTEXT"; docker rmi -f "$TAG" >/dev/null 2>&1 || true' EXIT
cp -r Cargo.toml Cargo.lock benches rules src Dockerfile .dockerignore "$CONTEXT"
mkdir -p "$CONTEXT/.cargo"
(cd "$CONTEXT" && cargo vendor --locked vendor 2>/dev/null > .cargo/config.toml)
echo "-- docker build (offline, from vendored crates; release profile without LTO, to keep CI short)"
docker build -q -t "$TAG" \
  --build-arg CARGO_PROFILE_RELEASE_LTO=false \
  --build-arg CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 "$CONTEXT"
user="$(docker image inspect -f '{{.Config.User}}' "$TAG")"
size="$(docker image inspect -f '{{.Size}}' "$TAG")"
layers="$(docker image inspect -f '{{len .RootFS.Layers}}' "$TAG")"
echo "user $user, $layers layer(s), $((size / 1024 / 1024)) MiB"
[ "$user" = "65532:65532" ] || { echo "FAILED: the image runs as '$user'"; exit 1; }
[ "$layers" -le 2 ] || { echo "FAILED: $layers layers: the image should hold the binary alone"; exit 1; }
[ "$size" -lt $((40 * 1024 * 1024)) ] || { echo "FAILED: the image is $size bytes"; exit 1; }
docker run --rm "$TAG" --version
status=0
docker run --rm -v "$(pwd)/testdata/lint/project:/work:ro" "$TAG" lint --format concise || status=$?
[ "$status" = 1 ] || { echo "FAILED: linting the example in the container exited $status, expected 1 (findings)"; exit 1; }
docker run --rm -v "$(pwd):/work:ro" "$TAG" lint --no-config Dockerfile
echo "image: ok"
