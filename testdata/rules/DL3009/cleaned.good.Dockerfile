FROM debian:12 AS build
RUN apt-get update && apt-get install -y gcc=4:12.2.0-3
FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*
RUN apt-get update \
 && apt-get install -y --no-install-recommends git=1:2.39.2-1 \
 && rm -rf /var/lib/apt/lists
RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    apt-get update && apt-get install -y make=4.3-4.1
RUN --mount=type=cache,target=/var/lib/apt \
    apt-get update && apt-get install -y vim=2:9.0
RUN apt-get update && apt-get install -y less=590-2 && apt-get distclean
RUN apt-get update && apt-get install -y ed=1.19-1 && apt-get dist-clean
RUN apt-get update && apt-get install -y nano=7 && rm -rf /var/lib/apt/* /var/cache/apt/*
