FROM debian:12
RUN apt-get update && apt-get install --no-install-recommends curl=7.88.1-10 \
 && rm -rf /var/lib/apt/lists/*
RUN apt-get -q install git=1:2.39.2-1 && rm -rf /var/lib/apt/lists/*
RUN apt-get install --assume-yes=no vim=2:9.0
ONBUILD RUN apt-get install make
