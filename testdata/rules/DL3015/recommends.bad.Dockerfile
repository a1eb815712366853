FROM debian:12
RUN apt-get update && apt-get install -y curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*
RUN apt-get install -y -o APT::Install-Recommends=true git=1:2.39.2-1
ONBUILD RUN apt-get install -y make
