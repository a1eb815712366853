# syntax=docker/dockerfile:1
ARG VERSION=12
# comment
ARG BASE=debian
FROM ${BASE}:${VERSION}
LABEL maintainer=me
