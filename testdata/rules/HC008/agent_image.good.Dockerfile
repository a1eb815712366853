# The agent's own image: fluent-bit is the main process, not something baked into an app.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends fluent-bit \
    && rm -rf /var/lib/apt/lists/*
COPY fluent-bit.conf /etc/fluent-bit/fluent-bit.conf
ENTRYPOINT ["/opt/fluent-bit/bin/fluent-bit", "-c", "/etc/fluent-bit/fluent-bit.conf"]
