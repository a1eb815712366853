FROM debian:12 AS base
USER app
USER root
FROM base
RUN id
