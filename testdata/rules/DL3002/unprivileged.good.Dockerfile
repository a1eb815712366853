FROM debian:12 AS build
USER root
RUN make
FROM debian:12 AS base
USER root
RUN apt-get update
FROM base
USER app:app
