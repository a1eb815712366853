FROM debian:12-slim
RUN apt-get update
# the install comes next: the refresh moves into it, this comment stays
RUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN apt-get -qq update
LABEL org.opencontainers.image.title=demo
RUN DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# no fix: the install script is not one && chain
RUN apt-get update
RUN set -eux; apt-get install -y git; rm -rf /var/lib/apt/lists/*
# no fix: a COPY between them may change the sources
RUN apt-get update
COPY sources.list /etc/apt/sources.list
RUN apt-get install -y make && rm -rf /var/lib/apt/lists/*
