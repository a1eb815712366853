FROM debian:12
ARG PKGS="curl=7.88.1-10 git=1:2.39.2-1"
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl=7.88.1-10 git=1:2.39.2-1 ./local.deb /tmp/pkgs/x.deb $PKGS "${EXTRA}" \
 && apt-get install -y -o Dpkg::Options::=--force-confold vim=2:9.0 \
 && apt-get install -y nginx/bookworm-backports \
 && rm -rf /var/lib/apt/lists/*
RUN apt-get remove curl && apt install foo
