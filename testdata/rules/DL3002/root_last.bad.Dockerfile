FROM debian:12 AS base
USER app
FROM base
RUN id
USER 0:0
