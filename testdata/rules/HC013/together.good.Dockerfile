FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
FROM debian:12-slim AS builder
RUN apt-get update
FROM debian:12-slim
COPY --from=builder /etc/os-release /tmp/
