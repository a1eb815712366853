FROM debian:12
LABEL org.opencontainers.image.title=app org.opencontainers.image.version=1.0.0
