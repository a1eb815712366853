# The final stage is built FROM an in-file stage: the finding is on the image at the root.
FROM debian:bookworm AS base
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*

FROM base AS app
COPY app /usr/local/bin/app
CMD ["app"]
