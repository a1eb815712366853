#!/usr/bin/env bash
# Renders docs/lighttpd-centos7-split.svg, the README's picture: `dlayer graph --split` of a real
# heavy image (CentOS/CentOS-Dockerfiles lighttpd/centos7/Dockerfile at commit
# 13e69331093c45764d76f9dd4de32ca383203204, from ../shared/corpus/heavy) drawn by Graphviz.
# Usage: scripts/graph_example.sh [DLAYER] [SHARED]
set -euo pipefail
cd "$(dirname "$0")/.."
DLAYER="${1:-target/debug/dlayer}"
SHARED="${2:-$(cd .. && pwd)/shared}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/CentOS-Dockerfiles/lighttpd/centos7"
cp "$SHARED/corpus/heavy/CentOS+CentOS-Dockerfiles__lighttpd__centos7__Dockerfile" \
  "$WORK/CentOS-Dockerfiles/lighttpd/centos7/Dockerfile"
DLAYER="$(cd "$(dirname "$DLAYER")" && pwd)/$(basename "$DLAYER")"
OUT="$(pwd)/docs/lighttpd-centos7-split.svg"
(cd "$WORK" && "$DLAYER" graph --split CentOS-Dockerfiles/lighttpd/centos7/Dockerfile) | dot -Tsvg > "$OUT"
echo "wrote $OUT"
