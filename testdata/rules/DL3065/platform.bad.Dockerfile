FROM --platform=$TARGETPLATFORM debian:12
FROM --platform=${TARGETPLATFORM} alpine:3.20
