FROM debian:12
LABEL org.opencontainers.image.title="app" \
      org.opencontainers.image.source="https://x.org" \
      org.opencontainers.image.created="2024-01-02T03:04:05Z" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.revision="0123456789abcdef0123456789abcdef01234567" \
      org.opencontainers.image.version="1.0.0" \
      org.opencontainers.image.authors="Dev Team <dev@example.com>"
LABEL org.opencontainers.image.authors="dev.@example.com" org.opencontainers.image.authors="dev@"
