FROM alpine:3.20
RUN deps="curl=8.9.0-r0 git=2.45.2-r0"; apk add --no-cache $deps ${EXTRA}
