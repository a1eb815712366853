# s6-overlay's documented pattern: its /init supervises the services under /etc/services.d.
FROM alpine:3.20
ARG S6_OVERLAY_VERSION=3.2.0.0
ADD https://github.com/just-containers/s6-overlay/releases/download/v${S6_OVERLAY_VERSION}/s6-overlay-noarch.tar.xz /tmp
RUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz && apk add --no-cache nginx
COPY services.d/ /etc/services.d/
ENTRYPOINT ["/init"]
