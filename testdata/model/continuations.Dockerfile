FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        ca-certificates \
        # a comment inside the continuation
        python3 \
        python3-pip \
    && rm -rf /var/lib/apt/lists/*
