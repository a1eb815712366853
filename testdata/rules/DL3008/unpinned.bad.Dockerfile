FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends \
      curl=7.88.1-10 \
      ca-certificates \
      git \
 && rm -rf /var/lib/apt/lists/*
RUN sudo apt-get -t bookworm-backports install -y "python3"
ONBUILD RUN apt-get install -y make
