#!/usr/bin/env bash
# A local Docker engine for the build tests (tests/build, dlayer verify), on a fresh Debian
# machine: installs Debian's docker.io and debootstrap when missing, starts dockerd when none
# answers, makes debian:bookworm with debootstrap --variant=minbase (the root tarball is cached)
# and debian:bookworm-slim the way Debian's official slim images are made (dpkg path-exclude for
# docs, man pages and locales), tagged debian:12 and debian:12-slim too. No registry is needed:
# builds reach Debian's packages over plain http. Idempotent; needs root.
# ENGINE_CACHE: where the root tarball and the logs are kept (default: ~/.cache/dlayer-engine).
set -euo pipefail
cache="${ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dlayer-engine}"
mkdir -p "$cache"
have() { command -v "$1" >/dev/null 2>&1; }

if ! have dockerd || ! have debootstrap || ! have docker; then
  echo "engine: installing docker.io and debootstrap (Debian packages)"
  apt-get update -qq >"$cache/apt-update.log" 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap >"$cache/apt-install.log" 2>&1 \
    || { echo "engine: apt-get install docker.io debootstrap failed (see $cache/apt-install.log)"; exit 1; }
fi

if ! docker info >/dev/null 2>&1; then
  echo "engine: starting dockerd (log: $cache/dockerd.log)"
  nohup dockerd >"$cache/dockerd.log" 2>&1 &
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
fi
docker info >/dev/null 2>&1 || { echo "engine: dockerd did not start (see $cache/dockerd.log)"; exit 1; }

if ! docker image inspect debian:bookworm >/dev/null 2>&1; then
  if [ ! -s "$cache/bookworm-rootfs.tar" ]; then
    mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    mirror="${mirror:-http://deb.debian.org/debian}"
    echo "engine: debootstrap --variant=minbase bookworm from $mirror (about 4 minutes)"
    rootfs="$(mktemp -d)"
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$cache/debootstrap.log" 2>&1 \
      || { echo "engine: debootstrap failed (see $cache/debootstrap.log)"; exit 1; }
    tar -C "$rootfs" -cf "$cache/bookworm-rootfs.tar.part" . && mv "$cache/bookworm-rootfs.tar.part" "$cache/bookworm-rootfs.tar"
    rm -rf "$rootfs"
  fi
  docker import "$cache/bookworm-rootfs.tar" debian:bookworm >/dev/null
fi

if ! docker image inspect debian:bookworm-slim >/dev/null 2>&1; then
  context="$(mktemp -d)"
  cat >"$context/Dockerfile" <<'DOCKERFILE'
FROM debian:bookworm
RUN printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' 'path-exclude /usr/share/groff/*' \
      'path-exclude /usr/share/info/*' 'path-exclude /usr/share/lintian/*' 'path-exclude /usr/share/linda/*' \
      'path-exclude /usr/share/locale/*' 'path-include /usr/share/locale/locale.alias' 'path-exclude /usr/share/man/*' \
      > /etc/dpkg/dpkg.cfg.d/docker \
 && find /usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete \
 && rm -rf /usr/share/groff/* /usr/share/info/* /usr/share/lintian/* /usr/share/man/* \
 && find /usr/share/locale -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
DOCKERFILE
  DOCKER_BUILDKIT=0 docker build -q -t debian:bookworm-slim "$context" >/dev/null 2>"$cache/slim-build.log" \
    || { echo "engine: building debian:bookworm-slim failed (see $cache/slim-build.log)"; exit 1; }
  rm -rf "$context"
fi
docker tag debian:bookworm debian:12
docker tag debian:bookworm-slim debian:12-slim
echo "engine: ready ($(docker version --format '{{.Server.Version}}'), debian:bookworm $(docker image inspect -f '{{.Id}}' debian:bookworm | cut -c8-19))"
