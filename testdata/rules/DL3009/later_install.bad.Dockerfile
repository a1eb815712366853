# The next RUN installs without refreshing the lists: the fix refreshes them there (unsafe).
FROM debian:12 AS base
RUN apt-get update && apt-get install -y curl
# This install removes the lists it did not download: the refresh goes before it.
RUN DEBIAN_FRONTEND=noninteractive apt-get install -y gosu && rm -rf /var/lib/apt/lists/*

FROM base AS child
# The later install is inside `sh -c`, where no refresh can be added: display-only.
RUN echo hello && apt-get update && apt-get install -y git
RUN sh -c 'apt-get install -y jq'
# The next install refreshes first: safe.
RUN apt-get update && apt-get install -y make
RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*
# A script that does not parse gets no fix.
RUN apt-get update && apt-get install -y unzip; && echo done
# Nothing later: safe.
RUN apt-get update && apt-get install -y zip
