FROM alpine:3.20 AS base
COPY --from=base /etc/hosts /tmp/hosts

FROM base
COPY --from=1 /x /y
