# gcc is purged after the build, make is not.
FROM debian:bookworm-slim
COPY src/ /usr/src/app/
RUN apt-get update && apt-get install -y --no-install-recommends gcc make libc6-dev \
    && make -C /usr/src/app install \
    && apt-get purge -y --auto-remove gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
CMD ["app"]
