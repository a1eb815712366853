# The client alone (to fetch private sources) is not a server: HC006's business, not HC002's.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends openssh-client \
    && rm -rf /var/lib/apt/lists/*
EXPOSE 2222
CMD ["app"]
