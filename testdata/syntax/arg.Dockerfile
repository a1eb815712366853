ARG VERSION=1.0
ARG BASE
FROM alpine:${VERSION}
ARG a b=2 "c=3 4" d=
ARG empty=""
