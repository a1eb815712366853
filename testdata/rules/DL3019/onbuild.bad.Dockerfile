FROM alpine:3.20
ONBUILD RUN apk add curl=8.9.0-r0
