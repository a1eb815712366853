FROM debian:12
RUN wget https://example.com/a.tar.gz
RUN wget -O /tmp/x https://example.com/x && wget -nc https://example.com/y
ONBUILD RUN wget https://example.com/z
FROM alpine:3.20 AS base
FROM base
RUN wget https://example.com/busybox
RUN ["wget", "https://example.com/exec"]
RUN sh -c 'wget https://example.com/nested'
