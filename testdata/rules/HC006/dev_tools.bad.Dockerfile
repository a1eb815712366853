# One finding for the RUN, naming every developer tool it leaves; curl and ca-certificates
# are os-layer tools and stay out of it.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
        ca-certificates \
        curl \
        vim \
        gcc \
        git \
    && rm -rf /var/lib/apt/lists/*
COPY app /usr/local/bin/app
CMD ["app"]
