FROM debian:12-slim
# Shell features: the shell form written out as BuildKit stores it (safe, same config).
CMD echo "ready on $PORT" && exec nginx -g 'daemon off;'
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ENTRYPOINT cat /etc/motd | tee /tmp/motd \
    && exec "$@"
