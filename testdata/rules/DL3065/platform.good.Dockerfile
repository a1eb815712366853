FROM --platform=$BUILDPLATFORM golang:1.22 AS build
FROM --platform=linux/amd64 debian:12
FROM debian:12
