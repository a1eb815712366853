FROM --platform=$BUILDPLATFORM golang:1.22 AS build
FROM --platform=${TARGETPLATFORM} alpine:3.20
FROM debian:12
