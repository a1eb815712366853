FROM debian:12 AS scratch
RUN true
FROM alpine:3.20 AS Context
