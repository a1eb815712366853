# syntax=docker/dockerfile:1
# Flagged, but the command cannot go without changing the rest of the script: no fix.
FROM debian:bookworm-slim
RUN if [ "$UPGRADE" = 1 ]; then apt-get upgrade -y; fi
RUN apt-get update && apt-get upgrade -y || true
RUN apt-get update && apt-get upgrade -y | tee /tmp/upgrade.log
RUN <<EOF
apt-get update
apt-get upgrade -y
EOF
