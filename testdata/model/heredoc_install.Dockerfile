FROM debian:12
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends nginx curl
rm -rf /var/lib/apt/lists/*
EOF
RUN bash <<'SCRIPT'
apt-get install -y vim
SCRIPT
RUN <<PY
#!/usr/bin/env python3
print("not shell")
PY
RUN cat <<CONF > /etc/app.conf && apt-get install -y cron
key=value
CONF
COPY <<EOF /usr/local/bin/start
#!/bin/sh
exec nginx -g 'daemon off;'
EOF
