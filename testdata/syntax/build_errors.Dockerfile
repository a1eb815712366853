FRM alpine
FROM alpine AS 1bad
FROM alpine AS
FROM --platfrom=linux/amd64 alpine
COPY --from builder /a /b
COPY --link=maybe --chown=a --chown=b src /dst
COPY only-one
ADD --checksum=sha256:x src <<EOF
EOF
ADD --exclude=a --exclude=b src dst
RUN --mount=type=cache,target=/a --mount=type=tmpfs,target=/b --network=none true
ENV --x=1 A=b
ENV =blank
USER a b
WORKDIR
VOLUME ["/data", ""]
EXPOSE
HEALTHCHECK NONE now
HEALTHCHECK --interval=5s CMD
HEALTHCHECK CONNECT TCP 7000
SHELL /bin/sh -c
SHELL []
ONBUILD ONBUILD RUN x
ONBUILD FROM alpine
ONBUILD maintainer me
ONBUILD
STOPSIGNAL
