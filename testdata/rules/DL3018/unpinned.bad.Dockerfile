FROM alpine:3.20
RUN apk add --no-cache curl bash=5.2.26-r0 \
    ca-certificates
